import { useCallback } from "react";
import { useNavigate, useSearchParams } from "react-router";

/**
 * The URL's search parameters, and a change to them that starts from the URL as it is when called.
 * react-router's own functional update starts from the parameters of the last render, so two changes made
 * before the page renders again (two filters picked in quick succession) would keep only the second.
 */
export function useUrlParams(): [URLSearchParams, (change: (current: URLSearchParams) => URLSearchParams) => void] {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const update = useCallback(
    (change: (current: URLSearchParams) => URLSearchParams) => {
      const next = change(new URLSearchParams(window.location.search)).toString();
      navigate({ search: next ? `?${next}` : "" }, { replace: true });
    },
    [navigate],
  );
  return [params, update];
}

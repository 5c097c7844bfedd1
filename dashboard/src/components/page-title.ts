import { useEffect } from "react";

/** The browser tab says which page it is, so a supervisor with several tabs open can tell them apart. */
export function usePageTitle(title: string | null | undefined): void {
  useEffect(() => {
    document.title = title ? `${title} · Pantau` : "Pantau";
  }, [title]);
}

import { createGraphQLError, type Plugin } from "graphql-yoga";

/** Content types a browser may send cross-site without a preflight. */
const SIMPLE_CONTENT_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data", "text/plain"];

export const CSRF_HEADER = "x-graphql-yoga-csrf";

/**
 * Requests a browser would send cross-site without a preflight (GET, forms, text/plain) need a header that
 * only a script allowed by CORS can add. Yoga's own plugin refuses them without a code; this one says which
 * header is missing, with a code a program can act on. One header lookup per request.
 */
export function useCsrfPrevention(): Plugin {
  return {
    onRequestParse({ request }) {
      const contentType = request.headers.get("content-type")?.toLowerCase();
      if (contentType && !SIMPLE_CONTENT_TYPES.some((simple) => contentType.startsWith(simple))) return;
      if (request.headers.has(CSRF_HEADER)) return;
      throw createGraphQLError(
        `This request could come from another site: send it as application/json, or add the ${CSRF_HEADER} header (any value).`,
        { extensions: { code: "CSRF_HEADER_REQUIRED", header: CSRF_HEADER, http: { status: 403 } } },
      );
    },
  };
}

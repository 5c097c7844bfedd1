declare module "virtual:pantau-schema" {
  import type { IntrospectionQuery } from "graphql";
  /** The printed schema's introspection without descriptions, minified for the cache (see vite.config.ts). */
  export const schema: IntrospectionQuery;
}

import { initGraphQLTada } from "gql.tada";
import type { introspection } from "./introspection.js";

/** Documents typed against the server's printed schema (`schema.graphql`, turned into `introspection.ts`). */
export const graphql = initGraphQLTada<{
  introspection: typeof introspection;
  scalars: { DateTime: string; JSON: Record<string, unknown> };
}>();

export type { FragmentOf, ResultOf, VariablesOf } from "gql.tada";
export { readFragment } from "gql.tada";

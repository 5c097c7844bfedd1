import { maxDepthPlugin } from "@escape.tech/graphql-armor-max-depth";
import { maxTokensPlugin } from "@escape.tech/graphql-armor-max-tokens";
import { GraphQLError, type ValidationContext } from "graphql";
import type { Plugin } from "graphql-yoga";
import { shapeRefusal } from "./document-shape.js";

export const LimitCode = {
  QUERY_TOO_DEEP: "QUERY_TOO_DEEP",
  TOO_MANY_ALIASES: "TOO_MANY_ALIASES",
  TOO_MANY_TOKENS: "TOO_MANY_TOKENS",
  TOO_MANY_DIRECTIVES: "TOO_MANY_DIRECTIVES",
} as const;

export interface DocumentLimits {
  maxDepth: number;
  maxAliases: number;
  maxTokens: number;
  maxDirectives: number;
}

/**
 * The library's rules report a bare "Syntax Error"; a program needs a code and the limit, so each refusal is
 * reported again as a typed error instead.
 */
function typed(code: string, limit: number, what: string) {
  return (context: ValidationContext | null, error: GraphQLError) => {
    const found = /found (\d+)/.exec(error.message)?.[1];
    const typedError = new GraphQLError(`The operation has too many ${what}: at most ${limit} are allowed.`, {
      extensions: { code, limit, ...(found ? { found: Number(found) } : {}), http: { status: 400 } },
    });
    // Tokens are counted while parsing, where there is no validation context to report to.
    if (!context) throw typedError;
    context.reportError(typedError);
  };
}

/**
 * Refuses, before any cost is computed or anything runs, documents whose shape alone is abusive. Depth counts
 * introspection too, so nesting `ofType` cannot go around it; fragments are flattened so that splitting a
 * query into fragments neither hides nor adds depth.
 */
export function documentLimitPlugins(limits: DocumentLimits): Plugin[] {
  return [
    maxTokensPlugin({
      n: limits.maxTokens,
      onReject: [typed(LimitCode.TOO_MANY_TOKENS, limits.maxTokens, "tokens")],
    }),
    maxDepthPlugin({
      n: limits.maxDepth,
      ignoreIntrospection: false,
      flattenFragments: true,
      propagateOnRejection: false,
      onReject: [typed(LimitCode.QUERY_TOO_DEEP, limits.maxDepth, "levels of nesting")],
    }),
    {
      onValidate({ params, setResult }) {
        const refused = shapeRefusal(params.documentAST, params.schema, limits);
        if (refused) setResult([refused]);
      },
    },
  ];
}

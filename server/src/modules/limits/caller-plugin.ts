import { type ExecutionResult, GraphQLError, NoSchemaIntrospectionCustomRule, type ValidationRule } from "graphql";
import type { Plugin } from "graphql-yoga";
import { AuthenticationError } from "../auth/auth-service.js";
import type { Viewer } from "../auth/viewer.js";

const SUGGESTION = /\s*Did you mean [^?]+\?/g;

/** Field and enum suggestions ("Did you mean …") would let an anonymous caller map the schema by guessing. */
export function withoutSuggestions(error: GraphQLError): GraphQLError {
  const message = error.message.replace(SUGGESTION, "");
  if (message === error.message) return error;
  return new GraphQLError(message, {
    nodes: error.nodes ?? null,
    source: error.source ?? null,
    positions: error.positions ?? null,
    path: error.path ?? null,
    extensions: error.extensions,
  });
}

// Yoga caches validation results per set of rule names; this rule changes nothing but keeps the results
// for anonymous callers (suggestions removed) apart from everyone else's.
const AnonymousCallerRule: ValidationRule = () => ({});

interface InitialContext {
  request?: Request;
  websocket?: { authorization: string | null };
}

/**
 * Resolves the caller once per HTTP request, before the document is even parsed: a bad credential is
 * refused with 401 without learning anything about the schema, and validation knows whether the caller is
 * anonymous. Over WebSocket the credential was checked when the connection opened.
 */
export function useCaller(options: {
  authenticate: (authorization: string | null) => Promise<Viewer>;
  introspectionForAnonymous: boolean;
}) {
  const viewers = new WeakMap<Request, Viewer>();
  const anonymous = (context: InitialContext) => {
    if (context.websocket) return !context.websocket.authorization;
    const viewer = context.request ? viewers.get(context.request) : undefined;
    return !viewer || viewer.kind === "anonymous";
  };
  const plugin: Plugin = {
    async onRequestParse({ request }) {
      try {
        viewers.set(request, await options.authenticate(request.headers.get("authorization")));
      } catch (error) {
        if (!(error instanceof AuthenticationError)) throw error;
        throw new GraphQLError(error.message, { extensions: { code: "UNAUTHENTICATED", http: { status: 401 } } });
      }
    },
    onValidate({ context, addValidationRule }) {
      if (!anonymous(context as InitialContext)) return;
      addValidationRule(AnonymousCallerRule);
      if (!options.introspectionForAnonymous) addValidationRule(NoSchemaIntrospectionCustomRule);
      return ({ valid, result, setResult }) => {
        if (!valid)
          setResult(result.map((error) => (error instanceof GraphQLError ? withoutSuggestions(error) : error)));
      };
    },
    onExecute({ args }) {
      if (!anonymous(args.contextValue as InitialContext)) return;
      // Variables are checked during execution, and an unknown enum value is answered with suggestions.
      return {
        onExecuteDone({ result, setResult }) {
          if (Symbol.asyncIterator in result) return;
          const single = result as ExecutionResult;
          if (single.errors?.length) setResult({ ...single, errors: single.errors.map(withoutSuggestions) });
        },
      };
    },
  };
  return {
    plugin,
    /** The caller resolved for this request, if it went through the HTTP pipeline. */
    viewerOf: (request: Request): Viewer | undefined => viewers.get(request),
  };
}

import { type DocumentNode, type ExecutionResult, GraphQLError, Kind, visit } from "graphql";
import type { Plugin } from "graphql-yoga";

// Yoga reuses the parsed document of a repeated query, so its literals are read once.
const literalsWithNul = new WeakMap<DocumentNode, boolean>();

function hasNulInLiterals(document: DocumentNode): boolean {
  let found = literalsWithNul.get(document);
  if (found === undefined) {
    found = false;
    visit(document, {
      [Kind.STRING]: (node) => {
        if (node.value.includes("\u0000")) found = true;
      },
    });
    literalsWithNul.set(document, found);
  }
  return found;
}

/** Where in the variables, or in which literal of the document, a NUL character hides; null when nowhere. */
export function nulCharacterAt(document: DocumentNode, variables: unknown): string | null {
  const inValue = (value: unknown, path: string): string | null => {
    if (typeof value === "string") return value.includes("\u0000") ? path : null;
    if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) {
        const found = inValue(item, `${path}.${index}`);
        if (found) return found;
      }
      return null;
    }
    if (value && typeof value === "object") {
      for (const [key, item] of Object.entries(value)) {
        const found = inValue(item, path ? `${path}.${key}` : key);
        if (found) return found;
      }
    }
    return null;
  };
  const inVariables = inValue(variables, "");
  if (inVariables) return `$${inVariables}`;
  return hasNulInLiterals(document) ? "a string literal" : null;
}

/** No list argument of the API needs more values than this: filters name a few statuses, codes or types. */
export const MAX_LIST_VALUES = 100;

/**
 * Where a list of more than `max` values hides, in the variables or in a list literal of the document; null
 * when nowhere. Refused before anything runs, so a huge list never becomes thousands of SQL parameters.
 */
export function oversizedListAt(
  document: DocumentNode,
  variables: unknown,
  max = MAX_LIST_VALUES,
): { where: string; found: number } | null {
  const inValue = (value: unknown, path: string): { where: string; found: number } | null => {
    if (Array.isArray(value)) {
      if (value.length > max) return { where: path, found: value.length };
      for (const [index, item] of value.entries()) {
        const found = inValue(item, `${path}.${index}`);
        if (found) return found;
      }
      return null;
    }
    if (value && typeof value === "object") {
      for (const [key, item] of Object.entries(value)) {
        const found = inValue(item, path ? `${path}.${key}` : key);
        if (found) return found;
      }
    }
    return null;
  };
  const inVariables = inValue(variables, "");
  if (inVariables) return { where: `$${inVariables.where}`, found: inVariables.found };
  let inDocument: { where: string; found: number } | null = null;
  visit(document, {
    [Kind.LIST]: (node) => {
      if (!inDocument && node.values.length > max) inDocument = { where: "a list literal", found: node.values.length };
    },
  });
  return inDocument;
}

const isSingle = (result: unknown): result is ExecutionResult => !(Symbol.asyncIterator in (result as object));

/**
 * Text with a NUL character can never be stored (PostgreSQL refuses it) nor mean anything, and a list of
 * more than MAX_LIST_VALUES values is never needed, so both are refused before anything runs (the cost
 * included), as a validation failure rather than a database error. Costs a walk over the variables and the
 * document's literals: microseconds for an ordinary operation. Variables that do not fit the
 * operation are refused by GraphQL itself without a code; they get BAD_USER_INPUT, as on subscriptions.
 */
export function useInputHygiene(): Plugin {
  const refusal = (document: DocumentNode, variables: unknown): GraphQLError | null => {
    const nul = nulCharacterAt(document, variables);
    if (nul) {
      return new GraphQLError(`Text may not contain NUL characters (U+0000): ${nul}.`, {
        extensions: { code: "VALIDATION_FAILED", field: nul },
      });
    }
    const list = oversizedListAt(document, variables);
    if (list) {
      return new GraphQLError(`A list may hold at most ${MAX_LIST_VALUES} values; ${list.where} holds ${list.found}.`, {
        extensions: { code: "VALIDATION_FAILED", field: list.where, limit: MAX_LIST_VALUES, found: list.found },
      });
    }
    return null;
  };
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const refused = refusal(args.document, args.variableValues);
      if (refused) {
        setResultAndStopExecution({ errors: [refused] });
        return;
      }
      return {
        onExecuteDone({ result, setResult }) {
          if (!isSingle(result) || result.data !== undefined || !result.errors?.length) return;
          setResult({
            ...result,
            errors: result.errors.map((error) =>
              error.extensions.code
                ? error
                : new GraphQLError(error.message, {
                    nodes: error.nodes ?? null,
                    extensions: { ...error.extensions, code: "BAD_USER_INPUT" },
                  }),
            ),
          });
        },
      };
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const refused = refusal(args.document, args.variableValues);
      if (refused) setResultAndStopExecution({ errors: [refused] });
    },
  };
}

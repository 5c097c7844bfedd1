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

const isSingle = (result: unknown): result is ExecutionResult => !(Symbol.asyncIterator in (result as object));

/**
 * Text with a NUL character can never be stored (PostgreSQL refuses it) nor mean anything, so it is refused
 * before anything runs, as a validation failure rather than a database error. Variables that do not fit the
 * operation are refused by GraphQL itself without a code; they get BAD_USER_INPUT, as on subscriptions.
 */
export function useInputHygiene(): Plugin {
  const refusal = (where: string) =>
    new GraphQLError(`Text may not contain NUL characters (U+0000): ${where}.`, {
      extensions: { code: "VALIDATION_FAILED", field: where },
    });
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const where = nulCharacterAt(args.document, args.variableValues);
      if (where) {
        setResultAndStopExecution({ errors: [refusal(where)] });
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
      const where = nulCharacterAt(args.document, args.variableValues);
      if (where) setResultAndStopExecution({ errors: [refusal(where)] });
    },
  };
}

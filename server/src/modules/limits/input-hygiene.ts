import { type DocumentNode, type ExecutionResult, GraphQLError, Kind, visit } from "graphql";
import type { Plugin } from "graphql-yoga";

/** No list argument of the API needs more values than this: filters name a few statuses, codes or types. */
export const MAX_LIST_VALUES = 100;

/** Input that can never be meant: where it hides, in the variables or among the document's literals. */
export type InputFault =
  | { kind: "nul"; where: string }
  | { kind: "surrogate"; where: string }
  | { kind: "list"; where: string; found: number };

// Without the `u` flag a pattern sees UTF-16 code units, so a surrogate without its partner is found as such.
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is exactly what it looks for.
const BAD_TEXT = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * NUL can never be stored (PostgreSQL refuses it in text) and a lone UTF-16 surrogate is no character at all
 * (refused in jsonb, silently turned into U+FFFD in text); null when the text is clean.
 */
export function textFault(text: string): "nul" | "surrogate" | null {
  const found = BAD_TEXT.exec(text);
  if (!found) return null;
  return found[0] === "\u0000" ? "nul" : "surrogate";
}

function valueFault(value: unknown, path: string, maxList: number): InputFault | null {
  if (typeof value === "string") {
    const kind = textFault(value);
    return kind ? { kind, where: path } : null;
  }
  if (Array.isArray(value)) {
    if (value.length > maxList) return { kind: "list", where: path, found: value.length };
    for (const [index, item] of value.entries()) {
      const found = valueFault(item, `${path}.${index}`, maxList);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      const found = valueFault(item, path ? `${path}.${key}` : key, maxList);
      if (found) return found;
    }
  }
  return null;
}

// Yoga reuses the parsed document of a repeated query, so its literals are read once per document.
const literalFaults = new WeakMap<DocumentNode, InputFault | null>();

function documentFault(document: DocumentNode, maxList: number): InputFault | null {
  const known = literalFaults.get(document);
  if (known !== undefined) return known;
  let found: InputFault | null = null;
  visit(document, {
    [Kind.STRING]: (node) => {
      const kind = found ? null : textFault(node.value);
      if (kind) found = { kind, where: "a string literal" };
    },
    [Kind.LIST]: (node) => {
      if (!found && node.values.length > maxList)
        found = { kind: "list", where: "a list literal", found: node.values.length };
    },
  });
  literalFaults.set(document, found);
  return found;
}

/**
 * The first fault of the input, or null: one walk over the variables, and one over the document's literals
 * the first time that document is seen. A list over MAX_LIST_VALUES values is refused before anything runs, so a huge
 * list never becomes thousands of SQL parameters.
 */
export function inputFault(document: DocumentNode, variables: unknown): InputFault | null {
  const inVariables = valueFault(variables, "", MAX_LIST_VALUES);
  if (inVariables) return { ...inVariables, where: `$${inVariables.where}` };
  return documentFault(document, MAX_LIST_VALUES);
}

const isSingle = (result: unknown): result is ExecutionResult => !(Symbol.asyncIterator in (result as object));

/**
 * Text with a NUL character or a lone UTF-16 surrogate can never be stored faithfully nor mean anything, and
 * a list of more than MAX_LIST_VALUES values is never needed, so all are refused before anything runs (the
 * cost included), as a validation failure rather than a database error. Costs one walk over the variables
 * per operation and one over the document's literals per parsed document: microseconds for an ordinary
 * operation. Variables that do not fit the operation are refused by GraphQL itself without a code; they get
 * BAD_USER_INPUT, as on subscriptions.
 */
export function useInputHygiene(): Plugin {
  const refusal = (document: DocumentNode, variables: unknown): GraphQLError | null => {
    const fault = inputFault(document, variables);
    if (!fault) return null;
    switch (fault.kind) {
      case "nul":
        return new GraphQLError(`Text may not contain NUL characters (U+0000): ${fault.where}.`, {
          extensions: { code: "VALIDATION_FAILED", field: fault.where },
        });
      case "surrogate":
        return new GraphQLError(
          `Text must be valid Unicode: ${fault.where} holds a lone UTF-16 surrogate (U+D800 to U+DFFF without its pair).`,
          { extensions: { code: "VALIDATION_FAILED", field: fault.where } },
        );
      case "list":
        return new GraphQLError(
          `A list may hold at most ${MAX_LIST_VALUES} values; ${fault.where} holds ${fault.found}.`,
          { extensions: { code: "VALIDATION_FAILED", field: fault.where, limit: MAX_LIST_VALUES, found: fault.found } },
        );
    }
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

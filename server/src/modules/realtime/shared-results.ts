import { execute } from "@graphql-tools/executor";
import { createGraphQLError, isAsyncIterable, mapAsyncIterator } from "@graphql-tools/utils";
import { createSourceEventStream, type ExecutionArgs, type ExecutionResult, getOperationAST } from "graphql";
import type { Plugin } from "graphql-yoga";
import type { Context } from "../../graphql/context.js";
import type { Viewer } from "../auth/viewer.js";

/** How often an item was executed and how often an execution was reused (for tests and logs). */
export interface SharingCounters {
  executions: number;
  reused: number;
}

/**
 * What a subscription's results can depend on about its caller: the kind of credential, the role or the
 * key's scopes, and the unit subtree. Resolvers read nothing else of the viewer (identities are used by
 * mutations only), so two subscribers with the same profile, document and variables get the same
 * result for the same event. Null: never shared.
 */
export function accessProfile(viewer: Viewer): string | null {
  switch (viewer.kind) {
    case "user":
      return `user:${viewer.role}:${viewer.unitId}:${viewer.unitIds.size}`;
    case "apiKey":
      return `key:${[...viewer.scopes].sort().join(",")}:${viewer.unitId}:${viewer.unitIds.size}`;
    default:
      return null;
  }
}

interface Execution {
  readonly result: Promise<ExecutionResult>;
  /** Personal data was read: the result is the reader's alone, so each subscriber reads (and is logged). */
  readonly personal: Promise<boolean>;
}

/**
 * Executes each subscription item once for all subscribers that would get the same result: the same
 * access profile (above), document, operation and variables, and the same item object (the hub hands
 * every subscriber the same event, the queue board the same snapshot). A unit watched by twenty
 * supervisors costs one execution per event instead of twenty. An execution that read unmasked personal
 * data is not reused, so every subscriber's read is written to the access log under their own name.
 */
export function useSharedSubscriptionResults(counters?: SharingCounters): Plugin<Context> {
  const executions = new WeakMap<object, Map<string, Execution>>();
  return {
    onSubscribe({ args, setSubscribeFn }) {
      const context = args.contextValue as Context;
      const profile = context.viewer ? accessProfile(context.viewer) : null;
      const source = args.document.loc?.source.body;
      if (!profile || !source) return;
      const key = [profile, args.operationName ?? "", JSON.stringify(args.variableValues ?? {}), source].join("\u0000");

      const run = (itemArgs: ExecutionArgs): Execution => {
        // The context the item executes with is the one whose reads are logged.
        const reads = (itemArgs.contextValue as Context).personalData;
        const before = reads.pending;
        if (counters) counters.executions += 1;
        const result = Promise.resolve(execute(itemArgs) as ExecutionResult | Promise<ExecutionResult>);
        return { result, personal: result.then(() => reads.pending > before) };
      };

      const resultFor = async (payload: unknown, subscribeArgs: ExecutionArgs): Promise<ExecutionResult> => {
        const itemArgs = { ...subscribeArgs, rootValue: payload };
        if (typeof payload !== "object" || payload === null) return run(itemArgs).result;
        let byKey = executions.get(payload);
        if (!byKey) {
          byKey = new Map();
          executions.set(payload, byKey);
        }
        const earlier = byKey.get(key);
        if (earlier && !(await earlier.personal.catch(() => true))) {
          if (counters) counters.reused += 1;
          // Each subscriber's hooks (error masking, logging) get their own envelope; the data is shared.
          return { ...(await earlier.result) };
        }
        const mine = run(itemArgs);
        if (!earlier) byKey.set(key, mine);
        return mine.result;
      };

      setSubscribeFn(async (subscribeArgs: ExecutionArgs) => {
        const stream = await createSourceEventStream(subscribeArgs);
        if (!isAsyncIterable(stream)) return stream;
        const operation = getOperationAST(subscribeArgs.document, subscribeArgs.operationName);
        return mapAsyncIterator(
          stream as AsyncIterable<unknown>,
          (payload) => resultFor(payload, subscribeArgs),
          (error: unknown) => {
            // As the executor does: the stream's error, located at the operation.
            const cause = error instanceof Error ? error : new Error(String(error));
            throw createGraphQLError(cause.message, { originalError: cause, nodes: operation ? [operation] : [] });
          },
        );
      });
    },
  };
}

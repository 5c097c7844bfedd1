import { type DocumentNode, type ExecutionResult, GraphQLError, type GraphQLSchema } from "graphql";
import type { Plugin } from "graphql-yoga";
import type { BudgetTierName } from "../../config/env.js";
import type { Context } from "../../graphql/context.js";
import type { Logger } from "../../logger.js";
import type { Viewer } from "../auth/viewer.js";
import type { UnitTree } from "../units/unit-tree.js";
import type { BudgetStore, BudgetTier } from "./budget.js";
import { costVariables, operationCost, type UnitCounts } from "./cost.js";

export const CostCode = {
  QUERY_TOO_COSTLY: "QUERY_TOO_COSTLY",
  RATE_LIMITED: "RATE_LIMITED",
} as const;

/** Headers of an HTTP answer to one operation: the budget's size, what is left, and what the operation cost. */
export const RATE_LIMIT_HEADERS = ["X-RateLimit-Limit", "X-RateLimit-Remaining", "X-Query-Cost"] as const;

/** What `extensions.cost` of every response tells the client. */
export interface CostReport {
  requested: number;
  /** The most one operation may cost for this client. */
  limit: number;
  budget: { remaining: number; capacity: number; refillPerSecond: number; tier: BudgetTierName };
}

/** Whose budget an operation draws from: the key, the person, or for anonymous callers their address. */
export function budgetOwner(viewer: Viewer, clientAddress: string): { client: string; tier: BudgetTierName } {
  switch (viewer.kind) {
    case "apiKey":
      return { client: `key:${viewer.keyId}`, tier: viewer.rateTier };
    case "user":
      return { client: `user:${viewer.userId}`, tier: "STAFF" };
    default:
      return { client: `address:${clientAddress}`, tier: "ANONYMOUS" };
  }
}

type Charge = { report: CostReport } | { error: GraphQLError };

const unitCounts = new WeakMap<UnitTree, UnitCounts>();

/** The unit tree as the cost model reads it; the server loads the tree once and never changes it. */
function unitCountsOf(tree: UnitTree): UnitCounts {
  let counts = unitCounts.get(tree);
  if (!counts) {
    counts = {
      subtree: (code) => {
        const unit = tree.byCode(code);
        return unit ? tree.subtree(unit.id).size : 1;
      },
      all: tree.size,
    };
    unitCounts.set(tree, counts);
  }
  return counts;
}

// Costs of a parsed document (Yoga reuses it for a repeated query) by operation and the variables that can
// change the cost (costVariables): a client that repeats one operation, with any input, is costed once.
// Bounded per document; variables too long to key are not kept. Variables left out of the key are still
// checked against the operation by GraphQL when it runs (input-hygiene gives that refusal its code).
const costsByDocument = new WeakMap<DocumentNode, Map<string, number>>();
const MAX_KEYED_VARIABLES = 512;
const MAX_COSTS_PER_DOCUMENT = 64;

function rememberedCost(options: Parameters<typeof operationCost>[0]): number {
  const relevant: Record<string, unknown> = {};
  for (const name of costVariables(options.document)) relevant[name] = options.variables?.[name];
  const variables = JSON.stringify(relevant);
  if (variables.length > MAX_KEYED_VARIABLES) return operationCost(options);
  const key = `${options.operationName ?? ""}\u0000${variables}`;
  let costs = costsByDocument.get(options.document);
  const known = costs?.get(key);
  if (known !== undefined) return known;
  // Bad variables throw here, and so are never remembered.
  const cost = operationCost(options);
  if (!costs) {
    costs = new Map();
    costsByDocument.set(options.document, costs);
  }
  if (costs.size >= MAX_COSTS_PER_DOCUMENT) costs.clear();
  costs.set(key, cost);
  return cost;
}

/** Status codes and headers mean something only in an HTTP answer; a WebSocket message would just carry them. */
const overHttp = (context: Context, http: Record<string, unknown>) => (context.transport === "http" ? { http } : {});

/**
 * Costs every operation from its document before it runs, refuses one that costs more than a single operation
 * may, and takes the cost from the caller's budget, refusing with when to retry once it is spent. The charge
 * is the requested cost, not a later measurement, so a refused or failing operation was never started.
 */
export function useQueryCost(options: {
  maxCostPerOperation: number;
  budgets: Record<BudgetTierName, BudgetTier>;
  /** Read per operation: the Redis store replaces the in-memory one when the server starts. */
  store: () => BudgetStore;
  logger: Logger;
}): Plugin<Context> {
  async function charge(args: {
    schema: GraphQLSchema;
    document: DocumentNode;
    variableValues?: Record<string, unknown> | null | undefined;
    operationName?: string | null | undefined;
    contextValue: Context;
  }): Promise<Charge> {
    let requested: number;
    try {
      requested = rememberedCost({
        schema: args.schema,
        document: args.document,
        variables: args.variableValues,
        operationName: args.operationName,
        units: unitCountsOf(args.contextValue.units),
      });
    } catch (error) {
      // Variables that do not fit the operation. Refused here rather than left to execution, so that no
      // operation ever runs without having been costed.
      const message = error instanceof Error ? error.message : "The variables do not fit the operation.";
      // As GraphQL over HTTP asks for a request error: 400 when the client accepts graphql-response+json.
      const http = overHttp(args.contextValue, { spec: true, status: 400 });
      return { error: new GraphQLError(message, { extensions: { code: "BAD_USER_INPUT", ...http } }) };
    }
    const { client, tier } = budgetOwner(args.contextValue.viewer, args.contextValue.clientAddress);
    const budget = options.budgets[tier];
    const limit = Math.min(options.maxCostPerOperation, budget.capacity);
    const describe = (remaining: number) => ({
      requested,
      limit,
      budget: { remaining, capacity: budget.capacity, refillPerSecond: budget.refillPerSecond, tier },
    });
    if (requested > limit) {
      return {
        error: new GraphQLError(
          `The operation costs ${requested} points; at most ${limit} are allowed in one operation. Ask for smaller pages (first/last) or fewer nested objects.`,
          {
            extensions: {
              code: CostCode.QUERY_TOO_COSTLY,
              cost: requested,
              maximum: limit,
              ...overHttp(args.contextValue, { spec: true, status: 400 }),
            },
          },
        ),
      };
    }
    const spend = await options.store().spend(client, budget, requested);
    if (!spend.allowed) {
      options.logger.info({ client, tier, requested, remaining: spend.remaining }, "query budget exhausted");
      return {
        error: new GraphQLError(
          `The operation costs ${requested} points but only ${spend.remaining} are left; retry in ${spend.retryAfterSeconds} s.`,
          {
            extensions: {
              code: CostCode.RATE_LIMITED,
              retryAfter: spend.retryAfterSeconds,
              cost: describe(spend.remaining),
              ...overHttp(args.contextValue, {
                status: 429,
                headers: { "Retry-After": String(spend.retryAfterSeconds) },
              }),
            },
          },
        ),
      };
    }
    return { report: describe(spend.remaining) };
  }

  return {
    async onExecute({ args, setResultAndStopExecution }) {
      const outcome = await charge(args);
      if ("error" in outcome) {
        setResultAndStopExecution({ errors: [outcome.error] });
        return;
      }
      return {
        onExecuteDone({ result, setResult }) {
          if (Symbol.asyncIterator in result) return;
          const single = result as ExecutionResult;
          const { report } = outcome;
          const headers: Record<(typeof RATE_LIMIT_HEADERS)[number], string> = {
            "X-RateLimit-Limit": String(report.budget.capacity),
            "X-RateLimit-Remaining": String(report.budget.remaining),
            "X-Query-Cost": String(report.requested),
          };
          // Yoga turns extensions.http into response headers and leaves it out of the body.
          setResult({
            ...single,
            extensions: { ...single.extensions, cost: report, ...overHttp(args.contextValue, { headers }) },
          });
        },
      };
    },
    async onSubscribe({ args, setResultAndStopExecution }) {
      const outcome = await charge(args);
      if ("error" in outcome) setResultAndStopExecution({ errors: [outcome.error] });
    },
  };
}

import {
  type DocumentNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  getNamedType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
} from "graphql";
import { type ComplexityEstimator, type ComplexityEstimatorArgs, getComplexity } from "graphql-query-complexity";

/**
 * The cost model, in points (see docs/api-limits.md):
 * - a scalar or enum field costs 0: it comes with its object;
 * - a field that returns an object costs 1 plus what is selected inside it;
 * - a connection costs 1 plus its page size (`first`/`last`, else the default page) times what is selected
 *   in one edge; `edges` and `pageInfo` add nothing of their own, so nested connections multiply;
 * - a list of objects costs 1 plus its expected size (or its `first`) times what is selected in one element;
 * - every mutation field costs MUTATION_COST more, every subscription field SUBSCRIPTION_COST more;
 * - the schema introspection (`__schema`) costs INTROSPECTION_COST, whatever is selected.
 */
export const MUTATION_COST = 10;
export const SUBSCRIPTION_COST = 10;
export const INTROSPECTION_COST = 50;
/** What a connection returns when neither `first` nor `last` is given, and what it never exceeds. */
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
/** Lists whose length nothing bounds in advance are expected to be this long. */
export const DEFAULT_LIST_SIZE = 10;

export interface FieldCost {
  /** Points of its own, replacing the 1 of an object field. */
  readonly base?: number;
  /** Expected number of elements of a list; 1 when its elements come in one piece with the parent. */
  readonly listSize?: number;
}

/**
 * Lists of objects with a known bound, and fields that cost more than a row. A test requires every list of
 * objects in the schema to be named here, so a new list gets a conscious size.
 */
export const FIELD_COSTS: Readonly<Record<string, FieldCost>> = {
  // The unit directory has about 200 units; a regional office has a few dozen below it.
  "Query.units": { listSize: 200 },
  "Unit.children": { listSize: 40 },
  // Staff of one unit: a supervisor and a few dozen agents at most.
  "Unit.staff": { listSize: 40 },
  // The category tree is reference data of a few dozen topics, two levels deep.
  "Query.categories": { listSize: 30 },
  "Category.children": { listSize: 10 },
  "Query.holidays": { listSize: 40 },
  // Third-party keys: a few dozen partners, with revoked keys kept for the record.
  "Query.apiKeys": { listSize: 100 },
  "Query.slaPolicies": { listSize: 20 },
  "Ticket.messages": { listSize: 20 },
  // Two clocks per ticket: first response and resolution.
  "Ticket.sla": { listSize: 2 },
  // Aggregates: one database query for the whole figure set, whatever the number of rows.
  "Query.unitMetrics": { base: 10 },
  "Query.nationalOverview": { base: 10, listSize: 40 },
  "Query.subunitMetrics": { base: 10, listSize: 40 },
  "MetricFigures.sla": { listSize: 1 },
  "UnitMetrics.buckets": { listSize: 1 },
  "UnitMetrics.breakdown": { listSize: 1 },
  "QueueSnapshot.byStatus": { listSize: 1 },
  "QueueSnapshot.byChannel": { listSize: 1 },
};

const isConnectionType = (type: GraphQLNamedType): boolean =>
  isObjectType(type) && "edges" in type.getFields() && "pageInfo" in type.getFields();

const returnsList = (field: GraphQLField<unknown, unknown>): boolean =>
  isListType(isNonNullType(field.type) ? field.type.ofType : field.type);

function pageSize(args: Record<string, unknown>): number {
  const requested = typeof args.first === "number" ? args.first : typeof args.last === "number" ? args.last : null;
  if (requested === null) return DEFAULT_PAGE_SIZE;
  return Math.min(Math.max(requested, 0), MAX_PAGE_SIZE);
}

/** A list with a `first` argument returns at most that many; others their declared expected size. */
function listSize(args: Record<string, unknown>, declared: FieldCost | undefined): number {
  const expected = declared?.listSize ?? DEFAULT_LIST_SIZE;
  return typeof args.first === "number" ? Math.min(Math.max(args.first, 0), MAX_PAGE_SIZE) : expected;
}

function rootSurcharge(schema: GraphQLSchema, parent: ComplexityEstimatorArgs["type"]): number {
  if (parent === schema.getMutationType()) return MUTATION_COST;
  if (parent === schema.getSubscriptionType()) return SUBSCRIPTION_COST;
  return 0;
}

function estimatorFor(schema: GraphQLSchema): ComplexityEstimator {
  return ({ type: parent, field, args, childComplexity }) => {
    const named = getNamedType(field.type);
    const surcharge = rootSurcharge(schema, parent);
    if (field.name === "__schema") return INTROSPECTION_COST;
    if (isLeafType(named)) return surcharge;
    const declared = FIELD_COSTS[`${parent.name}.${field.name}`];
    const own = (declared?.base ?? 1) + surcharge;
    if (isConnectionType(named)) return own + pageSize(args) * childComplexity;
    if (isConnectionType(parent) && (field.name === "edges" || field.name === "pageInfo")) return childComplexity;
    if (returnsList(field)) return own + listSize(args, declared) * childComplexity;
    return own + childComplexity;
  };
}

/** Points one operation of the document costs, before it runs. Throws the GraphQLError of bad variables. */
export function operationCost(options: {
  schema: GraphQLSchema;
  document: DocumentNode;
  variables?: Record<string, unknown> | null | undefined;
  operationName?: string | null | undefined;
}): number {
  return getComplexity({
    schema: options.schema,
    query: options.document,
    variables: options.variables ?? {},
    ...(options.operationName ? { operationName: options.operationName } : {}),
    estimators: [estimatorFor(options.schema)],
  });
}

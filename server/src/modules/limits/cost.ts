import {
  type ASTNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  getNamedType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  type SelectionSetNode,
  visit,
} from "graphql";
import { type ComplexityEstimator, type ComplexityEstimatorArgs, getComplexity } from "graphql-query-complexity";
import type { Granularity } from "../metrics/buckets.js";
import { metricsPoints } from "../metrics/metrics-cost.js";

/**
 * The cost model, in points (see docs/api-limits.md):
 * - a scalar or enum field costs 0: it comes with its object;
 * - a field that returns an object costs 1 plus what is selected inside it;
 * - a connection costs 1 plus its page size (`first`/`last`, else the default page) times what is selected
 *   in one edge; `edges` and `pageInfo` add nothing of their own, so nested connections multiply;
 * - a list of objects costs 1 plus its expected size (or its `first`) times what is selected in one element;
 * - every mutation field costs MUTATION_COST more, every subscription field SUBSCRIPTION_COST more;
 * - the schema introspection (`__schema`) costs INTROSPECTION_COST, whatever is selected;
 * - a connection's count (`totalCount`, `totalCountIsCapped`) costs COUNT_COST, once per connection;
 * - a metrics field costs its rollup rows on top (metrics-cost.ts).
 */
export const MUTATION_COST = 10;
export const SUBSCRIPTION_COST = 10;
export const INTROSPECTION_COST = 50;
/** A count reads up to 10,000 index entries or rows, however small the page beside it. */
export const COUNT_COST = 10;
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
  /** Fields of a connection that make it count its rows: COUNT_COST once, however many are selected. */
  readonly counts?: readonly string[];
  /** Points for the database work the field's arguments and selection ask for, on top of the rest. */
  readonly work?: (field: FieldWork) => number;
}

/** How many units a metrics field sums: from the server's unit tree; 1 each when none is given (tests). */
export interface UnitCounts {
  /** Units in the subtree of the unit with this code, the unit included; 1 for an unknown code. */
  subtree(code: string): number;
  readonly all: number;
}

export interface FieldWork {
  readonly args: Record<string, unknown>;
  /** Every field name selected anywhere below the field, through fragments. */
  readonly selected: ReadonlySet<string>;
  readonly units: UnitCounts;
}

const ONE_UNIT: UnitCounts = { subtree: () => 1, all: 1 };

const DAY_MS = 86_400_000;
const dateArg = (value: unknown, fallback: Date): Date => (value instanceof Date ? value : fallback);
const granularityArg = (value: unknown): Granularity =>
  value === "HOUR" || value === "WEEK" || value === "MONTH" ? value : "DAY";
const codeArg = (value: unknown) => (typeof value === "string" ? value : "");

function metricsWork(units: (field: FieldWork) => number): (field: FieldWork) => number {
  return (field) => {
    const to = dateArg(field.args.to, new Date());
    return metricsPoints({
      units: units(field),
      from: dateArg(field.args.from, new Date(to.getTime() - 30 * DAY_MS)),
      to,
      granularity: granularityArg(field.args.granularity ?? "DAY"),
      selected: field.selected,
    });
  };
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
  // A year's SKB: about 17 national holidays and 8 days of cuti bersama.
  "HolidayImport.holidays": { listSize: 40 },
  // The citizens' reads: the public directory and category tree, and one ticket's public replies.
  "Query.publicUnits": { listSize: 200 },
  "Query.publicCategories": { listSize: 30 },
  "PublicTicket.replies": { listSize: 20 },
  // A month of one unit and its children from the rollups, computed in one piece and cached for every
  // caller: priced like a small metrics read, its lists coming with it.
  "Query.publicStatistics": { base: 10 },
  "PublicStatistics.subunits": { listSize: 1 },
  "PublicStatistics.channels": { listSize: 1 },
  // Third-party keys: a few dozen partners, with revoked keys kept for the record.
  "Query.apiKeys": { listSize: 100 },
  // A key has at most 10 active subscriptions (webhook-service.ts); removed ones are listed on request.
  "Query.webhookSubscriptions": { listSize: 10 },
  "Query.slaPolicies": { listSize: 20 },
  // A policy's stage clocks: at most the three stage kinds.
  "SlaPolicy.stages": { listSize: 3 },
  "Ticket.messages": { listSize: 20 },
  // An e-mail brings at most 20 attachments (email-rules MAX_ATTACHMENTS); a ticket a few such e-mails.
  "Ticket.attachments": { listSize: 20 },
  "Message.attachments": { listSize: 20 },
  // First response and resolution, and up to three stage clocks of a complaint.
  "Ticket.sla": { listSize: 5 },
  // Counting stops at 10,000 matches; both fields read the one count.
  "Query.tickets": { counts: ["totalCount", "totalCountIsCapped"] },
  "Query.users": { counts: ["totalCount"] },
  // Aggregates: a base for the statements, and the rollup rows they read (units × days × series). The
  // national overview always computes every regional office, whatever the caller's scope.
  "Query.unitMetrics": { base: 10, work: metricsWork(({ args, units }) => units.subtree(codeArg(args.code))) },
  "Query.nationalOverview": { base: 10, listSize: 40, work: metricsWork(({ units }) => units.all) },
  "Query.subunitMetrics": {
    base: 10,
    listSize: 40,
    work: metricsWork(({ args, units }) => Math.max(1, units.subtree(codeArg(args.code)) - 1)),
  },
  // Figures per person: the staff rollups of a subtree's units over the days (metric_staff_daily and
  // metric_staff_duration), priced as the unit metrics are; a team lists a few dozen people.
  "Query.teamFigures": { base: 10, work: metricsWork(({ args, units }) => units.subtree(codeArg(args.code))) },
  "Query.subunitTeamFigures": {
    base: 10,
    listSize: 40,
    work: metricsWork(({ args, units }) => Math.max(1, units.subtree(codeArg(args.code)) - 1)),
  },
  "Query.myFigures": { base: 5 },
  "TeamFigures.members": { listSize: 40 },
  "StaffFigures.sla": { listSize: 1 },
  "MetricFigures.sla": { listSize: 1 },
  "UnitMetrics.buckets": { listSize: 1 },
  "UnitMetrics.breakdown": { listSize: 1 },
  "QueueSnapshot.byStatus": { listSize: 1 },
  "QueueSnapshot.byChannel": { listSize: 1 },
};

/**
 * The only arguments the cost model reads (page sizes, metrics periods and units). A new estimator that reads
 * another argument must add it here, or costs would be remembered across values that cost differently.
 */
export const COST_ARGUMENTS: ReadonlySet<string> = new Set(["first", "last", "from", "to", "granularity", "code"]);

const costVariableNames = new WeakMap<DocumentNode, readonly string[]>();

/**
 * Variables that can change what the document costs: those inside a cost argument, and those of directives
 * (`@include(if: $x)` changes the selection). A mutation's `input` never does, so an operation repeated with
 * new input is costed once.
 */
export function costVariables(document: DocumentNode): readonly string[] {
  const known = costVariableNames.get(document);
  if (known) return known;
  const names = new Set<string>();
  const collect = (node: ASTNode) =>
    visit(node, {
      Variable: (variable) => {
        names.add(variable.name.value);
      },
    });
  visit(document, {
    Field: (field) => {
      for (const argument of field.arguments ?? [])
        if (COST_ARGUMENTS.has(argument.name.value)) collect(argument.value);
    },
    Directive: (directive) => {
      for (const argument of directive.arguments ?? []) collect(argument.value);
    },
    // A variable's definition names it without using it.
    VariableDefinition: () => false,
  });
  const found = [...names].sort();
  costVariableNames.set(document, found);
  return found;
}

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

type Fragments = Readonly<Record<string, FragmentDefinitionNode>>;

/** Names of the fields selected in `selectionSet`, at its own level only or at every depth. */
function selectedNames(
  selectionSet: SelectionSetNode | undefined,
  fragments: Fragments,
  deep: boolean,
  into = new Set<string>(),
  seen = new Set<string>(),
): Set<string> {
  for (const selection of selectionSet?.selections ?? []) {
    if (selection.kind === Kind.FIELD) {
      into.add(selection.name.value);
      if (deep) selectedNames(selection.selectionSet, fragments, deep, into, seen);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      selectedNames(selection.selectionSet, fragments, deep, into, seen);
    } else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      selectedNames(fragments[selection.name.value]?.selectionSet, fragments, deep, into, seen);
    }
  }
  return into;
}

interface EstimateContext {
  fragments: Fragments;
  units: UnitCounts;
}

function extraPoints(declared: FieldCost | undefined, estimate: ComplexityEstimatorArgs): number {
  if (!declared?.counts && !declared?.work) return 0;
  const { fragments, units } = estimate.context as EstimateContext;
  let points = 0;
  if (declared.counts) {
    const own = selectedNames(estimate.node.selectionSet, fragments, false);
    if (declared.counts.some((name) => own.has(name))) points += COUNT_COST;
  }
  if (declared.work) {
    points += declared.work({
      args: estimate.args,
      selected: selectedNames(estimate.node.selectionSet, fragments, true),
      units,
    });
  }
  return points;
}

function estimatorFor(schema: GraphQLSchema): ComplexityEstimator {
  return (estimate) => {
    const { type: parent, field, args, childComplexity } = estimate;
    const named = getNamedType(field.type);
    const surcharge = rootSurcharge(schema, parent);
    if (field.name === "__schema") return INTROSPECTION_COST;
    if (isLeafType(named)) return surcharge;
    const declared = FIELD_COSTS[`${parent.name}.${field.name}`];
    const own = (declared?.base ?? 1) + surcharge + extraPoints(declared, estimate);
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
  /** The server's unit tree, for the units a metrics field sums. */
  units?: UnitCounts | undefined;
}): number {
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of options.document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  }
  const context: EstimateContext = { fragments, units: options.units ?? ONE_UNIT };
  return getComplexity({
    context,
    schema: options.schema,
    query: options.document,
    variables: options.variables ?? {},
    ...(options.operationName ? { operationName: options.operationName } : {}),
    estimators: [estimatorFor(options.schema)],
  });
}

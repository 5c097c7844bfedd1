import {
  type DefinitionNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLSchema,
  Kind,
  type SelectionSetNode,
  visit,
} from "graphql";

/** What one operation adds up to once its fragments are spread: the largest operation of the document. */
export interface DocumentShape {
  aliases: number;
  directives: number;
  /** Names of directives the schema does not define, each once. */
  unknownDirectives: string[];
}

interface Counts {
  aliases: number;
  directives: number;
}

function isFragment(definition: DefinitionNode): definition is FragmentDefinitionNode {
  return definition.kind === Kind.FRAGMENT_DEFINITION;
}

/**
 * Counts every alias (`__typename` included: an alias of it is as many response keys as any other) and every
 * directive (on the operation, its variables, fields, fragments and spreads) of each operation, a fragment
 * as often as it is spread. A fragment that spreads itself counts once; validation refuses it later.
 */
export function documentShape(document: DocumentNode, knownDirectives: ReadonlySet<string>): DocumentShape {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions)
    if (isFragment(definition)) fragments.set(definition.name.value, definition);
  const fragmentCounts = new Map<string, Counts | "counting">();

  const countSet = (set: SelectionSetNode | undefined): Counts => {
    const total: Counts = { aliases: 0, directives: 0 };
    for (const selection of set?.selections ?? []) {
      total.directives += selection.directives?.length ?? 0;
      if (selection.kind === Kind.FIELD) {
        if (selection.alias) total.aliases += 1;
        add(total, countSet(selection.selectionSet));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        add(total, countSet(selection.selectionSet));
      } else {
        add(total, countFragment(selection.name.value));
      }
    }
    return total;
  };
  const countFragment = (name: string): Counts => {
    const known = fragmentCounts.get(name);
    if (known === "counting") return { aliases: 0, directives: 0 };
    if (known) return known;
    const fragment = fragments.get(name);
    if (!fragment) return { aliases: 0, directives: 0 };
    fragmentCounts.set(name, "counting");
    const counts = countSet(fragment.selectionSet);
    counts.directives += fragment.directives?.length ?? 0;
    fragmentCounts.set(name, counts);
    return counts;
  };

  const shape: DocumentShape = { aliases: 0, directives: 0, unknownDirectives: [] };
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const counts = countSet(definition.selectionSet);
    counts.directives += definition.directives?.length ?? 0;
    for (const variable of definition.variableDefinitions ?? []) counts.directives += variable.directives?.length ?? 0;
    shape.aliases = Math.max(shape.aliases, counts.aliases);
    shape.directives = Math.max(shape.directives, counts.directives);
  }
  const unknown = new Set<string>();
  visit(document, {
    [Kind.DIRECTIVE]: (node) => {
      if (!knownDirectives.has(node.name.value)) unknown.add(node.name.value);
    },
  });
  shape.unknownDirectives = [...unknown];
  return shape;
}

function add(total: Counts, more: Counts) {
  total.aliases += more.aliases;
  total.directives += more.directives;
}

// Yoga reuses the parsed document of a repeated query, so its shape is counted once.
const shapes = new WeakMap<DocumentNode, DocumentShape>();

/**
 * The alias and directive limits, and unknown directives, refused with a single error before GraphQL's own
 * validation runs: a document with 500 unknown directives gets one answer, not 500. Costs one walk of a
 * document the first time it is seen.
 */
export function shapeRefusal(
  document: DocumentNode,
  schema: GraphQLSchema,
  limits: { maxAliases: number; maxDirectives: number },
): GraphQLError | null {
  let shape = shapes.get(document);
  if (!shape) {
    shape = documentShape(document, knownDirectiveNames(schema));
    shapes.set(document, shape);
  }
  const over = (code: string, limit: number, found: number, what: string) =>
    new GraphQLError(`The operation has too many ${what}: at most ${limit} are allowed, found ${found}.`, {
      extensions: { code, limit, found, http: { status: 400 } },
    });
  if (shape.aliases > limits.maxAliases) return over("TOO_MANY_ALIASES", limits.maxAliases, shape.aliases, "aliases");
  if (shape.directives > limits.maxDirectives) {
    return over("TOO_MANY_DIRECTIVES", limits.maxDirectives, shape.directives, "directives");
  }
  if (shape.unknownDirectives.length) {
    const names = shape.unknownDirectives.slice(0, 5).map((name) => `@${name}`);
    const more = shape.unknownDirectives.length > 5 ? ` and ${shape.unknownDirectives.length - 5} more` : "";
    return new GraphQLError(`Unknown directives: ${names.join(", ")}${more}.`, {
      extensions: { code: "GRAPHQL_VALIDATION_FAILED", http: { status: 400 } },
    });
  }
  return null;
}

const directiveNames = new WeakMap<GraphQLSchema, ReadonlySet<string>>();
function knownDirectiveNames(schema: GraphQLSchema): ReadonlySet<string> {
  let names = directiveNames.get(schema);
  if (!names) {
    names = new Set(schema.getDirectives().map((directive) => directive.name));
    directiveNames.set(schema, names);
  }
  return names;
}

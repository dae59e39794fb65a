import {
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  valueFromASTUntyped,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';

/** How an operation is measured; see `analyzeOperation`. */
export interface CostOptions {
  /** Arguments that set the size of a returned list or page. */
  listSizeArguments: readonly string[];
  /** Size assumed for a field that takes a size argument the operation leaves out (the subgraphs' page default). */
  defaultPageSize: number;
  /** Size assumed for a list field that takes no size argument (`lines`, `workOrders`…). */
  defaultListSize: number;
}

export const DEFAULT_COST_OPTIONS: CostOptions = {
  listSizeArguments: ['first', 'last', 'limit', 'take', 'pageSize'],
  defaultPageSize: 50,
  defaultListSize: 10,
};

export interface OperationMeasures {
  /** Deepest field nesting; a root field is depth 1. Fragments add no depth of their own. */
  depth: number;
  /** Aliased fields in the operation as executed (a fragment spread twice counts its aliases twice). */
  aliases: number;
  /** Fields selected on the root type (through fragments too). */
  rootFields: number;
  /** See `analyzeOperation`. */
  cost: number;
}

interface Measure {
  depth: number;
  aliases: number;
  fields: number;
  cost: number;
}

const ZERO: Measure = { depth: 0, aliases: 0, fields: 0, cost: 0 };

/**
 * Measures one operation of a document.
 *
 * Cost formula: every field costs 1, plus its selection's cost times the field's size:
 *   cost(field) = 1 + size(field) × Σ cost(child fields)
 * A field's page size is its largest list-size argument (`first`, `last`…: literal, variable or variable default),
 * or `defaultPageSize` when it takes such an argument but none is given. A list-typed field's size is its own page
 * size, else the page size of the field it sits in (a connection's `nodes`/`edges`), else `defaultListSize`; any
 * other field's size is 1. Nested lists therefore multiply: `salesOrders(first: 500) { totalCount nodes { id
 * customer { name } } }` costs 1 + (1 + (1 + 500 × (1 + (1 + 1)))) = 1,503, and the bi operation with
 * `first: 500` costs 7,006. Under `__schema` / `__type` (answered by the gateway itself) lists are not multiplied:
 * each field there costs 1, so introspection costs what it selects, and a fragment "bomb" cannot hide anywhere.
 *
 * Safe on any parsed document, valid or not: a fragment is measured once and reused (so fragment "bombs" cost
 * linear time), a fragment cycle counts as empty, an unknown fragment or field counts as a leaf.
 * Returns undefined when the operation cannot be found (execution reports that).
 */
export function analyzeOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | undefined,
  options: CostOptions = DEFAULT_COST_OPTIONS,
  /** Filled with the names of the variables the measures depend on (size arguments); see analysis-cache.ts. */
  variablesRead?: Set<string>,
): OperationMeasures | undefined {
  const operation = findOperation(document, operationName);
  if (!operation) return undefined;
  const rootType =
    operation.operation === 'query'
      ? schema.getQueryType()
      : operation.operation === 'mutation'
        ? schema.getMutationType()
        : schema.getSubscriptionType();
  if (!rootType) return undefined;

  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const defaults = new Map<string, unknown>();
  for (const definition of operation.variableDefinitions ?? []) {
    if (definition.defaultValue) defaults.set(definition.variable.name.value, valueFromASTUntyped(definition.defaultValue));
  }
  const variableValue = (name: string) => {
    variablesRead?.add(name);
    return variables && name in variables ? variables[name] : defaults.get(name);
  };

  const memo = new Map<string, Measure>();
  const inProgress = new Set<string>();

  /** `pageSize`: the size argument of the enclosing field, applied to list fields directly inside it. */
  function fragment(name: string, pageSize: number | undefined, flat: boolean): Measure {
    const key = `${name}/${pageSize ?? ''}/${flat}`;
    const known = memo.get(key);
    if (known) return known;
    const definition = fragments.get(name);
    if (!definition || inProgress.has(name)) return ZERO;
    const type = schema.getType(definition.typeCondition.name.value);
    inProgress.add(name);
    const measure = selectionSet(definition.selectionSet, isCompositeType(type) ? type : undefined, pageSize, flat);
    inProgress.delete(name);
    memo.set(key, measure);
    return measure;
  }

  /** `flat`: inside introspection, where lists are not multiplied. */
  function selectionSet(set: SelectionSetNode, parent: GraphQLCompositeType | undefined, pageSize?: number, flat = false): Measure {
    const total = { depth: 0, aliases: 0, fields: 0, cost: 0 };
    const add = (m: Measure) => {
      total.depth = Math.max(total.depth, m.depth);
      total.aliases += m.aliases;
      total.fields += m.fields;
      total.cost += m.cost;
    };
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) add(field(selection, parent, pageSize, flat));
      else if (selection.kind === Kind.FRAGMENT_SPREAD) add(fragment(selection.name.value, pageSize, flat));
      else {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        add(selectionSet(selection.selectionSet, isCompositeType(type) ? type : undefined, pageSize, flat));
      }
    }
    return total;
  }

  function field(node: FieldNode, parent: GraphQLCompositeType | undefined, enclosingPageSize: number | undefined, flat: boolean): Measure {
    const name = node.name.value;
    const definition =
      name === '__schema' ? SchemaMetaFieldDef : name === '__type' ? TypeMetaFieldDef : parent && 'getFields' in parent ? parent.getFields()[name] : undefined;
    const introspection = flat || name === '__schema' || name === '__type';
    let ownPageSize: number | undefined;
    if (definition) {
      const sizeArgs = definition.args.filter((arg) => options.listSizeArguments.includes(arg.name));
      const given = sizeArgs
        .map((arg) => node.arguments?.find((a) => a.name.value === arg.name)?.value)
        .map((value) => (value ? size(value) : undefined))
        .filter((n): n is number => n !== undefined);
      if (given.length > 0) ownPageSize = Math.max(...given);
      else if (sizeArgs.length > 0) ownPageSize = options.defaultPageSize;
    }
    const isList = definition !== undefined && isListType(getNullableType(definition.type));
    const factor = introspection ? 1 : isList ? (ownPageSize ?? enclosingPageSize ?? options.defaultListSize) : 1;
    const children = node.selectionSet
      ? selectionSet(node.selectionSet, definition && asComposite(getNamedType(definition.type)), isList ? undefined : ownPageSize, introspection)
      : ZERO;
    return {
      depth: children.depth + 1,
      aliases: children.aliases + (node.alias ? 1 : 0),
      fields: 1,
      cost: 1 + (factor === 0 ? 0 : factor * children.cost),
    };
  }

  /** A size argument's value; undefined when not a usable number (validation or execution will say why). */
  function size(value: ValueNode): number | undefined {
    const raw = value.kind === Kind.VARIABLE ? variableValue(value.name.value) : valueFromASTUntyped(value);
    return typeof raw === 'number' && Number.isFinite(raw) ? Math.max(0, raw) : undefined;
  }

  const root = selectionSet(operation.selectionSet, rootType);
  const cap = (n: number) => Math.min(n, Number.MAX_SAFE_INTEGER);
  return { depth: root.depth, aliases: cap(root.aliases), rootFields: cap(root.fields), cost: cap(root.cost) };
}

function asComposite(type: ReturnType<typeof getNamedType>): GraphQLCompositeType | undefined {
  return isCompositeType(type) ? type : undefined;
}

export function findOperation(document: DocumentNode, operationName: string | null | undefined): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (operationName) return operations.find((o) => o.name?.value === operationName);
  return operations.length === 1 ? operations[0] : undefined;
}

import type { FetchNode, QueryPlanInlineFragmentNode, QueryPlanSelectionNode } from '@apollo/query-planner';
import { Kind, parse, type SelectionSetNode } from 'graphql';

/**
 * Which subgraph answers may be cached, and which events make them stale. A field is only listed here if
 * every write that can change it publishes an event naming the entity, and its value depends on nothing else
 * (not the clock, not who asks beyond the caller class the cache key already holds).
 */
export interface EntityCacheRule {
  subgraph: string;
  typename: string;
  /** The @key field the entity is invalidated by. */
  keyField: string;
  /** Fields of the entity that may be cached, with any selection below them. */
  fields: readonly string[];
}

export const ENTITY_CACHE_RULES: readonly EntityCacheRule[] = [
  // A sales order's production progress sums its work orders' quantities and statuses. Those change only by a
  // release, a start, a production report or a completion, and each publishes a production event carrying the
  // work order, whose sales order the invalidation stream reads (gateway/cache/invalidation-stream.ts).
  { subgraph: 'mes', typename: 'SalesOrder', keyField: 'id', fields: ['productionProgress'] },
];

/**
 * How a fetch's entities are cached, per entity type: the rule, and whether the representation carries more than
 * `__typename` and the key (fields an @requires adds), which then belong in the cache key. null: not cacheable.
 */
export type CacheableFetch = {
  id: number;
  types: ReadonlyMap<string, { rule: EntityCacheRule; representationKeyed: boolean }>;
  /**
   * Every representation is exactly `{ __typename, <key> }` of one of these types: then an entity's cache key can be
   * read off the entity itself, and a hit needs no representation built.
   */
  keyOnly: boolean;
} | null;

const analysed = new WeakMap<FetchNode, CacheableFetch>();
const operationIds = new Map<string, number>();
/** Each distinct cacheable fetch text gets a short id for the cache key; past this many, new ones are not cached. */
const MAX_OPERATIONS = 10_000;

/**
 * An `_entities` fetch is cacheable when it selects, on each type it asks for, only `__typename` and fields a
 * rule lists, with no variables, aliases, directives or fragment spreads anywhere: then its answer for one
 * representation is a function of that representation (and the caller class) alone.
 */
export function cacheableFetch(fetch: FetchNode): CacheableFetch {
  let answer = analysed.get(fetch);
  if (answer === undefined) {
    answer = analyse(fetch, ENTITY_CACHE_RULES);
    analysed.set(fetch, answer);
  }
  return answer;
}

function analyse(fetch: FetchNode, rules: readonly EntityCacheRule[]): CacheableFetch {
  if (!fetch.requires || fetch.variableUsages?.length) return null;
  // The planner leaves operationDocumentNode out unless asked for it; the text is always there.
  const document = fetch.operationDocumentNode ?? parse(fetch.operation);
  if (document.definitions.length !== 1) return null;
  const [operation] = document.definitions;
  if (operation?.kind !== Kind.OPERATION_DEFINITION || operation.operation !== 'query') return null;
  const [root] = operation.selectionSet.selections;
  if (operation.selectionSet.selections.length !== 1 || root?.kind !== Kind.FIELD || root.name.value !== '_entities' || root.alias || root.directives?.length) return null;
  if (!root.selectionSet) return null;
  const byType = new Map<string, { rule: EntityCacheRule; representationKeyed: boolean }>();
  for (const selection of root.selectionSet.selections) {
    if (selection.kind !== Kind.INLINE_FRAGMENT || !selection.typeCondition || selection.directives?.length) return null;
    const typename = selection.typeCondition.name.value;
    const rule = rules.find((r) => r.subgraph === fetch.serviceName && r.typename === typename);
    if (!rule || byType.has(typename)) return null;
    for (const field of selection.selectionSet.selections) {
      if (field.kind !== Kind.FIELD || (field.name.value !== '__typename' && !rule.fields.includes(field.name.value))) return null;
      if (!plainSelection(field)) return null;
    }
    byType.set(typename, { rule, representationKeyed: !onlyKey(fetch.requires, typename, rule.keyField) });
  }
  if (byType.size === 0) return null;
  let id = operationIds.get(fetch.operation);
  if (id === undefined) {
    if (operationIds.size >= MAX_OPERATIONS) return null;
    operationIds.set(fetch.operation, (id = operationIds.size));
  }
  return { id, types: byType, keyOnly: keyOnlyRequires(fetch.requires, byType) };
}

/**
 * Stricter than `onlyKey`, which only says that nothing but the key is in a representation: here every
 * representation must hold both `__typename` and the key, so that reading them off the entity gives exactly the
 * cache key its representation would.
 */
function keyOnlyRequires(requires: readonly QueryPlanSelectionNode[], types: ReadonlyMap<string, { rule: EntityCacheRule }>): boolean {
  return requires.every((node) => {
    if (node.kind !== 'InlineFragment' || !node.typeCondition) return false;
    const type = types.get(node.typeCondition);
    if (!type) return false;
    const names = node.selections.map((field) => (field.kind === 'Field' && !field.alias && !field.selections ? field.name : null));
    return names.length === 2 && names.includes('__typename') && names.includes(type.rule.keyField);
  });
}

/** The fetch's representations of this type hold `__typename` and the key field, nothing else. */
function onlyKey(requires: readonly QueryPlanSelectionNode[], typename: string, keyField: string): boolean {
  const fragments = requires.filter((node) => node.kind === 'InlineFragment' && node.typeCondition === typename);
  return fragments.every((fragment) =>
    (fragment as QueryPlanInlineFragmentNode).selections.every((node) => node.kind === 'Field' && !node.selections && (node.name === '__typename' || node.name === keyField)),
  );
}

/** No alias, directive, argument or fragment below (or at) this field. */
function plainSelection(node: { kind: Kind; alias?: unknown; directives?: readonly unknown[]; arguments?: readonly unknown[]; selectionSet?: SelectionSetNode }): boolean {
  if (node.kind !== Kind.FIELD || node.alias || node.directives?.length || node.arguments?.length) return false;
  return !node.selectionSet || node.selectionSet.selections.every(plainSelection);
}

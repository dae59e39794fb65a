import type { FetchNode, ParallelNode, PlanNode } from '@apollo/query-planner';
import {
  Kind,
  parse,
  print,
  visit,
  type DefinitionNode,
  type DocumentNode,
  type FieldNode,
  type OperationDefinitionNode,
  type SelectionNode,
  type VariableDefinitionNode,
} from 'graphql';

/** Entity fetches of one Parallel node that go to the same subgraph, sent together (plan-executor.ts). */
export interface EntityBatch {
  serviceName: string;
  /** Each member's Flatten path under the Parallel node's cursor (null: the fetch sits there directly). */
  members: { path: (string | number)[] | null; fetch: FetchNode }[];
  /** The combined operation for these members (indices into `members`, in order); built once per subset. */
  combined(indices: number[]): CombinedOperation;
}

export interface CombinedOperation {
  query: string;
  operationName: string | undefined;
  document: DocumentNode;
  /** Per member (in the order asked): the response key of its `_entities` and its representations variable. */
  aliases: string[];
  representationVariables: string[];
}

const split = new WeakMap<ParallelNode, { batches: EntityBatch[]; rest: PlanNode[] }>();

/** A Parallel node's children: entity fetches that share a subgraph with another one, and everything else. */
export function entityBatches(node: ParallelNode): { batches: EntityBatch[]; rest: PlanNode[] } {
  let answer = split.get(node);
  if (answer) return answer;
  const byService = new Map<string, { child: PlanNode; path: (string | number)[] | null; fetch: FetchNode }[]>();
  const rest: PlanNode[] = [];
  for (const child of node.nodes) {
    const candidate = batchable(child);
    if (!candidate) {
      rest.push(child);
      continue;
    }
    const list = byService.get(candidate.fetch.serviceName) ?? [];
    list.push({ child, ...candidate });
    byService.set(candidate.fetch.serviceName, list);
  }
  const batches: EntityBatch[] = [];
  for (const [serviceName, members] of byService) {
    if (members.length < 2) {
      rest.push(...members.map((m) => m.child));
      continue;
    }
    const fetches = members.map(({ path, fetch }) => ({ path, fetch }));
    const combinations = new Map<string, CombinedOperation>();
    batches.push({
      serviceName,
      members: fetches,
      combined(indices) {
        const key = indices.join(',');
        let combined = combinations.get(key);
        if (!combined) combinations.set(key, (combined = combine(indices.map((i) => fetches[i]!.fetch))));
        return combined;
      },
    });
  }
  answer = { batches, rest };
  split.set(node, answer);
  return answer;
}

/** An entity fetch whose operation is exactly `_entities(representations: $representations) { … }`. */
function batchable(node: PlanNode): { path: (string | number)[] | null; fetch: FetchNode } | null {
  const fetch = node.kind === 'Flatten' ? node.node : node;
  if (fetch.kind !== 'Fetch' || !fetch.requires || fetch.hasDefers) return null;
  const operation = operationOf(fetch);
  const root = operation?.selectionSet.selections;
  if (!operation || operation.operation !== 'query' || root?.length !== 1) return null;
  const field = root[0]!;
  if (field.kind !== Kind.FIELD || field.name.value !== '_entities' || field.alias || field.directives?.length) return null;
  const args = field.arguments ?? [];
  if (args.length !== 1 || args[0]!.name.value !== 'representations' || args[0]!.value.kind !== Kind.VARIABLE) return null;
  return { path: node.kind === 'Flatten' ? [...node.path] : null, fetch };
}

function documentOf(fetch: FetchNode): DocumentNode {
  return fetch.operationDocumentNode ?? parse(fetch.operation);
}

function operationOf(fetch: FetchNode): OperationDefinitionNode | undefined {
  const operations = documentOf(fetch).definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  return operations.length === 1 ? operations[0] : undefined;
}

/**
 * One query with member i's `_entities` aliased `_entities_i` reading `$representations_i`, and its fragments
 * renamed `<name>_i`; other variables are the client's and mean the same in every member, so they are shared.
 */
function combine(fetches: FetchNode[]): CombinedOperation {
  const variableDefinitions = new Map<string, VariableDefinitionNode>();
  const selections: SelectionNode[] = [];
  const fragments: DefinitionNode[] = [];
  const aliases: string[] = [];
  const representationVariables: string[] = [];
  fetches.forEach((fetch, i) => {
    const suffix = `_${i}`;
    const representationVariable = `representations${suffix}`;
    const renamed = visit(documentOf(fetch), {
      Variable: (node) => (node.name.value === 'representations' ? { ...node, name: { ...node.name, value: representationVariable } } : undefined),
      FragmentSpread: (node) => ({ ...node, name: { ...node.name, value: node.name.value + suffix } }),
      FragmentDefinition: (node) => ({ ...node, name: { ...node.name, value: node.name.value + suffix } }),
    });
    for (const definition of renamed.definitions) {
      if (definition.kind !== Kind.OPERATION_DEFINITION) {
        fragments.push(definition);
        continue;
      }
      for (const variable of definition.variableDefinitions ?? []) {
        if (!variableDefinitions.has(variable.variable.name.value)) variableDefinitions.set(variable.variable.name.value, variable);
      }
      const field = definition.selectionSet.selections[0] as FieldNode;
      const alias = `_entities${suffix}`;
      selections.push({ ...field, alias: { kind: Kind.NAME, value: alias } });
      aliases.push(alias);
      representationVariables.push(representationVariable);
    }
  });
  const first = fetches[0]?.operationName;
  const operationName = first ? `${first}__batched` : undefined;
  const document: DocumentNode = {
    kind: Kind.DOCUMENT,
    definitions: [
      {
        kind: Kind.OPERATION_DEFINITION,
        operation: 'query' as never,
        name: operationName ? { kind: Kind.NAME, value: operationName } : undefined,
        variableDefinitions: [...variableDefinitions.values()],
        selectionSet: { kind: Kind.SELECTION_SET, selections },
      },
      ...fragments,
    ],
  };
  return { query: print(document), operationName, document, aliases, representationVariables };
}

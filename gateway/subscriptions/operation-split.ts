import {
  ArgumentNode,
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  getOperationAST,
  GraphQLError,
  Kind,
  OperationDefinitionNode,
  print,
  SelectionSetNode,
  VariableDefinitionNode,
  visit,
} from 'graphql';
import type { SubscriptionRoute } from './subscription-routes';

/** The variable the gateway adds: upstream for the resume point, in hydration for the event. */
const AFTER_VARIABLE = 'forgeAfter';
const EVENT_ID_VARIABLE = 'forgeEventId';
const EVENT_IDS_VARIABLE = 'forgeEventIds';

export interface SplitSubscription {
  route: SubscriptionRoute;
  /** The client's key for the root field (its alias or name): where each event goes in `data`. */
  responseKey: string;
  /** The resume point the client asked for, if any. */
  clientAfter: string | null;
  /** To the owning subgraph: the same root field and filters, selecting only the event id. */
  upstream: { field: string; query: string; variables(after: string | null): Record<string, unknown> };
  /** Through the gateway's planner, once per event: the client's whole selection on the event. */
  hydration: {
    query: string;
    variables(eventId: string): Record<string, unknown>;
    /**
     * The same selection on many events in one operation, when the owning subgraph has a by-ids field (see
     * SubscriptionRoute.batchHydrationField); results are split per event by batch-result.ts.
     */
    batch?: { query: string; variables(eventIds: readonly string[]): Record<string, unknown> };
  };
}

/**
 * Splits a client subscription into what the owning subgraph streams (event ids, filtered there, before any
 * hydration work) and what the gateway plans per event (every field, from any subgraph). The client's
 * variables are passed on to whichever half uses them.
 */
export function splitSubscription(
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown>,
  routes: Map<string, SubscriptionRoute>,
): SplitSubscription {
  const operation = getOperationAST(document, operationName);
  if (!operation || operation.operation !== 'subscription') throw new GraphQLError('not a subscription operation');
  const fragments = document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION);
  const root = rootField(operation, fragments);
  const route = routes.get(root.name.value);
  if (!route) throw new GraphQLError(`Subscription.${root.name.value} is not served by any subgraph`);

  const clientArgs = root.arguments ?? [];
  const afterArg = clientArgs.find((arg) => arg.name.value === 'after');
  const clientAfter = afterArg ? (valueOf(afterArg, variables) as string | null) : null;
  const filterArgs = clientArgs.filter((arg) => arg !== afterArg);
  const upstreamArgs: ArgumentNode[] = [...filterArgs, argument('after', AFTER_VARIABLE)];
  const upstreamVars = definitionsFor(operation, variablesIn(filterArgs));
  const upstreamQuery = printOperation('subscription', 'ForgeUpstream', [...upstreamVars, variableDefinition(AFTER_VARIABLE, 'ID', false)], {
    ...root,
    alias: undefined,
    arguments: upstreamArgs,
    selectionSet: selection([field('eventId')]),
  });

  const hydrationRoot: FieldNode = {
    ...root,
    alias: { kind: Kind.NAME, value: root.alias?.value ?? root.name.value },
    name: { kind: Kind.NAME, value: route.hydrationField },
    arguments: [argument('eventId', EVENT_ID_VARIABLE)],
  };
  const usedFragments = fragmentsUsedBy(root.selectionSet!, fragments);
  const hydrationVars = definitionsFor(operation, variablesIn([root.selectionSet!, ...usedFragments]));
  const hydrationQuery = printOperation(
    'query',
    'ForgeHydrate',
    [...hydrationVars, variableDefinition(EVENT_ID_VARIABLE, 'ID', true)],
    hydrationRoot,
    usedFragments,
  );

  const batchQuery = route.batchHydrationField
    ? printOperation(
        'query',
        'ForgeHydrateBatch',
        [...hydrationVars, variableDefinition(EVENT_IDS_VARIABLE, 'ID', true, true)],
        { ...hydrationRoot, name: name(route.batchHydrationField), arguments: [argument('eventIds', EVENT_IDS_VARIABLE)] },
        usedFragments,
      )
    : null;

  const pick = (definitions: readonly VariableDefinitionNode[]) =>
    Object.fromEntries(definitions.map((d) => d.variable.name.value).filter((n) => n in variables).map((n) => [n, variables[n]]));
  const upstreamValues = pick(upstreamVars);
  const hydrationValues = pick(hydrationVars);
  return {
    route,
    responseKey: root.alias?.value ?? root.name.value,
    clientAfter,
    upstream: { field: root.name.value, query: upstreamQuery, variables: (after) => ({ ...upstreamValues, [AFTER_VARIABLE]: after }) },
    hydration: {
      query: hydrationQuery,
      variables: (eventId) => ({ ...hydrationValues, [EVENT_ID_VARIABLE]: eventId }),
      ...(batchQuery
        ? { batch: { query: batchQuery, variables: (eventIds: readonly string[]) => ({ ...hydrationValues, [EVENT_IDS_VARIABLE]: eventIds }) } }
        : {}),
    },
  };
}

function printOperation(
  operation: 'query' | 'subscription',
  operationName: string,
  variableDefinitions: VariableDefinitionNode[],
  root: FieldNode,
  fragments: FragmentDefinitionNode[] = [],
): string {
  const definition = {
    kind: Kind.OPERATION_DEFINITION,
    operation,
    name: name(operationName),
    variableDefinitions,
    selectionSet: selection([root]),
  } as unknown as OperationDefinitionNode;
  return print({ kind: Kind.DOCUMENT, definitions: [definition, ...fragments] });
}

/** Validation guarantees one root field for a subscription; it may still sit inside a fragment. */
function rootField(operation: OperationDefinitionNode, fragments: FragmentDefinitionNode[]): FieldNode {
  const selections = [...operation.selectionSet.selections];
  while (selections.length > 0) {
    const selection = selections.shift()!;
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value !== '__typename') return selection;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      selections.push(...selection.selectionSet.selections);
    } else {
      const fragment = fragments.find((f) => f.name.value === selection.name.value);
      if (fragment) selections.push(...fragment.selectionSet.selections);
    }
  }
  throw new GraphQLError('a subscription must select one field');
}

function fragmentsUsedBy(selectionSet: SelectionSetNode, all: FragmentDefinitionNode[]): FragmentDefinitionNode[] {
  const used = new Map<string, FragmentDefinitionNode>();
  const pending: SelectionSetNode[] = [selectionSet];
  while (pending.length > 0) {
    visit(pending.pop()!, {
      FragmentSpread(node) {
        const fragment = all.find((f) => f.name.value === node.name.value);
        if (fragment && !used.has(fragment.name.value)) {
          used.set(fragment.name.value, fragment);
          pending.push(fragment.selectionSet);
        }
      },
    });
  }
  return [...used.values()];
}

function variablesIn(nodes: readonly (ArgumentNode | SelectionSetNode | FragmentDefinitionNode)[]): Set<string> {
  const names = new Set<string>();
  for (const node of nodes) visit(node, { Variable: (v) => void names.add(v.name.value) });
  return names;
}

function definitionsFor(operation: OperationDefinitionNode, names: Set<string>): VariableDefinitionNode[] {
  return (operation.variableDefinitions ?? []).filter((d) => names.has(d.variable.name.value));
}

function valueOf(arg: ArgumentNode, variables: Record<string, unknown>): unknown {
  if (arg.value.kind === Kind.VARIABLE) return variables[arg.value.name.value] ?? null;
  if (arg.value.kind === Kind.STRING || arg.value.kind === Kind.INT) return arg.value.value;
  return null;
}

const name = (value: string) => ({ kind: Kind.NAME, value }) as const;
const field = (fieldName: string): FieldNode => ({ kind: Kind.FIELD, name: name(fieldName) });
const selection = (selections: FieldNode[]): SelectionSetNode => ({ kind: Kind.SELECTION_SET, selections });
const argument = (argName: string, variable: string): ArgumentNode => ({
  kind: Kind.ARGUMENT,
  name: name(argName),
  value: { kind: Kind.VARIABLE, name: name(variable) },
});
/** `type`, `type!`, or with `list`: `[type!]!`. */
function variableDefinition(variable: string, type: string, required: boolean, list = false): VariableDefinitionNode {
  const named = { kind: Kind.NAMED_TYPE, name: name(type) } as const;
  const item = list ? ({ kind: Kind.LIST_TYPE, type: { kind: Kind.NON_NULL_TYPE, type: named } } as const) : named;
  return {
    kind: Kind.VARIABLE_DEFINITION,
    variable: { kind: Kind.VARIABLE, name: name(variable) },
    type: required ? { kind: Kind.NON_NULL_TYPE, type: item } : item,
  };
}

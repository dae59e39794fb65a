import {
  getNamedType, isAbstractType, isCompositeType, Kind, type DocumentNode, type FieldNode, type FragmentDefinitionNode,
  type GraphQLCompositeType, type GraphQLOutputType, type GraphQLSchema, type OperationDefinitionNode,
  type SelectionNode, type SelectionSetNode,
} from 'graphql';
import type { AccessPolicy, Denial } from './access-policy';
import type { Identity } from './identity';

/** One step from the root to a removed field: the response key and the declared type of that field. */
export interface PathSegment {
  key: string;
  type: GraphQLOutputType;
}

/** A field removed from the operation: where it was, why, and the marker that shows where it would have resolved. */
export interface RemovedField {
  coordinate: string;
  code: Denial;
  /** Fields leading to the selection set that held it (response keys). */
  parents: PathSegment[];
  key: string;
  type: GraphQLOutputType;
  /** Alias of a `__typename` left in its place: present in a result object exactly where the field would have been. */
  marker: string;
}

export interface FilteredOperation {
  document: DocumentNode;
  removed: RemovedField[];
}

export const MARKER_PREFIX = '__forge_denied_';

/**
 * Removes from `document` every field `identity` may not read, per `policy` — through inline fragments and named
 * fragments, on object and interface types — and leaves a marker `__typename` alias in each removed field's
 * place, so the selection stays valid (never empty) and the response can be given nulls at the right places.
 * Unchanged documents are returned as is (`removed` empty).
 */
export function filterOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  policy: AccessPolicy,
  identity: Identity | undefined,
): FilteredOperation {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION && (!operationName || d.name?.value === operationName),
  );
  const root = operation && schema.getRootType(operation.operation);
  if (!operation || !root) return { document, removed: [] };

  const removed: RemovedField[] = [];
  const inlined = new Set<string>();

  const filterSet = (set: SelectionSetNode, parent: GraphQLCompositeType, path: PathSegment[]): SelectionSetNode => {
    const selections: SelectionNode[] = [];
    for (const selection of set.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? (schema.getType(selection.typeCondition.name.value) as GraphQLCompositeType) : parent;
        selections.push({ ...selection, selectionSet: filterSet(selection.selectionSet, type, path) });
      } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
        // Inlined with the spread's directives: a fragment may be used under different paths, each gets its own markers.
        const fragment = fragments.get(selection.name.value);
        if (!fragment) continue;
        inlined.add(fragment.name.value);
        const type = schema.getType(fragment.typeCondition.name.value) as GraphQLCompositeType;
        selections.push({
          kind: Kind.INLINE_FRAGMENT,
          typeCondition: fragment.typeCondition,
          directives: selection.directives,
          selectionSet: filterSet(fragment.selectionSet, type, path),
        });
      } else {
        const kept = filterField(selection, parent, path);
        if (kept) selections.push(kept);
      }
    }
    return { ...set, selections };
  };

  const filterField = (field: FieldNode, parent: GraphQLCompositeType, path: PathSegment[]): SelectionNode | null => {
    const name = field.name.value;
    if (name.startsWith('__') || !('getFields' in parent)) return field;
    const definition = parent.getFields()[name];
    if (!definition) return field;
    const returnType = getNamedType(definition.type);
    const code = denialFor(schema, policy, identity, parent, name, returnType.name);
    const key = field.alias?.value ?? name;
    if (code) {
      const marker = `${MARKER_PREFIX}${removed.length}`;
      removed.push({ coordinate: `${parent.name}.${name}`, code, parents: path, key, type: definition.type, marker });
      return { kind: Kind.FIELD, alias: { kind: Kind.NAME, value: marker }, name: { kind: Kind.NAME, value: '__typename' }, directives: field.directives };
    }
    if (!field.selectionSet || !isCompositeType(returnType)) return field;
    return { ...field, selectionSet: filterSet(field.selectionSet, returnType, [...path, { key, type: definition.type }]) };
  };

  const selectionSet = filterSet(operation.selectionSet, root, []);
  if (removed.length === 0) return { document, removed };
  const definitions = document.definitions
    .filter((d) => d.kind !== Kind.FRAGMENT_DEFINITION || !inlined.has(d.name.value))
    .filter((d) => d.kind !== Kind.OPERATION_DEFINITION || d === operation)
    .map((d) => (d === operation ? { ...operation, selectionSet } : d));
  return { document: { ...document, definitions }, removed };
}

/** On an interface, the field is checked on the interface and on every implementation the result may have. */
function denialFor(
  schema: GraphQLSchema,
  policy: AccessPolicy,
  identity: Identity | undefined,
  parent: GraphQLCompositeType,
  field: string,
  returnType: string,
): Denial | null {
  const parents = isAbstractType(parent) ? [parent, ...schema.getPossibleTypes(parent)] : [parent];
  let denial: Denial | null = null;
  for (const type of parents) {
    const code = policy.check(identity, type.name, field, returnType);
    if (code === 'UNAUTHENTICATED') return code;
    denial ??= code;
  }
  return denial;
}

import { Kind, type FragmentDefinitionNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/**
 * Whether the current field's selection reaches `path` (field names, one per level), through fragment spreads
 * and inline fragments. @skip/@include are not evaluated: a skipped field still counts, so a caller that reads
 * ahead for it at worst reads a little more than needed, never less.
 */
export function selectsPath(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>, path: readonly string[]): boolean {
  let sets: SelectionSetNode[] = info.fieldNodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
  for (const [depth, name] of path.entries()) {
    const fields = sets.flatMap((set) => fieldsNamed(set, name, info.fragments, new Set()));
    if (fields.length === 0) return false;
    if (depth === path.length - 1) return true;
    sets = fields.flatMap((field) => (field.selectionSet ? [field.selectionSet] : []));
  }
  return path.length === 0;
}

function fieldsNamed(
  set: SelectionSetNode,
  name: string,
  fragments: Record<string, FragmentDefinitionNode>,
  visited: Set<string>,
): { selectionSet?: SelectionSetNode }[] {
  const found: { selectionSet?: SelectionSetNode }[] = [];
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value === name) found.push(selection);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      found.push(...fieldsNamed(selection.selectionSet, name, fragments, visited));
    } else {
      const fragmentName = selection.name.value;
      const fragment = fragments[fragmentName];
      // A fragment spread twice on one level is read once; validation already refused cycles.
      if (!fragment || visited.has(fragmentName)) continue;
      visited.add(fragmentName);
      found.push(...fieldsNamed(fragment.selectionSet, name, fragments, visited));
    }
  }
  return found;
}

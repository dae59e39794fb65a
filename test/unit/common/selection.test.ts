import { Kind, parse, type FragmentDefinitionNode, type OperationDefinitionNode, type FieldNode } from 'graphql';
import { selectsPath } from '../../../subgraphs/common/selection';

/** The resolve info of the document's first root field, as graphql-js would pass it. */
function infoOf(document: string) {
  const ast = parse(document);
  const operation = ast.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const fragments = Object.fromEntries(
    ast.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]),
  );
  return { fieldNodes: [operation.selectionSet.selections[0] as FieldNode], fragments };
}

describe('selectsPath', () => {
  it('follows plain fields level by level', () => {
    const info = infoOf('{ salesOrders { nodes { id customer { name } } } }');
    expect(selectsPath(info, ['nodes', 'customer'])).toBe(true);
    expect(selectsPath(info, ['nodes', 'customer', 'name'])).toBe(true);
    expect(selectsPath(info, ['nodes', 'lines'])).toBe(false);
    expect(selectsPath(info, ['edges', 'node', 'customer'])).toBe(false);
    expect(selectsPath(info, ['customer'])).toBe(false);
  });

  it('looks through fragment spreads, inline fragments and aliases', () => {
    const info = infoOf(`
      query { salesOrders { ...Page } }
      fragment Page on SalesOrderConnection { edges { node { ... on SalesOrder { buyer: customer { id } } } } }
    `);
    expect(selectsPath(info, ['edges', 'node', 'customer'])).toBe(true);
    expect(selectsPath(info, ['nodes', 'customer'])).toBe(false);
  });

  it('finds a field selected in only one of several places', () => {
    const info = infoOf(`
      query { salesOrders { nodes { id } ...More ...More } }
      fragment More on SalesOrderConnection { nodes { ... { customer { name } } } }
    `);
    expect(selectsPath(info, ['nodes', 'customer'])).toBe(true);
    expect(selectsPath(info, ['nodes', 'id'])).toBe(true);
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { Supergraph } from '@apollo/federation-internals';
import { parse, validate } from 'graphql';
import { loadOperation, REFERENCE_OPERATIONS } from '../../../schema/operations';
import { schemaFile } from '../../../schema/compose';
import { repoRoot } from '../../../subgraphs/common/repo-root';

/** What the README tells people to paste, and the reference operations, must be valid against the served graph. */
describe('documented operations', () => {
  const apiSchema = Supergraph.build(fs.readFileSync(schemaFile('supergraph'), 'utf8'), { supportedFeatures: null }).apiSchema().toGraphQLJSSchema();

  it.each(REFERENCE_OPERATIONS)('the %s reference operation validates against the supergraph', (name) => {
    expect(validate(apiSchema, parse(loadOperation(name)))).toEqual([]);
  });

  it('every graphql block in README.md validates against the supergraph', () => {
    const readme = fs.readFileSync(path.join(repoRoot(), 'README.md'), 'utf8');
    const blocks = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]);
    expect(blocks.length).toBeGreaterThanOrEqual(3);
    for (const block of blocks) expect(validate(apiSchema, parse(block))).toEqual([]);
  });
});

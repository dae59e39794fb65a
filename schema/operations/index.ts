import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../subgraphs/common/repo-root';

/** The reference operations of DESIGN §4: one document each, shared by tests, docs and benchmarks. */
export const REFERENCE_OPERATIONS = ['portal', 'bi', 'recall'] as const;
export type ReferenceOperation = (typeof REFERENCE_OPERATIONS)[number];

export function loadOperation(name: ReferenceOperation): string {
  return fs.readFileSync(path.join(repoRoot(), 'schema', 'operations', `${name}.graphql`), 'utf8');
}

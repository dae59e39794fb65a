import { composeServices } from '@apollo/composition';
import { printSubgraphSchema } from '@apollo/subgraph';
import { GraphQLSchema, parse } from 'graphql';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../subgraphs/common/repo-root';
import { buildErpSchema } from '../subgraphs/erp/schema';
import { buildMesSchema } from '../subgraphs/mes/schema';

/** The subgraphs of the graph and where `npm start` serves them; the gateway may override each URL. */
export const SUBGRAPHS: { name: string; url: string; build: () => Promise<GraphQLSchema> }[] = [
  { name: 'erp', url: 'http://localhost:4001/graphql', build: buildErpSchema },
  { name: 'mes', url: 'http://localhost:4002/graphql', build: buildMesSchema },
];

export interface Composition {
  subgraphs: { name: string; sdl: string }[];
  supergraphSdl: string | null;
  /** Every composition error in full (message and the subgraph nodes it points at). */
  errors: string[];
}

export async function composeSupergraph(): Promise<Composition> {
  const subgraphs: Composition['subgraphs'] = [];
  for (const subgraph of SUBGRAPHS) {
    subgraphs.push({ name: subgraph.name, sdl: printSubgraphSchema(await subgraph.build()) });
  }
  const result = composeServices(
    SUBGRAPHS.map(({ name, url }, i) => ({ name, url, typeDefs: parse(subgraphs[i].sdl) })),
  );
  if (result.errors) {
    return { subgraphs, supergraphSdl: null, errors: result.errors.map((e) => e.toString()) };
  }
  return { subgraphs, supergraphSdl: result.supergraphSdl, errors: [] };
}

export function schemaFile(name: string): string {
  return path.join(repoRoot(), 'schema', `${name}.graphql`);
}

async function main(): Promise<void> {
  const composition = await composeSupergraph();
  for (const { name, sdl } of composition.subgraphs) fs.writeFileSync(schemaFile(name), `${sdl.trim()}\n`);
  if (!composition.supergraphSdl) {
    process.stderr.write(`composition failed with ${composition.errors.length} error(s):\n\n${composition.errors.join('\n\n')}\n`);
    process.exit(1);
  }
  fs.writeFileSync(schemaFile('supergraph'), `${composition.supergraphSdl.trim()}\n`);
  process.stdout.write(`wrote ${composition.subgraphs.map((s) => `schema/${s.name}.graphql`).join(', ')} and schema/supergraph.graphql\n`);
}

if (require.main === module) {
  main().catch((error: Error) => {
    process.stderr.write(`compose: ${error.stack ?? error.message}\n`);
    process.exit(1);
  });
}

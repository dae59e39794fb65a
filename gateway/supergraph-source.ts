import fs from 'node:fs';
import { IntrospectAndCompose } from '@apollo/gateway';

export interface SupergraphSourceOptions {
  supergraphPath: string;
  subgraphs?: Record<string, string>;
}

/**
 * The committed supergraph by default: what was composed and reviewed is what is served. Composing from
 * live subgraphs is for development against subgraphs whose schema is ahead of the committed file.
 */
export function supergraphSource(options: SupergraphSourceOptions): { supergraphSdl: string | IntrospectAndCompose } {
  if (options.subgraphs) {
    const subgraphs = Object.entries(options.subgraphs).map(([name, url]) => ({ name, url }));
    return { supergraphSdl: new IntrospectAndCompose({ subgraphs }) };
  }
  try {
    return { supergraphSdl: fs.readFileSync(options.supergraphPath, 'utf8') };
  } catch (error) {
    throw new Error(`cannot read the supergraph at ${options.supergraphPath} (run \`npm run compose\`): ${(error as Error).message}`);
  }
}

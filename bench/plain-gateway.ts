import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import fs from 'node:fs';
import { withForgeEnforcedLinks } from '../gateway/authorization/security-links';

/**
 * The baseline: a stock @apollo/gateway on @apollo/server with default settings, serving the same supergraph.
 * Only the subgraph URLs in the SDL are pointed at the benchmark's processes (PLAIN_SUBGRAPH_URLS=name=url,…),
 * and the @authenticated/@requiresScopes links lose their `for: SECURITY` purpose, without which a stock gateway
 * refuses to load the supergraph at all (it enforces neither; forge does, and pays for it in these numbers).
 */
async function main(): Promise<void> {
  let sdl = withForgeEnforcedLinks(fs.readFileSync(process.env.SUPERGRAPH_PATH!, 'utf8'));
  for (const pair of (process.env.PLAIN_SUBGRAPH_URLS ?? '').split(',').filter(Boolean)) {
    const [name, url] = pair.split('=');
    sdl = sdl.replace(new RegExp(`(${name!.toUpperCase()} @join__graph\\(name: "${name}", url: ")[^"]*`), `$1${url}`);
  }
  const server = new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl: sdl }) });
  const { url } = await startStandaloneServer(server, { listen: { port: Number(process.env.PORT) } });
  process.stdout.write(`plain gateway ready at ${url}\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`plain gateway: ${error.message}\n`);
  process.exit(1);
});

import path from 'node:path';
import { z } from 'zod';
import { ConfigError, loadConfig, port } from '../../subgraphs/common/config';
import { GATEWAY_NODE_FLAGS } from '../node-flags';
import { ManagedProcess, startProcess, waitUntilReady } from './child-process';

/**
 * `npm start`: both subgraphs on mock data, then the gateway in front of them, each its own process as in
 * production. Ctrl-C or SIGTERM stops them all; if any one dies, the rest are stopped too.
 */
const StackEnv = z.object({
  GATEWAY_PORT: port(4000),
  ERP_PORT: port(4001),
  MES_PORT: port(4002),
  /** A living shop floor by default: a couple of simulated machine and production events per second. */
  SIMULATOR_RATE: z.coerce.number().min(0).default(2),
  /** `rest` without an ERP_URL: the ERP subgraph talks ERPNext REST to a fake ERPNext site started here. */
  ERP_BACKEND: z.enum(['mock', 'rest']).default('mock'),
  ERP_URL: z.string().optional(),
  ERPNEXT_PORT: port(4005),
});

/** The fake ERPNext site's dev credentials (its own defaults): only ever used against that fake. */
const FAKE_ERPNEXT_CREDENTIALS = { ERP_API_KEY: 'forge-dev-key', ERP_API_SECRET: 'forge-dev-secret' };

const FIRST_QUERY = `{
  salesOrders(first: 3) {
    totalCount
    nodes { number status total customer { name } productionProgress { percentComplete } }
  }
}`;

async function main(): Promise<void> {
  const ports = loadConfig(StackEnv);
  const dist = path.join(__dirname, '..', '..');
  const processes: ManagedProcess[] = [];
  let stopping = false;

  const stopAll = async (code: number): Promise<never> => {
    stopping = true;
    await Promise.all(processes.map((p) => p.stop()));
    process.exit(code);
  };
  process.once('SIGINT', () => void stopAll(0));
  process.once('SIGTERM', () => void stopAll(0));

  const launch = async (name: string, script: string, env: NodeJS.ProcessEnv, readyUrl: string, nodeFlags: readonly string[] = []) => {
    const proc = startProcess({ name, script: path.join(dist, script), env: { ...process.env, ...env }, nodeFlags });
    processes.push(proc);
    void proc.exited.then((code) => {
      if (stopping) return;
      process.stderr.write(`forge: ${name} stopped unexpectedly (${code}); stopping the stack\n`);
      void stopAll(1);
    });
    await waitUntilReady(proc, readyUrl);
  };

  const erpUrl = `http://localhost:${ports.ERP_PORT}/graphql`;
  const mesUrl = `http://localhost:${ports.MES_PORT}/graphql`;
  const fakeErpNext = ports.ERP_BACKEND === 'rest' && !ports.ERP_URL;
  const erpEnv: NodeJS.ProcessEnv = { ERP_PORT: String(ports.ERP_PORT) };
  try {
    if (fakeErpNext) {
      const site = `http://localhost:${ports.ERPNEXT_PORT}`;
      await launch('erpnext', 'mocks/erpnext/main.js', { ERPNEXT_PORT: String(ports.ERPNEXT_PORT) }, `${site}/api/method/ping`);
      Object.assign(erpEnv, { ERP_URL: site, ...FAKE_ERPNEXT_CREDENTIALS });
    }
    await Promise.all([
      launch('erp', 'subgraphs/erp/main.js', erpEnv, `http://localhost:${ports.ERP_PORT}/health`),
      launch('mes', 'subgraphs/mes/main.js', { MES_PORT: String(ports.MES_PORT), SIMULATOR_RATE: String(ports.SIMULATOR_RATE), ERP_SUBGRAPH_URL: erpUrl }, `http://localhost:${ports.MES_PORT}/health`),
    ]);
    await launch(
      'gateway',
      'gateway/main.js',
      { GATEWAY_PORT: String(ports.GATEWAY_PORT), SUBGRAPH_URL_ERP: erpUrl, SUBGRAPH_URL_MES: mesUrl },
      `http://localhost:${ports.GATEWAY_PORT}/health/ready`,
      GATEWAY_NODE_FLAGS,
    );
  } catch (error) {
    process.stderr.write(`forge: ${(error as Error).message}\n`);
    return stopAll(1);
  }

  process.stdout.write(
    [
      '',
      `forge is running (${fakeErpNext ? `ERP over REST from a fake ERPNext at http://localhost:${ports.ERPNEXT_PORT}` : ports.ERP_BACKEND === 'rest' ? `ERP over REST from ${ports.ERP_URL}` : 'mock ERP'} and MES data). Ctrl-C stops everything.`,
      `  graph (gateway):  http://localhost:${ports.GATEWAY_PORT}/graphql   <- open in a browser for the sandbox`,
      `  ERP subgraph:     ${erpUrl}`,
      `  MES subgraph:     ${mesUrl}`,
      '',
      'A first query to try:',
      `  curl -s http://localhost:${ports.GATEWAY_PORT}/graphql -H 'content-type: application/json' \\`,
      `    -d '${JSON.stringify({ query: FIRST_QUERY.replace(/\s+/g, ' ') })}'`,
      '',
      `Live events (graphql-ws on ws://localhost:${ports.GATEWAY_PORT}/graphql; the simulator runs at ${ports.SIMULATOR_RATE}/s):`,
      '  subscription { machineStatusChanged { eventId state reasonCode machine { name workCenter } } }',
      '',
    ].join('\n'),
  );
}

main().catch((error: Error) => {
  process.stderr.write(`forge: ${error instanceof ConfigError ? error.message : error.stack}\n`);
  process.exit(1);
});

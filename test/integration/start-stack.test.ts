import { execFileSync, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { GATEWAY_NODE_FLAGS } from '../../gateway/node-flags';
import { freePort } from '../fixtures/free-port';
import { postGraphQL } from '../fixtures/graphql-client';
import { DIST } from '../fixtures/stack';
import { subscribe } from '../fixtures/subscriber';

const LAUNCHER = path.join(DIST, 'gateway/stack/start-stack.js');

interface Run {
  stdout: string;
  stderr: string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  child: ReturnType<typeof spawn>;
  waitFor(text: string, timeoutMs?: number): Promise<void>;
}

function launch(env: NodeJS.ProcessEnv): Run {
  const child = spawn(process.execPath, [LAUNCHER], { env: { ...process.env, MOCK_SCALE: '20', SIMULATOR_RATE: '20', ...env } });
  const run = { stdout: '', stderr: '', child } as Run;
  child.stdout.on('data', (c: Buffer) => (run.stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (run.stderr += c.toString()));
  run.exit = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  run.waitFor = async (text, timeoutMs = 60_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!run.stdout.includes(text)) {
      if (child.exitCode !== null) throw new Error(`launcher exited early:\n${run.stdout}\n${run.stderr}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for "${text}":\n${run.stdout}\n${run.stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  return run;
}

/**
 * The launcher's child processes, collected while it runs (after it exits they are no longer its children).
 * Checking these pids, rather than whether a port still answers, keeps the test free of races with other test
 * files that may be handed the same free port a moment later.
 */
function watchChildren(pid: number) {
  const seen = new Map<number, string>();
  const poll = () => {
    try {
      for (const line of execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(pid)]).toString().split('\n')) {
        const match = /^\s*(\d+)\s+(.*)$/.exec(line);
        if (!match) continue;
        // The first real command line: a child caught while it execs shows as `[node]`, and one that has exited
        // as `[node] <defunct>` until it is reaped; neither replaces what it was seen running.
        const [child, args] = [Number(match[1]), match[2]!];
        const known = seen.get(child);
        if (known === undefined || (known.startsWith('[') && !args.startsWith('['))) seen.set(child, args);
      }
    } catch {
      // ps exits 1 when there are none
    }
  };
  poll();
  const timer = setInterval(poll, 25);
  return {
    count: () => seen.size,
    /** The command line each child was seen running with. */
    commands: () => [...seen.values()],
    stop: () => (clearInterval(timer), poll()),
    alive: () => [...seen.keys()].filter((child) => {
      try {
        process.kill(child, 0);
        return true;
      } catch {
        return false;
      }
    }),
  };
}


async function ports() {
  return { gateway: await freePort(), erp: await freePort(), mes: await freePort() };
}

const envFor = (p: Awaited<ReturnType<typeof ports>>) => ({
  GATEWAY_PORT: String(p.gateway),
  ERP_PORT: String(p.erp),
  MES_PORT: String(p.mes),
});

describe('npm start (the stack launcher)', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('serves the graph, prints URLs and a first query, and stops everything on %s', async (signal) => {
    const p = await ports();
    const run = launch(envFor(p));
    const children = watchChildren(run.child.pid!);
    await run.waitFor('forge is running');
    expect(run.stdout).toContain(`http://localhost:${p.gateway}/graphql`);
    expect(run.stdout).toContain(`http://localhost:${p.erp}/graphql`);
    expect(run.stdout).toContain(`http://localhost:${p.mes}/graphql`);

    // The printed first query works as printed.
    const printed = /-d '(.+)'/.exec(run.stdout);
    expect(printed).not.toBeNull();
    const { query } = JSON.parse(printed![1]) as { query: string };
    const response = await postGraphQL(`http://localhost:${p.gateway}/graphql`, query);
    expect(response.errors).toBeUndefined();
    expect(response.data.salesOrders.totalCount).toBe(20);
    expect(response.data.salesOrders.nodes[0].customer.name).toEqual(expect.any(String));

    // The machine simulator runs as part of the stack: live events arrive without anyone writing.
    const live = subscribe(`http://localhost:${p.gateway}/graphql`, 'subscription { machineStatusChanged { eventId state machine { name } } }');
    const [event] = await live.waitFor(1, 30_000);
    expect(event.data.machineStatusChanged.machine.name).toEqual(expect.any(String));
    await live.close();

    run.child.kill(signal);
    expect(await run.exit).toEqual({ code: 0, signal: null });
    children.stop();
    expect(children.count()).toBe(3); // erp, mes, gateway were seen running
    expect(children.commands()).toContainEqual(expect.stringMatching(new RegExp(` ${GATEWAY_NODE_FLAGS.join(' ')} \\S+/gateway/main\\.js$`)));
    expect(children.alive()).toEqual([]);
  });

  it('runs the ERP subgraph over ERPNext REST against a fake ERPNext site with ERP_BACKEND=rest', async () => {
    const p = await ports();
    const erpnext = await freePort();
    const run = launch({ ...envFor(p), ERP_BACKEND: 'rest', ERPNEXT_PORT: String(erpnext) });
    const children = watchChildren(run.child.pid!);
    await run.waitFor('forge is running');
    expect(run.stdout).toContain(`ERP over REST from a fake ERPNext at http://localhost:${erpnext}`);
    const response = await postGraphQL(`http://localhost:${p.gateway}/graphql`, '{ salesOrders(first: 2) { totalCount nodes { erpReference customer { name } } } }');
    expect(response.errors).toBeUndefined();
    expect(response.data.salesOrders.totalCount).toBe(20);
    expect(response.data.salesOrders.nodes[0].erpReference).toMatch(/^SAL-ORD-/);
    const log = (await (await fetch(`http://localhost:${erpnext}/__fake/requests`)).json()) as { count: number };
    expect(log.count).toBeGreaterThan(0);
    run.child.kill('SIGTERM');
    expect(await run.exit).toEqual({ code: 0, signal: null });
    children.stop();
    expect(children.alive()).toEqual([]);
  });

  it('reports a port already taken in one line, without a stack trace, and leaves nothing running', async () => {
    const p = await ports();
    const blocker = net.createServer().listen(p.erp, '0.0.0.0');
    await new Promise((r) => blocker.once('listening', r));
    try {
      const run = launch(envFor(p));
      const children = watchChildren(run.child.pid!);
      const { code } = await run.exit;
      children.stop();
      expect(code).toBe(1);
      expect(run.stderr).toContain(`erp subgraph: port ${p.erp} is already in use (set ERP_PORT)`);
      expect(run.stderr).not.toMatch(/^\s+at /m);
      expect(children.alive()).toEqual([]);
    } finally {
      blocker.close();
    }
  });

  it('rejects an invalid port setting with a readable message', async () => {
    const run = launch({ GATEWAY_PORT: 'eighty' });
    const { code } = await run.exit;
    expect(code).toBe(1);
    expect(run.stderr).toMatch(/GATEWAY_PORT: Expected number/);
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });
});

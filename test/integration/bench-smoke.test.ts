import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GATEWAY_NODE_FLAGS } from '../../gateway/node-flags';
import { DIST } from '../fixtures/stack';

/** The benchmark in its few-second smoke mode, so that `npm run bench` cannot rot between benchmark runs. */
describe('npm run bench (smoke mode)', () => {
  it('measures every scenario against direct, plain, forge and forge without its entity cache, without errors, and writes its results', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'forge-bench-smoke-'));
    const child = spawn(process.execPath, [path.join(DIST, 'bench/run.js')], {
      env: { ...process.env, BENCH_SMOKE: '1', BENCH_OUT: out },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect({ code, output }).toEqual({ code: 0, output: expect.stringContaining('req/s vs plain') });

    const { rows, meta } = JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8')) as {
      rows: { scenario: string; target: string; requests: number; errors: number; entityCacheHitRate?: number }[];
      meta: { forgeNodeFlags: string };
    };
    // Read off the running gateway's command line: forge is measured as shipped.
    expect(meta.forgeNodeFlags).toBe(GATEWAY_NODE_FLAGS.join(' '));
    expect(rows.map((r) => `${r.scenario}/${r.target}`).sort()).toEqual(
      ['portal', 'bi', 'recall'].flatMap((s) => ['direct', 'plain', 'forge', 'forge-nocache'].map((t) => `${s}/${t}`)).sort(),
    );
    for (const row of rows) expect({ row: `${row.scenario}/${row.target}`, errors: row.errors, some: row.requests > 0 }).toEqual({ row: `${row.scenario}/${row.target}`, errors: 0, some: true });
    expect(fs.readFileSync(path.join(out, 'RESULTS.md'), 'utf8')).toContain('| scenario | target |');
    // forge runs with its entity cache, which bi's production progress uses; forge-nocache has it off.
    const bi = (target: string) => rows.find((r) => r.scenario === 'bi' && r.target === target)!;
    expect(bi('forge').entityCacheHitRate).toBeGreaterThan(0);
    expect(bi('forge-nocache').entityCacheHitRate).toBeUndefined();
  }, 180_000);
});

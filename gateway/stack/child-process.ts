import { ChildProcess, spawn } from 'node:child_process';

export interface ManagedProcess {
  name: string;
  child: ChildProcess;
  /** Resolves with the exit code (or signal name) when the process ends, for whatever reason. */
  exited: Promise<number | string>;
  /** The last few KB the process wrote to stderr, for error messages. */
  stderr(): string;
  /** The last few KB the process wrote to stdout (its logs). */
  stdout(): string;
  stop(graceMs?: number): Promise<void>;
}

export interface StartOptions {
  name: string;
  script: string;
  env: NodeJS.ProcessEnv;
  /** Node/V8 flags placed before the script (e.g. GATEWAY_NODE_FLAGS). */
  nodeFlags?: readonly string[];
  /** Print the child's output, each line prefixed with its name. */
  echo?: boolean;
}

/** Runs a compiled entry point with this Node binary; output is prefixed so interleaved logs stay readable. */
export function startProcess({ name, script, env, nodeFlags = [], echo = true }: StartOptions): ManagedProcess {
  const child = spawn(process.execPath, [...nodeFlags, script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderrTail = '';
  let stdoutTail = '';
  const prefix = (stream: NodeJS.WritableStream) => (chunk: Buffer) => {
    if (!echo) return;
    for (const line of chunk.toString().split('\n').filter(Boolean)) stream.write(`[${name}] ${line}\n`);
  };
  child.stdout?.on('data', (chunk: Buffer) => {
    stdoutTail = (stdoutTail + chunk.toString()).slice(-16_000);
    prefix(process.stdout)(chunk);
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString()).slice(-4000);
    prefix(process.stderr)(chunk);
  });
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
  return {
    name,
    child,
    exited,
    stderr: () => stderrTail,
    stdout: () => stdoutTail,
    async stop(graceMs = 5000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Polls a URL until it answers 200, the process dies, or the deadline passes. A dead process rejects with
 * its own last stderr line, which is the one-line reason (e.g. a port already in use).
 */
export async function waitUntilReady(proc: ManagedProcess, url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let dead = false;
  void proc.exited.then(() => (dead = true));
  while (Date.now() < deadline) {
    if (dead) {
      const reason = proc.stderr().trim().split('\n').pop() || `exited with ${await proc.exited}`;
      throw new Error(reason);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${proc.name} did not become ready at ${url} within ${timeoutMs} ms`);
}

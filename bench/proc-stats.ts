import fs from 'node:fs';

/** CPU time (user + system) a process has used so far, in seconds (Linux /proc, 100 Hz clock ticks). */
export function cpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** cpuSeconds of each named process. */
export function cpuSecondsOf(pids: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuSeconds(pid)]));
}

/** Resident memory of a process in MiB (Linux). */
export function rssMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kib / 1024);
}

/** The Node flags a process actually runs with: its command line between the node binary and the script. */
export function nodeFlagsOf(pid: number): string[] {
  const args = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  return args.slice(1).filter((arg) => arg.startsWith('--'));
}

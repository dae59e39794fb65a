import { Client, createClient } from 'graphql-ws';
import fs from 'node:fs';
import WebSocket from 'ws';
import { rssMiB } from './http-load';

export interface FanOutOptions {
  gatewayUrl: string;
  mesUrl: string;
  machineIds: string[];
  subscribers: number;
  eventsPerSecond: number;
  durationSeconds: number;
  gatewayPid: number;
}

export interface FanOutResult {
  subscribers: number;
  eventsPublished: number;
  deliveriesExpected: number;
  deliveriesReceived: number;
  lost: number;
  latencyP50: number;
  latencyP99: number;
  gatewayRssMiB: number;
  gatewayCpuPercent: number;
}

const SELECTION = `subscription { machineStatusChanged {
  eventId state machine { id name currentWorkOrder { number salesOrder { number customer { name } } } } } }`;

/**
 * N graphql-ws subscribers on the gateway, each selecting ERP fields in MES events, while machine states change
 * at R per second (straight into the MES). Latency is publish acknowledged → received by a subscriber, matched
 * per machine in order (each machine's events are toggles, so the k-th event of a machine is the k-th publish).
 */
export async function fanOut(options: FanOutOptions): Promise<FanOutResult> {
  const publishedAt = new Map<string, number[]>(options.machineIds.map((id) => [id, []]));
  const latencies: number[] = [];
  const clients: Client[] = [];
  let received = 0;
  for (let i = 0; i < options.subscribers; i++) {
    const client = createClient({ url: options.gatewayUrl.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0, lazy: false, onNonLazyError: () => undefined });
    clients.push(client);
    const seen = new Map<string, number>();
    client.subscribe(
      { query: SELECTION },
      {
        next: ({ data }) => {
          const machineId = (data as { machineStatusChanged?: { machine?: { id: string } } })?.machineStatusChanged?.machine?.id;
          if (!machineId) return;
          const index = seen.get(machineId) ?? 0;
          seen.set(machineId, index + 1);
          const sent = publishedAt.get(machineId)?.[index];
          if (sent !== undefined) latencies.push(Date.now() - sent);
          received += 1;
        },
        error: () => undefined,
        complete: () => undefined,
      },
    );
  }
  await new Promise((resolve) => setTimeout(resolve, 1000 + options.subscribers / 10)); // let subscriptions start

  const cpuBefore = cpuSeconds(options.gatewayPid);
  const wallBefore = Date.now();
  const states = new Map<string, string>();
  let published = 0;
  const total = options.eventsPerSecond * options.durationSeconds;
  const interval = 1000 / options.eventsPerSecond;
  const started = Date.now();
  const inFlight: Promise<void>[] = [];
  for (let n = 0; n < total; n++) {
    const wait = started + n * interval - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const machineId = options.machineIds[n % options.machineIds.length]!;
    const state = states.get(machineId) === 'IDLE' ? 'RUNNING' : 'IDLE';
    states.set(machineId, state);
    const input = state === 'IDLE' ? { machineId, state, reasonCode: 'No work order', lossCategory: 'PLANNED' } : { machineId, state };
    // Event time is when the change is sent; a machine's next change is 1/R × machines later, so they keep order.
    publishedAt.get(machineId)!.push(Date.now());
    inFlight.push(
      fetch(options.mesUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'mutation($input: RecordMachineStateInput!) { recordMachineState(input: $input) { id } }', variables: { input } }),
      }).then(async (res) => {
        await res.text();
        published += 1;
      }),
    );
  }
  await Promise.all(inFlight);
  const expected = published * options.subscribers;
  const deadline = Date.now() + 30_000;
  while (received < expected && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
  const cpu = ((cpuSeconds(options.gatewayPid) - cpuBefore) / ((Date.now() - wallBefore) / 1000)) * 100;
  const rss = rssMiB(options.gatewayPid);
  await Promise.all(clients.map((c) => c.dispose()));

  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
  return {
    subscribers: options.subscribers,
    eventsPublished: published,
    deliveriesExpected: expected,
    deliveriesReceived: received,
    lost: Math.max(0, expected - received),
    latencyP50: pct(50),
    latencyP99: pct(99),
    gatewayRssMiB: rss,
    gatewayCpuPercent: Math.round(cpu),
  };
}

function cpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime in clock ticks (100 Hz)
}

/**
 * V8 flags the gateway process is started with, by every launcher (npm start, docker-compose, the benchmark).
 *
 * A gateway holds little that lives long and allocates a great deal that does not (subgraph answers, shaped
 * results, serialized responses). What a request still holds when a scavenge comes is promoted, and V8 let the old
 * generation grow to about three times what the last full collection kept (40 → 120–157 MB on 500-row pages)
 * before collecting it again. A fixed growth factor of 2 collects it sooner: under the benchmark's bi load fresh
 * gateways peaked at 167–199 MiB instead of 245–263, and CPU per request did not rise (bench/RESULTS.md, part H).
 * This replaces the 8 MiB semi-spaces of part F, which saved 12–14 MiB for ~6% more CPU on 500-row pages; with the
 * growth factor set, Node's default young generation measured 10–15% cheaper on bi for ~20 MiB, and the
 * subscription fan-out's p99 at 200 events/s was no worse (59 ms against 117 in one run each).
 *
 * Kept free of imports: the stack launcher reads it without loading the gateway.
 */
export const GATEWAY_NODE_FLAGS: readonly string[] = ['--heap-growing-percent=100'];

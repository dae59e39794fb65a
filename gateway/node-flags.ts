/**
 * V8 flags the gateway process is started with, by every launcher (npm start, docker-compose, the benchmark).
 *
 * A gateway holds little that lives long, and allocates a great deal that does not (subgraph answers, shaped
 * results, serialized responses), so V8 grows its young generation to the largest the flags allow. With 8 MiB
 * semi-spaces instead of Node's 16 MiB, fresh gateways under the benchmark's load peaked 12–14 MiB lower on
 * portal and bi; portal's CPU per request did not move measurably, bi's (500-row pages) rose by ~6% from the
 * extra scavenges (bench/RESULTS.md, part F). Shorter scavenges also shortened the subscription fan-out's pauses
 * (10,000 subscribers at 200 events/s: p99 123–136 ms with, 205–291 ms without). 4 MiB saved more memory but cost
 * ~10% CPU on portal.
 *
 * Kept free of imports: the stack launcher reads it without loading the gateway.
 */
export const GATEWAY_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=8'];

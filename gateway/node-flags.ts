/**
 * V8 flags the gateway process is started with, by every launcher (npm start, docker-compose, the benchmark).
 *
 * A gateway holds little that lives long, and allocates a great deal that does not (subgraph answers, shaped
 * results, serialized responses). With Node's default 16 MiB semi-spaces V8 lets the young generation grow to
 * 48 MiB under load; 8 MiB semi-spaces took the gateway's peak RSS down by 10–17 MiB on the portal and bi
 * benchmarks with no measurable change in CPU per request (bench/RESULTS.md, part F). 4 MiB saved more memory but
 * cost ~10% CPU, from the extra scavenges.
 *
 * Kept free of imports: the stack launcher reads it without loading the gateway.
 */
export const GATEWAY_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=8'];

import { createHash } from 'node:crypto';
import { createClient, ErrorReply } from 'redis';
import type { BusEvent, EventId, EventStream } from './event-types';

/**
 * A connection as the bus uses it. The offline queue is off, so commands fail at once while disconnected,
 * and every command has a reply timeout: together they make publish() fail fast during an outage instead of
 * hanging (a timed-out publish may still have been appended, as with any network write).
 */
export function createRedisClient(url: string, name: string, commandTimeoutMs: number, connectTimeoutMs: number) {
  return createClient({
    url,
    name,
    disableOfflineQueue: true,
    commandOptions: { timeout: commandTimeoutMs },
    // Capped backoff: a restarted Redis is picked up within ~1 s rather than the default 2 s + jitter.
    socket: { connectTimeout: connectTimeoutMs, reconnectStrategy: (retries) => Math.min(50 * 2 ** retries, 1_000) },
  });
}

export type RedisClient = ReturnType<typeof createRedisClient>;

/**
 * Appends one event and applies retention, atomically and on the Redis clock (the clock that made the ids).
 *
 * Why not `XADD … MAXLEN ~ n` plus `XTRIM MINID`: on Redis 7.0 trimming does not move XINFO's
 * `max-deleted-entry-id` (only XDEL does), and approximate trimming removes an unknown set of whole nodes, so
 * nobody could tell afterwards whether a resume point was trimmed. Instead the script finds the newest entry
 * that must go (by count, at most ARGV[5] per call so a lowered limit converges over a few publishes instead of
 * one long script; by age, the newest entry older than now − maxAge), trims exactly up to it with
 * `XTRIM MINID =` (cheap: usually one entry per publish) and records it with `XSETID … MAXDELETEDID`, so
 * `max-deleted-entry-id` is exactly "the newest trimmed id" on every Redis 7.
 *
 * ARGV[4], the floor: the highest id this bus instance has seen. If the stream is gone (a Redis restarted
 * without persistence) and the new server's clock is behind that id, the first entry is created just above
 * it, so ids keep growing for clients that resume with an id from before the restart.
 */
const PUBLISH = `
local key = KEYS[1]
local function split(id) local ms, seq = string.match(id, '^(%d+)-(%d+)$'); return ms, tonumber(seq) end
local function later(a, b)
  local am, as = split(a); local bm, bs = split(b)
  return tonumber(am) > tonumber(bm) or (tonumber(am) == tonumber(bm) and as > bs)
end
local time = redis.call('TIME')
local nowMs = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local id
if ARGV[4] ~= '' and redis.call('EXISTS', key) == 0 then
  local floorMs, floorSeq = split(ARGV[4])
  if nowMs <= tonumber(floorMs) then id = redis.call('XADD', key, floorMs .. '-' .. (floorSeq + 1), 'p', ARGV[1]) end
end
if not id then id = redis.call('XADD', key, '*', 'p', ARGV[1]) end
local cut = nil
local excess = redis.call('XLEN', key) - tonumber(ARGV[2])
if excess > 0 then
  local head = redis.call('XRANGE', key, '-', '+', 'COUNT', math.min(excess, tonumber(ARGV[5])))
  cut = head[#head][1]
end
local minMs = nowMs - tonumber(ARGV[3])
if minMs > 0 then
  local old = redis.call('XREVRANGE', key, '(' .. string.format('%.0f', minMs) .. '-0', '-', 'COUNT', 1)
  if old[1] and (cut == nil or later(old[1][1], cut)) then cut = old[1][1] end
end
if cut then
  local cutMs, cutSeq = split(cut)
  redis.call('XTRIM', key, 'MINID', '=', cutMs .. '-' .. (cutSeq + 1))
  redis.call('XSETID', key, id, 'MAXDELETEDID', cut)
end
return id
`;

/**
 * The resume bounds and (when ARGV[1] is an id and ARGV[2] > 0) the next entries after ARGV[1], in one atomic
 * read, so "was anything after my cursor trimmed?" and "what comes after my cursor?" describe the same moment.
 * Reply: last-generated-id, max-deleted-entry-id, oldest retained id or '', then id, payload, id, payload…
 */
const READ = `
local key = KEYS[1]
if redis.call('EXISTS', key) == 0 then return { '0-0', '0-0', '' } end
local info = redis.call('XINFO', 'STREAM', key)
local reply = { '0-0', '0-0', '' }
for i = 1, #info, 2 do
  if info[i] == 'last-generated-id' then reply[1] = info[i + 1] end
  if info[i] == 'max-deleted-entry-id' then reply[2] = info[i + 1] end
end
local first = redis.call('XRANGE', key, '-', '+', 'COUNT', 1)
if first[1] then reply[3] = first[1][1] end
if ARGV[1] ~= '' and tonumber(ARGV[2]) > 0 then
  for _, entry in ipairs(redis.call('XRANGE', key, '(' .. ARGV[1], '+', 'COUNT', ARGV[2])) do
    reply[#reply + 1] = entry[1]
    reply[#reply + 1] = entry[2][2]
  end
end
return reply
`;

/** Payloads are stored as one JSON field, `p`. */
export const PAYLOAD_FIELD = 'p';

export interface ReadResult<S extends EventStream> {
  lastGenerated: EventId;
  /** '0-0' when nothing was ever trimmed. */
  maxDeleted: EventId;
  oldestRetained: EventId | null;
  events: BusEvent<S>[];
}

export interface PublishArgs {
  payload: string;
  maxEvents: number;
  maxAgeMs: number;
  floor: EventId | null;
  /** How many entries one publish may trim by count. */
  trimBatch: number;
}

export async function publishScript(client: RedisClient, key: string, args: PublishArgs): Promise<EventId> {
  const reply = await evalScript(client, PUBLISH, [key], [
    args.payload,
    String(args.maxEvents),
    String(args.maxAgeMs),
    args.floor ?? '',
    String(args.trimBatch),
  ]);
  return String(reply);
}

/** `after` null: only the bounds (what "from now on" means, and what was trimmed). */
export async function readScript<S extends EventStream>(
  client: RedisClient,
  key: string,
  stream: S,
  after: EventId | null,
  count: number,
  { ordered = false }: { ordered?: boolean } = {},
): Promise<ReadResult<S>> {
  // `ordered`: the read must run after the commands sent before it and before those sent after it (a "from now
  // on" position). EVALSHA cannot promise that: refused with NOSCRIPT, its EVAL goes out behind later commands.
  const args = { keys: [key], arguments: [after ?? '', String(count)] };
  const reply = (ordered ? await client.eval(READ, args) : await evalScript(client, READ, args.keys, args.arguments)) as string[];
  const events: BusEvent<S>[] = [];
  for (let i = 3; i < reply.length; i += 2) events.push(toEvent(stream, reply[i], reply[i + 1]));
  return { lastGenerated: reply[0], maxDeleted: reply[1], oldestRetained: reply[2] || null, events };
}

export function toEvent<S extends EventStream>(stream: S, eventId: EventId, payload: string): BusEvent<S> {
  return { eventId, stream, payload: JSON.parse(payload) };
}

const shas = new Map<string, string>();

/**
 * Caches the bus's scripts on the server (a new or restarted Redis knows none), so that EVALSHA is refused only
 * after the server lost them since.
 */
export async function loadScripts(client: RedisClient): Promise<void> {
  for (const script of [PUBLISH, READ]) shas.set(script, await client.scriptLoad(script));
}

/** EVALSHA, falling back to EVAL once per connection/restart when the server does not know the script yet. */
async function evalScript(client: RedisClient, script: string, keys: string[], args: string[]): Promise<unknown> {
  let sha = shas.get(script);
  if (!sha) shas.set(script, (sha = createHash('sha1').update(script).digest('hex')));
  try {
    return await client.evalSha(sha, { keys, arguments: args });
  } catch (error) {
    if (!(error instanceof ErrorReply) || !error.message.startsWith('NOSCRIPT')) throw error;
    return client.eval(script, { keys, arguments: args });
  }
}

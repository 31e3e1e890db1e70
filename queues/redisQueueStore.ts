import { createHash } from 'node:crypto';
import { createClient } from 'redis';
import type { QueueStatus, StoredPlace } from '../domain/waitingRoom';
import { newSeed } from './fairDraw';
import { decodePlace, encodePlace, type AdmittedBuyer, type JoinRequest, type QueueStore } from './queueStore';

export type QueueRedis = ReturnType<typeof createClient>;

/**
 * The queues in Redis, shared by every API node. Each event's keys share one prefix with the event
 * id as hash tag (`<prefix>:{<eventId>}:...`), so the scripts below touch one cluster slot:
 *   users    hash   userId  → queueId      (one place per user)
 *   places   hash   queueId → joinedAt|pre|userId
 *   status   hash   queueId → WAITING | ADMITTED | EXPIRED | SOLD_OUT
 *   until    hash   queueId → admitted until (ms)
 *   waiting  zset   queueId by draw score (pre-queue, below 0) or arrival number (1, 2, ...)
 *   active   zset   queueId by admitted-until: admitted, not yet booked nor lapsed
 *   seq, soldout, seed, tick:<id> (a tick's admitted buyers, for a retried activity)
 * Every change is one Lua script, so it is atomic across nodes.
 */
const JOIN = `
local q = redis.call('HGET', KEYS[1], ARGV[1])
local created = 0
if not q then
  q = ARGV[2]
  created = 1
  redis.call('HSET', KEYS[1], ARGV[1], q)
  redis.call('HSET', KEYS[2], q, ARGV[3])
  if redis.call('EXISTS', KEYS[6]) == 1 then
    redis.call('HSET', KEYS[3], q, 'SOLD_OUT')
  else
    redis.call('HSET', KEYS[3], q, 'WAITING')
    local score = ARGV[4]
    if score == '' then score = redis.call('INCR', KEYS[5]) end
    redis.call('ZADD', KEYS[4], score, q)
  end
end
local rank = redis.call('ZRANK', KEYS[4], q)
return {q, created, {redis.call('HGET', KEYS[2], q), redis.call('HGET', KEYS[3], q), redis.call('HGET', KEYS[7], q) or '', rank or -1}}`;

const READ = `
local out = {}
for i, q in ipairs(ARGV) do
  local place = redis.call('HGET', KEYS[1], q)
  if place then
    local rank = redis.call('ZRANK', KEYS[3], q)
    table.insert(out, {place, redis.call('HGET', KEYS[2], q), redis.call('HGET', KEYS[4], q) or '', rank or -1})
  else
    table.insert(out, {})
  end
end
return out`;

const ADMIT = `
local done = redis.call('GET', KEYS[5])
if done then return cjson.decode(done) end
local out = {}
local max = tonumber(ARGV[1])
if max > 0 then
  local popped = redis.call('ZPOPMIN', KEYS[1], max)
  for i = 1, #popped, 2 do
    local q = popped[i]
    redis.call('HSET', KEYS[2], q, 'ADMITTED')
    redis.call('HSET', KEYS[4], q, ARGV[2])
    redis.call('ZADD', KEYS[3], ARGV[2], q)
    table.insert(out, q)
    table.insert(out, redis.call('HGET', KEYS[6], q))
  end
end
redis.call('SET', KEYS[5], cjson.encode(out), 'EX', 86400)
return out`;

const EXPIRE = `
local lapsed = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
for _, q in ipairs(lapsed) do
  redis.call('ZREM', KEYS[1], q)
  if redis.call('HGET', KEYS[2], q) == 'ADMITTED' then redis.call('HSET', KEYS[2], q, 'EXPIRED') end
end
return lapsed`;

const SOLD_OUT = `
redis.call('SET', KEYS[3], '1')
local waiting = redis.call('ZRANGE', KEYS[1], 0, -1)
for _, q in ipairs(waiting) do redis.call('HSET', KEYS[2], q, 'SOLD_OUT') end
redis.call('DEL', KEYS[1])
return #waiting`;

interface Script {
  source: string;
  sha: string;
}
const script = (source: string): Script => ({ source, sha: createHash('sha1').update(source).digest('hex') });
const SCRIPTS = { join: script(JOIN), read: script(READ), admit: script(ADMIT), expire: script(EXPIRE), soldOut: script(SOLD_OUT) };

type Reply = string | number | null | Reply[];

export function createRedisQueueStore(redis: QueueRedis, prefix: string, ownsClient = true): QueueStore {
  const key = (eventId: string, name: string) => `${prefix}:{${eventId}}:${name}`;

  // EVALSHA first (the script's text is sent once per server), EVAL when the server does not know it yet.
  const run = async (s: Script, keys: string[], args: string[]): Promise<Reply> => {
    try {
      return (await redis.sendCommand(['EVALSHA', s.sha, String(keys.length), ...keys, ...args])) as Reply;
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
      return (await redis.sendCommand(['EVAL', s.source, String(keys.length), ...keys, ...args])) as Reply;
    }
  };

  const toPlace = (eventId: string, queueId: string, row: Reply): StoredPlace | undefined => {
    if (!Array.isArray(row) || row.length === 0) return undefined;
    const [raw, status, until, rank] = row as [string, string, string, number];
    const { joinedAt, preQueue, userId } = decodePlace(raw);
    return {
      queueId,
      eventId,
      userId,
      status: status as QueueStatus,
      rank: rank >= 0 ? rank + 1 : null,
      admittedUntil: until ? Number(until) : null,
      joinedAt,
      preQueue,
    };
  };

  const readMany = async (eventId: string, queueIds: string[]) => {
    if (queueIds.length === 0) return [];
    const rows = (await run(
      SCRIPTS.read,
      [key(eventId, 'places'), key(eventId, 'status'), key(eventId, 'waiting'), key(eventId, 'until')],
      queueIds,
    )) as Reply[];
    return queueIds.map((queueId, i) => toPlace(eventId, queueId, rows[i]));
  };

  return {
    kind: 'redis',
    async seed(eventId) {
      const seedKey = key(eventId, 'seed');
      await redis.set(seedKey, newSeed(), { condition: 'NX' });
      const seed = await redis.get(seedKey);
      if (!seed) throw new Error(`the fair-draw seed of ${eventId} vanished`);
      return seed;
    },
    async join(eventId, request: JoinRequest) {
      // One round trip: the place (new or the user's own) comes back with its rank.
      const [queueId, created, row] = (await run(
        SCRIPTS.join,
        ['users', 'places', 'status', 'waiting', 'seq', 'soldout', 'until'].map((name) => key(eventId, name)),
        [
          request.userId,
          request.queueId,
          encodePlace(request.now, request.drawScore !== undefined, request.userId),
          request.drawScore === undefined ? '' : String(request.drawScore),
        ],
      )) as [string, number, Reply];
      const place = toPlace(eventId, queueId, row);
      if (!place) throw new Error(`queue place ${queueId} vanished after joining`);
      return { place, created: created === 1 };
    },
    async read(eventId, queueId) {
      return (await readMany(eventId, [queueId]))[0];
    },
    readMany,
    async preQueue(eventId) {
      const all = await redis.hGetAll(key(eventId, 'places'));
      return Object.entries(all)
        .filter(([, raw]) => decodePlace(raw).preQueue)
        .map(([queueId]) => queueId);
    },
    async counts(eventId) {
      const [waiting, active] = await Promise.all([redis.zCard(key(eventId, 'waiting')), redis.zCard(key(eventId, 'active'))]);
      return { waiting, active };
    },
    async admit(eventId, tickId, max, until): Promise<AdmittedBuyer[]> {
      const flat = (await run(
        SCRIPTS.admit,
        [key(eventId, 'waiting'), key(eventId, 'status'), key(eventId, 'active'), key(eventId, 'until'), key(eventId, `tick:${tickId}`), key(eventId, 'places')],
        [String(max), String(until)],
      )) as string[];
      const admitted: AdmittedBuyer[] = [];
      for (let i = 0; i < flat.length; i += 2) admitted.push({ queueId: flat[i], userId: decodePlace(flat[i + 1]).userId });
      return admitted;
    },
    async expireLapsed(eventId, now) {
      return (await run(SCRIPTS.expire, [key(eventId, 'active'), key(eventId, 'status')], [String(now)])) as string[];
    },
    async markUsed(eventId, queueId) {
      await redis.zRem(key(eventId, 'active'), queueId);
    },
    async markSoldOut(eventId) {
      return (await run(SCRIPTS.soldOut, [key(eventId, 'waiting'), key(eventId, 'status'), key(eventId, 'soldout')], [])) as number;
    },
    async close() {
      if (ownsClient && redis.isOpen) redis.destroy();
    },
  };
}

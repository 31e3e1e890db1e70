import type { Server as HttpServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import { Server } from 'socket.io';
import type { SeatUpdate } from '../../domain/seatMap';
import type { Pool } from '../../db/pool';
import type { AuthSettings } from '../auth/authenticate';
import type { RedisHealth } from '../lifecycle/redisHealth';
import type { WaitingRoom } from '../waitingRoom/waitingRoom';
import { handleQueueSockets } from './queueSockets';
import { SeatChangeListener } from './seatChangeListener';
import { SeatFeed } from './seatFeed';
import type { SeatMapCache } from './seatMapCache';
import { broadcastSeatUpdate, handleSeatMapSockets } from './seatMapSockets';

/** What one browser connection may do: its origin (CORS), its largest message, how many seat maps it watches. */
export interface SocketLimits {
  /** As CORS_ORIGINS: empty, same origin only. */
  corsOrigins: string[];
  maxMessageBytes: number;
  maxSubscriptions: number;
}

export interface RealtimeOptions {
  databaseUrl: string;
  pool: Pool;
  /** With Redis, several API nodes share subscribers and one of them relays. */
  redisUrl: string | undefined;
  /** Channel prefix on Redis (the adapter's `key`): separates clusters that share one Redis. */
  redisChannelPrefix?: string;
  /** Where this node's SSE clients read updates from. */
  feed: SeatFeed;
  /** This node's seat maps: the snapshots subscribers get. */
  seatMaps: SeatMapCache;
  limits: SocketLimits;
  /** Where the adapter's Redis connections report whether they serve (GET /health). */
  redisHealth?: RedisHealth;
  /** How a socket's bearer token (handshake `auth.token`) is checked: queue places are their owners' only. */
  auth: AuthSettings;
  /** The waiting rooms: queue places pushed to the clients that joined. */
  waitingRoom: WaitingRoom;
  log?: (line: string) => void;
}

export interface RealtimeService {
  io: Server;
  close(): Promise<void>;
}

type RedisClient = ReturnType<typeof createClient>;

// The adapter's calls whose promises it drops: with Redis away they reject, which must not become an
// unhandled rejection (that ends the process). A lost cross-node message is caught up by version.
const FIRE_AND_FORGET = new Set<PropertyKey>(['publish', 'subscribe', 'pSubscribe', 'unsubscribe', 'pUnsubscribe']);

function quietRedis(client: RedisClient, log: (line: string) => void): RedisClient {
  let lastLog = 0;
  return new Proxy(client, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => unknown;
      if (!FIRE_AND_FORGET.has(property)) return method.bind(target);
      return (...args: unknown[]) =>
        Promise.resolve()
          .then(() => method.apply(target, args))
          .catch((err: Error) => {
            if (Date.now() - lastLog < 60_000) return undefined;
            lastLog = Date.now();
            log(`redis: ${String(property)} failed (${err.message}); this node's own clients are still served`);
            return undefined;
          });
    },
  });
}

// Name of the node-to-node message that carries updates to other nodes' SSE clients.
const CLUSTER_SEAT_UPDATE = 'cluster:seat_update';
// ... and the one that tells other nodes an event's queue moved (their clients' places are read there).
const CLUSTER_QUEUE_MOVED = 'cluster:queue_moved';

/**
 * The one place seat-map messages leave from: committed changes (LISTEN on the outbox's NOTIFY)
 * go into this node's feed, which sends them to its Socket.IO rooms, its SSE clients and its
 * seat-map cache. With Redis, the relay is one node at a time and a server-side message carries
 * each change to the other nodes' feeds.
 */
export async function startRealtimeService(httpServer: HttpServer, options: RealtimeOptions): Promise<RealtimeService> {
  const log = options.log ?? ((line: string) => console.log(`[realtime] ${line}`));
  const { limits } = options;
  const io = new Server(httpServer, {
    serveClient: true,
    cors: { origin: limits.corsOrigins.length === 0 ? false : limits.corsOrigins.includes('*') ? '*' : limits.corsOrigins },
    // A client sends only small subscribe messages: anything larger ends its connection.
    maxHttpBufferSize: limits.maxMessageBytes,
  });
  const { feed } = options;
  const clustered = options.redisUrl !== undefined;

  let redisClients: RedisClient[] = [];
  if (clustered) {
    // Publishing never queues while Redis is away (memory stays bounded; clients resync by version),
    // while subscribing does, so the adapter's subscriptions are made once Redis answers.
    const pub = createClient({ url: options.redisUrl, disableOfflineQueue: true });
    const sub = pub.duplicate({ disableOfflineQueue: false });
    for (const [name, client] of [['Socket.IO publisher', pub], ['Socket.IO subscriber', sub]] as const) {
      if (options.redisHealth) options.redisHealth.watch(name, client);
      else client.on('error', (err: Error) => log(`redis: ${err.message}`));
      // Not awaited: an unreachable Redis must not keep the node from listening. node-redis keeps
      // retrying with back-off and resubscribes once connected; the adapter is attached meanwhile.
      client.connect().catch((err: Error) => log(`redis: gave up connecting (${err.message})`));
    }
    redisClients = [pub, sub];
    io.adapter(createAdapter(quietRedis(pub, log), quietRedis(sub, log), { key: options.redisChannelPrefix }));
    io.on(CLUSTER_SEAT_UPDATE, (update: SeatUpdate) => feed.publish(update));
    io.on(CLUSTER_QUEUE_MOVED, (eventId: string) => options.waitingRoom.feed.publish(eventId));
    options.waitingRoom.feed.relayTo((eventId) => io.serverSideEmit(CLUSTER_QUEUE_MOVED, eventId));
  }

  handleSeatMapSockets(io, { pool: options.pool, feed, seatMaps: options.seatMaps, maxSubscriptions: limits.maxSubscriptions });
  // Each node sends to its own sockets from its own feed, in the same tick as its cache and SSE clients.
  const unsubscribeRooms = feed.subscribeAll((update) => broadcastSeatUpdate(io, update));
  handleQueueSockets(io, { waitingRoom: options.waitingRoom, pool: options.pool, auth: options.auth });

  const listener = new SeatChangeListener({
    databaseUrl: options.databaseUrl,
    pool: options.pool,
    exclusive: clustered,
    log,
    onUpdate: (update) => {
      feed.publish(update);
      if (clustered) io.serverSideEmit(CLUSTER_SEAT_UPDATE, update);
    },
  });
  await listener.start();

  return {
    io,
    async close() {
      await listener.stop();
      unsubscribeRooms();
      // Only this node's sockets: through the Redis adapter, io.disconnectSockets would end every node's clients.
      io.local.disconnectSockets(true);
      await new Promise<void>((resolve) => {
        // io.close also closes the HTTP server; the caller owns that, so only the engine is closed.
        io.engine.close();
        resolve();
      });
      // quit() would wait for a Redis that is away (it queues): destroy() does not.
      await Promise.all(redisClients.map((c) => (c.isReady ? c.quit() : Promise.resolve(c.destroy())).catch(() => undefined)));
    },
  };
}

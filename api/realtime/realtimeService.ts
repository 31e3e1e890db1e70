import type { Server as HttpServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import { Server } from 'socket.io';
import type { SeatUpdate } from '../../domain/seatMap';
import type { Pool } from '../../db/pool';
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
  log?: (line: string) => void;
}

export interface RealtimeService {
  io: Server;
  close(): Promise<void>;
}

// Name of the node-to-node message that carries updates to other nodes' SSE clients.
const CLUSTER_SEAT_UPDATE = 'cluster:seat_update';

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

  let redisClients: ReturnType<typeof createClient>[] = [];
  if (clustered) {
    const pub = createClient({ url: options.redisUrl });
    const sub = pub.duplicate();
    pub.on('error', (err: Error) => log(`redis: ${err.message}`));
    sub.on('error', (err: Error) => log(`redis: ${err.message}`));
    await Promise.all([pub.connect(), sub.connect()]);
    redisClients = [pub, sub];
    io.adapter(createAdapter(pub, sub, { key: options.redisChannelPrefix }));
    io.on(CLUSTER_SEAT_UPDATE, (update: SeatUpdate) => feed.publish(update));
  }

  handleSeatMapSockets(io, { pool: options.pool, feed, seatMaps: options.seatMaps, maxSubscriptions: limits.maxSubscriptions });
  // Each node sends to its own sockets from its own feed, in the same tick as its cache and SSE clients.
  const unsubscribeRooms = feed.subscribeAll((update) => broadcastSeatUpdate(io, update));

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
      await Promise.all(redisClients.map((c) => c.quit().catch(() => undefined)));
    },
  };
}

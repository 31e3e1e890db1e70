import type { Server as HttpServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import { Server } from 'socket.io';
import type { SeatUpdate } from '../../domain/seatMap';
import type { Pool } from '../../db/pool';
import type { WaitingRoom } from '../waitingRoom/waitingRoom';
import { handleQueueSockets } from './queueSockets';
import { SeatChangeListener } from './seatChangeListener';
import { SeatFeed } from './seatFeed';
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
  limits: SocketLimits;
  /** The waiting rooms: queue places pushed to the clients that joined. */
  waitingRoom: WaitingRoom;
  log?: (line: string) => void;
}

export interface RealtimeService {
  io: Server;
  close(): Promise<void>;
}

// Name of the node-to-node message that carries updates to other nodes' SSE clients.
const CLUSTER_SEAT_UPDATE = 'cluster:seat_update';
// ... and the one that tells other nodes an event's queue moved (their clients' places are read there).
const CLUSTER_QUEUE_MOVED = 'cluster:queue_moved';

/**
 * The one place seat-map messages leave from: committed changes (LISTEN on the outbox's NOTIFY)
 * are relayed to Socket.IO rooms and to this node's SSE feed. With Redis, the relay is one node at a
 * time, the Redis adapter carries its broadcasts to the other nodes' sockets, and a server-side
 * message carries them to the other nodes' SSE clients.
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
    io.on(CLUSTER_QUEUE_MOVED, (eventId: string) => options.waitingRoom.feed.publish(eventId));
    options.waitingRoom.feed.relayTo((eventId) => io.serverSideEmit(CLUSTER_QUEUE_MOVED, eventId));
  }

  handleSeatMapSockets(io, options.pool, limits.maxSubscriptions);
  handleQueueSockets(io, { waitingRoom: options.waitingRoom, pool: options.pool });

  const listener = new SeatChangeListener({
    databaseUrl: options.databaseUrl,
    pool: options.pool,
    exclusive: clustered,
    log,
    onUpdate: (update) => {
      broadcastSeatUpdate(io, update);
      feed.publish(update);
      if (clustered) io.serverSideEmit(CLUSTER_SEAT_UPDATE, update);
    },
  });
  await listener.start();

  return {
    io,
    async close() {
      await listener.stop();
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

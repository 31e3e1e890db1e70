import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client } from '@temporalio/client';
import type { Env } from '../config/env';
import type { Pool } from '../db/pool';
import type { PaymentProvider } from '../payments/paymentProvider';
import { createApp } from './app';
import { createRateLimitsFor } from './rateLimits/fromEnv';
import { startRealtimeService, type RealtimeService } from './realtime/realtimeService';
import { SeatFeed } from './realtime/seatFeed';
import { SeatMapCache } from './realtime/seatMapCache';
import type { RateLimits } from './rateLimits/rateLimits';

export interface ApiServer {
  url: string;
  server: http.Server;
  realtime: RealtimeService;
  rateLimits: RateLimits;
  close(): Promise<void>;
}

/** The API node: Koa routes and the realtime service (Socket.IO, SSE feed) on one HTTP server. */
export async function startApiServer(deps: {
  env: Env;
  pool: Pool;
  temporal: Client;
  payments: PaymentProvider;
}): Promise<ApiServer> {
  const feed = new SeatFeed();
  const rateLimits = createRateLimitsFor(deps.env);
  const seatMaps = new SeatMapCache(deps.pool, feed, {
    maxEvents: deps.env.seatMapCacheEvents,
    verifyAfterMs: deps.env.seatMapVerifyMs,
  });
  const app = createApp({ ...deps, feed, seatMaps, rateLimits });
  const server = http.createServer(
    {
      // Slow clients (slowloris): a request's headers, and then the whole request, must arrive in
      // time, or the connection is answered 408 and closed. Both clocks start at a request's first
      // byte, not while a kept-alive connection sits idle, so they do not cut the keep-alive below
      // short. Checked every second rather than Node's default 30 s, so the bounds hold as set.
      headersTimeout: deps.env.httpHeadersTimeoutMs,
      requestTimeout: deps.env.httpRequestTimeoutMs,
      connectionsCheckingInterval: 1_000,
    },
    app.callback(),
  );
  // Keep idle connections open longer than clients and load balancers do, so it is always the client
  // that closes one: a server closing an idle connection just as a request is sent on it resets it.
  server.keepAliveTimeout = 65_000;
  const realtime = await startRealtimeService(server, {
    databaseUrl: deps.env.databaseUrl,
    pool: deps.pool,
    redisUrl: deps.env.redisUrl,
    redisChannelPrefix: deps.env.redisChannelPrefix,
    feed,
    seatMaps,
    limits: {
      corsOrigins: deps.env.corsOrigins,
      maxMessageBytes: deps.env.socketMaxMessageBytes,
      maxSubscriptions: deps.env.socketMaxSubscriptions,
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // An on-sale opens thousands of connections at once: queue them rather than refuse them.
    server.listen({ port: deps.env.port, host: deps.env.host, backlog: 4096 }, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${deps.env.host}:${port}`,
    server,
    realtime,
    rateLimits,
    async close() {
      await realtime.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await rateLimits.close();
      seatMaps.close();
    },
  };
}

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client } from '@temporalio/client';
import type { Env } from '../config/env';
import type { Pool } from '../db/pool';
import type { PaymentProvider } from '../payments/paymentProvider';
import { createApp } from './app';
import { createTokenVerifier } from './auth/tokenVerifier';
import { seatMapHotPath } from './hotPath/seatMapHotPath';
import { securityHeaderValues } from './middlewares/securityHeaders';
import { RedisHealth } from './lifecycle/redisHealth';
import { createRequestDrain, type DrainOutcome } from './lifecycle/requestDrain';
import { CheckoutSlots } from './checkout/checkoutSlots';
import type { LocalBookingWorker } from './checkout/eagerHold';
import { createRateLimitsFor } from './rateLimits/fromEnv';
import { startRealtimeService, type RealtimeService } from './realtime/realtimeService';
import { SeatFeed } from './realtime/seatFeed';
import { SeatMapCache } from './realtime/seatMapCache';
import { EventTermsCache } from './realtime/eventTermsCache';
import type { RateLimits } from './rateLimits/rateLimits';
import { startAdmissionWorker } from './waitingRoom/admissionWorker';
import { createWaitingRoomFor, type WaitingRoom } from './waitingRoom/waitingRoom';

export interface ApiServer {
  url: string;
  server: http.Server;
  realtime: RealtimeService;
  rateLimits: RateLimits;
  /** Requests whose handlers are still running. */
  inFlight(): number;
  /**
   * Graceful stop: no new connections, requests in flight finish (up to `drainMs`, by default
   * SHUTDOWN_DRAIN_SECONDS) and what is left is answered 503; only then Socket.IO, the connections
   * and the rate limits' Redis are closed. The caller closes Temporal and the pool after this.
   */
  close(drainMs?: number): Promise<DrainOutcome>;
  /** This node's checkout slots (MAX_CHECKOUTS_IN_FLIGHT). */
  checkouts: CheckoutSlots;
  waitingRoom: WaitingRoom;
}

/** The API node: Koa routes and the realtime service (Socket.IO, SSE feed) on one HTTP server. */
export async function startApiServer(deps: {
  env: Env;
  pool: Pool;
  temporal: Client;
  payments: PaymentProvider;
  /** The booking worker in this process, on the connection `temporal` uses (BOOKING_WORKER_IN_API). */
  localWorker?: LocalBookingWorker;
}): Promise<ApiServer> {
  const feed = new SeatFeed();
  const redisHealth = deps.env.redisUrl ? new RedisHealth((line) => console.log(`[api] ${line}`)) : undefined;
  const rateLimits = createRateLimitsFor(deps.env, undefined, redisHealth);
  const eventTerms = new EventTermsCache(deps.pool, { databaseUrl: deps.env.databaseUrl, maxEvents: deps.env.eventCacheEvents });
  await eventTerms.start();
  const waitingRoom = await createWaitingRoomFor(deps.env, eventTerms, redisHealth);
  const seatMaps = new SeatMapCache(deps.pool, feed, {
    maxEvents: deps.env.seatMapCacheEvents,
    verifyAfterMs: deps.env.seatMapVerifyMs,
  });
  const checkouts = new CheckoutSlots(deps.env.maxCheckoutsInFlight);
  const app = createApp({ ...deps, feed, rateLimits, redisHealth, checkouts, waitingRoom, seatMaps, eventTerms });
  const drain = createRequestDrain();
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
    drain.wrap(seatMapHotPath(seatMaps, securityHeaderValues(), app.callback())),
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
    redisHealth,
    waitingRoom,
    seatMaps,
    auth: { required: deps.env.authRequired, verify: createTokenVerifier(deps.env) },
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
  const admission = await startAdmissionWorker(deps.env, deps.pool, waitingRoom);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${deps.env.host}:${port}`,
    server,
    realtime,
    rateLimits,
    waitingRoom,
    checkouts,
    inFlight: drain.inFlight,
    async close(drainMs = deps.env.shutdownDrainMs) {
      // Stop accepting first: the listening socket closes now, the promise settles once every connection is gone.
      const closed = new Promise((resolve) => server.close(resolve));
      server.closeIdleConnections();
      const outcome = await drain.drain(drainMs);
      await admission.close();
      await realtime.close();
      server.closeAllConnections();
      await closed;
      await rateLimits.close();
      seatMaps.close();
      await eventTerms.close();
      await waitingRoom.close();
      return outcome;
    },
  };
}

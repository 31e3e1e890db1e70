/**
 * The steady load: buyers who hold one or two seats and then pay (most), pay too late, cancel or
 * walk away. They pay as the provider would: a signed webhook delivery, redelivered (same event id)
 * until it is acknowledged. Every request is recorded with its time and outcome.
 */
import { randomUUID } from 'node:crypto';
import { signedPaymentEvent, type SignedPaymentEvent } from '../../api/payments/signedPaymentEvent';

export type Outcome = 'ok' | 'refused' | 'error';

export interface RequestRecord {
  /** When it was sent and how long it took (ms since the epoch, ms). */
  at: number;
  ms: number;
  kind: 'hold' | 'pay' | 'cancel';
  outcome: Outcome;
  status?: number;
  detail?: string;
}

export interface BuyerOptions {
  apiUrl: string;
  buyers: number;
  webhookSecret: string;
  holdSeconds: number;
  requestTimeoutMs: number;
  /** The event buyers shop in now, and its size. */
  currentEvent(): { id: string; seats: number };
}

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

// A provider gives up redelivering after days; the run after this.
const REDELIVER_FOR_MS = 120_000;

export class Buyers {
  readonly records: RequestRecord[] = [];
  /** Payments the webhook acknowledged (2xx): payment intent id → booking id. */
  readonly acknowledged = new Map<string, { bookingId: string; at: number }>();
  /** Deliveries given up on (never acknowledged): a provider would keep trying, this run stops. */
  readonly unacknowledged: string[] = [];
  private running = false;
  private paused = false;
  private loops: Promise<void>[] = [];

  constructor(private readonly options: BuyerOptions) {}

  start(): void {
    this.running = true;
    this.loops = Array.from({ length: this.options.buyers }, (_, i) => this.loop(i));
  }

  /** No new holds until resume() (payments and cancels of holds already made go on): for the checks. */
  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  private async send(kind: RequestRecord['kind'], path: string, body: string, headers: Record<string, string>): Promise<Answer | undefined> {
    const at = Date.now();
    try {
      const res = await fetch(`${this.options.apiUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
        signal: AbortSignal.timeout(this.options.requestTimeoutMs),
      });
      const text = await res.text();
      let parsed: Record<string, unknown> = {};
      try {
        parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      } catch {
        parsed = { text };
      }
      // 5xx and 429 are the system failing the buyer; other 4xx are its business answers (seat taken, hold expired).
      const outcome: Outcome = res.ok ? 'ok' : res.status >= 500 || res.status === 429 ? 'error' : 'refused';
      this.records.push({ at, ms: Date.now() - at, kind, outcome, status: res.status, detail: outcome === 'ok' ? undefined : String(parsed.code ?? res.status) });
      return { status: res.status, body: parsed };
    } catch (err) {
      const reason = (err as Error).name === 'TimeoutError' ? 'timeout' : ((err as Error & { cause?: { code?: string } }).cause?.code ?? (err as Error).message);
      this.records.push({ at, ms: Date.now() - at, kind, outcome: 'error', detail: reason });
      return undefined;
    }
  }

  private async loop(index: number): Promise<void> {
    while (this.running) {
      if (this.paused) {
        await pause(200);
        continue;
      }
      const event = this.options.currentEvent();
      const count = Math.random() < 0.5 ? 1 : 2;
      const first = 1 + Math.floor(Math.random() * (event.seats - count + 1));
      const seatNumbers = Array.from({ length: count }, (_, i) => first + i);
      const held = await this.send('hold', '/bookings', JSON.stringify({ eventId: event.id, userId: `chaos-${index}-${randomUUID().slice(0, 8)}`, seatNumbers }), {});
      if (!held) {
        await pause(500);
        continue;
      }
      if (held.status !== 201) {
        if (held.status >= 500) await pause(500);
        continue;
      }
      const bookingId = String(held.body.id);
      const amountCents = Number(held.body.amountCents);
      const choice = Math.random();
      if (choice < 0.7) {
        await pause(Math.random() * 1000);
        await this.pay(bookingId, amountCents);
      } else if (choice < 0.75) {
        // Too late: the hold has lapsed, so the money must be given back, once.
        await pause((this.options.holdSeconds + 3) * 1000);
        await this.pay(bookingId, amountCents);
      } else if (choice < 0.85) {
        await pause(Math.random() * 1000);
        await this.send('cancel', `/bookings/${bookingId}/cancel`, '{}', {});
      }
      // The rest walk away: their holds lapse.
    }
  }

  /** Delivers a payment, redelivering the same signed event until it is acknowledged. */
  private async pay(bookingId: string, amountCents: number): Promise<void> {
    const delivery: SignedPaymentEvent = signedPaymentEvent(this.options.webhookSecret, { bookingId, amountCents });
    const deadline = Date.now() + REDELIVER_FOR_MS;
    while (Date.now() < deadline) {
      const answer = await this.send('pay', '/webhooks/payments', delivery.payload, delivery.headers);
      if (answer && answer.status >= 200 && answer.status < 300) {
        this.acknowledged.set(delivery.paymentIntentId, { bookingId, at: Date.now() });
        return;
      }
      if (answer && answer.status >= 400 && answer.status < 500) break;
      await pause(1000);
    }
    this.unacknowledged.push(delivery.paymentIntentId);
  }
}

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

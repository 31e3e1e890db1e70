import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { WaitingRoomSettings } from './waitingRoom';

/** One admission workflow per on-sale: findable in the Temporal UI as `admission-<eventId>`. */
export function admissionWorkflowId(eventId: string): string {
  return `admission-${eventId}`;
}

/**
 * Its activities run on the API nodes, which hold the queues (Redis, or one node's memory) and the
 * sockets to tell buyers: they poll this task queue beside the bookings' one.
 */
export function admissionTaskQueue(taskQueue: string): string {
  return `${taskQueue}-admission`;
}

export interface AdmissionInput {
  eventId: string;
  /** The task queue the admission activities run on (admissionTaskQueue). */
  activityTaskQueue: string;
  /** How often the next buyers are let in. */
  tickMs: number;
  /** The minute admitPerMinute counts (60000; shorter only to simulate). */
  minuteMs: number;
  /** Carried over continue-as-new. */
  carried?: { credit: number; ticks: number; opened: boolean; rate: number };
}

/** Where an on-sale's admission stands: the AdmissionStatus search attribute and the status query. */
export const AdmissionStatus = {
  BeforeSale: 'BEFORE_SALE',
  Admitting: 'ADMITTING',
  /** Nothing available, but seats held: waits for holds to lapse. */
  Paused: 'PAUSED',
  SoldOut: 'SOLD_OUT',
  /** The room was switched off, the event is gone or has started. */
  Closed: 'CLOSED',
} as const;
export type AdmissionStatus = (typeof AdmissionStatus)[keyof typeof AdmissionStatus];

/** One tick's request to the admission activity. */
export interface AdmissionTickRequest {
  eventId: string;
  /** Unique per tick: a retried activity answers the same buyers rather than admitting more. */
  tickId: string;
  /** Most buyers this tick may let in (the rate's credit); the activity lets in fewer when seats are short. */
  max: number;
}

/** What one tick saw and did: the audit trail in the workflow's history. */
export interface AdmissionTickResult {
  /** The room's settings now; null: switched off (or the event is gone). */
  room: WaitingRoomSettings | null;
  /** When the sale opens (ms); null: open. */
  onSaleAt: number | null;
  /** The event has started: admitting is over. */
  closed: boolean;
  admitted: { queueId: string; userId: string }[];
  expired: number;
  available: number;
  held: number;
  waiting: number;
  active: number;
  /** True when this tick found nothing available nor held and marked the queue SOLD_OUT. */
  soldOut: boolean;
}

/** From the API when the sale's opening or the room changes: read them again now. */
export const saleChangedSignal = defineSignal('saleChanged');
export const admissionStatusQuery = defineQuery<{ status: AdmissionStatus; admittedTotal: number; ticks: number }>('admissionStatus');

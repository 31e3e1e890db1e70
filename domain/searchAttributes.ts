import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Operators filter bookings by these in the Temporal UI, e.g. BookingStatus="HELD" AND EventId="...". */
export const eventIdSearchAttribute = defineSearchAttributeKey('EventId', SearchAttributeType.KEYWORD);
export const userIdSearchAttribute = defineSearchAttributeKey('UserId', SearchAttributeType.KEYWORD);
export const bookingStatusSearchAttribute = defineSearchAttributeKey('BookingStatus', SearchAttributeType.KEYWORD);
/** On workflows that give money back: PENDING while a refund is being tried, then SUCCEEDED or FAILED (refused). */
export const refundStatusSearchAttribute = defineSearchAttributeKey('RefundStatus', SearchAttributeType.KEYWORD);
/** On admission workflows: BEFORE_SALE, ADMITTING, PAUSED, SOLD_OUT or CLOSED (domain/admission.ts). */
export const admissionStatusSearchAttribute = defineSearchAttributeKey('AdmissionStatus', SearchAttributeType.KEYWORD);

/** Every search attribute a workflow sets: a Temporal server must know them all before the workers start. */
export const SEARCH_ATTRIBUTES = [
  eventIdSearchAttribute,
  userIdSearchAttribute,
  bookingStatusSearchAttribute,
  refundStatusSearchAttribute,
  admissionStatusSearchAttribute,
] as const;

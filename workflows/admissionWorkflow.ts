import { condition, continueAsNew, proxyActivities, setHandler, sleep, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { AdmissionActivities } from '../activities/admission';
import {
  admissionStatusQuery,
  AdmissionStatus,
  saleChangedSignal,
  type AdmissionInput,
  type AdmissionTickResult,
} from '../domain/admission';
import { admissionStatusSearchAttribute } from '../domain/searchAttributes';

// Ticks per run before continuing as new: about 8 history events a tick keeps a run well below Temporal's limits.
const TICKS_PER_RUN = 1000;

/**
 * One on-sale's admission: waits for the sale to open, then every tick lets the next buyers in at
 * the room's admitPerMinute, never more than the seats left can serve (available seats less the
 * buyers already admitted and not done), pauses while everything is held, and once nothing is
 * available nor held marks everyone SOLD_OUT and ends. The queue stays in Redis (the activity does
 * the I/O); the history keeps who was admitted on which tick: the audit trail.
 */
export async function admissionWorkflow(input: AdmissionInput): Promise<AdmissionStatus> {
  const { admitTick } = proxyActivities<AdmissionActivities>({
    taskQueue: input.activityTaskQueue,
    startToCloseTimeout: '10 seconds',
    retry: { initialInterval: '200 ms', maximumInterval: '5 seconds' },
  });
  let changed = false;
  let status: AdmissionStatus = AdmissionStatus.BeforeSale;
  let credit = input.carried?.credit ?? 0;
  let ticks = input.carried?.ticks ?? 0;
  let opened = input.carried?.opened ?? false;
  // The room's rate as last read (the first tick reads it before any credit counts).
  let lastRate = input.carried?.rate ?? 0;
  let admittedTotal = 0;
  let lastTickAt = Date.now();
  setHandler(saleChangedSignal, () => {
    changed = true;
  });
  setHandler(admissionStatusQuery, () => ({ status, admittedTotal, ticks }));
  const setStatus = (next: AdmissionStatus) => {
    if (next === status && ticks > 0) return;
    status = next;
    upsertSearchAttributes([{ key: admissionStatusSearchAttribute, value: next }]);
  };
  setStatus(status);

  for (let runTicks = 0; runTicks < TICKS_PER_RUN; runTicks++) {
    const now = Date.now();
    let max = 0;
    if (opened) {
      // The rate's credit: admitPerMinute spread over the time since the last tick. At most that
      // much (or one buyer) is saved up, so a pause is not followed by a burst, while a tick that
      // came late still lets in what its time was worth.
      const earned = (lastRate * (now - lastTickAt)) / input.minuteMs;
      const cap = Math.max(1, (lastRate * Math.max(input.tickMs, now - lastTickAt)) / input.minuteMs);
      credit = Math.min(credit + earned, cap);
      max = Math.floor(credit);
    }
    lastTickAt = now;
    changed = false;
    const result: AdmissionTickResult = await admitTick({ eventId: input.eventId, tickId: `${workflowInfo().runId}:${ticks}`, max });
    ticks++;
    admittedTotal += result.admitted.length;
    credit = Math.max(0, credit - result.admitted.length);
    if (!result.room || result.closed) {
      setStatus(AdmissionStatus.Closed);
      return status;
    }
    if (result.soldOut) {
      setStatus(AdmissionStatus.SoldOut);
      return status;
    }
    lastRate = result.room.admitPerMinute;
    if (result.onSaleAt !== null && result.onSaleAt > Date.now()) {
      setStatus(AdmissionStatus.BeforeSale);
      // Until the opening, or earlier if the organiser changes it.
      await condition(() => changed, result.onSaleAt - Date.now());
      continue;
    }
    if (!opened) {
      // Credit starts at the opening: the first buyers go in one tick's worth of time later.
      opened = true;
      lastTickAt = Date.now();
    }
    setStatus(result.available === 0 ? AdmissionStatus.Paused : AdmissionStatus.Admitting);
    await sleep(input.tickMs);
  }
  await continueAsNew<typeof admissionWorkflow>({ ...input, carried: { credit, ticks, opened, rate: lastRate } });
  return status;
}

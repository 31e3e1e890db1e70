import { createCancellationSteps } from './cancellationSteps';
import { createConfirmBooking } from './confirmBooking';
import type { ActivityDeps } from './deps';
import { createExtendHold } from './extendHold';
import { createHoldSeats } from './holdSeats';
import { createRecordOwedBack } from './recordOwedBack';
import { createRefundPayment } from './refundPayment';
import { createReleaseHold } from './releaseHold';

/** Every activity, bound to its dependencies. Workflows import only this function's type. */
export function createActivities(deps: ActivityDeps) {
  return {
    holdSeats: createHoldSeats(deps),
    confirmBooking: createConfirmBooking(deps),
    releaseHold: createReleaseHold(deps),
    recordOwedBack: createRecordOwedBack(deps),
    extendHold: createExtendHold(deps),
    refundPayment: createRefundPayment(deps),
    ...createCancellationSteps(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
export type { ActivityDeps };

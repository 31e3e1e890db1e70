/**
 * `npm run chaos` knobs (CHAOS_*), read once. The run stops by itself: warm-up, one phase per fault
 * (kill, recover, settle), then a quiet period for holds to lapse and refunds to finish.
 */
export interface ChaosSettings {
  /** Concurrent buyers holding and paying. */
  buyers: number;
  warmupSeconds: number;
  /** Load kept up after a fault has recovered, before the checks. */
  settleSeconds: number;
  /** How long PostgreSQL and Redis stay dead before they are started again. */
  downSeconds: number;
  /** A fault not recovered within this counts as not recovered, and the run goes on. */
  recoverTimeoutSeconds: number;
  holdSeconds: number;
  /** The worker's backstop: holds are released at most this long past their expiry (plus its interval). */
  backstopGraceSeconds: number;
  backstopIntervalSeconds: number;
  /** Which faults, in order. */
  faults: FaultName[];
  /** A buyer's request is abandoned (and counted as an error) after this. */
  requestTimeoutMs: number;
  /** The whole run is stopped past this, whatever state it is in. */
  maxMinutes: number;
}

export const FAULT_NAMES = ['worker', 'api', 'temporal', 'postgres', 'redis'] as const;
export type FaultName = (typeof FAULT_NAMES)[number];

function numberOf(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) throw new Error(`${name} must be a number from ${min} to ${max} (got ${raw})`);
  return value;
}

function faultsOf(raw: string | undefined): FaultName[] {
  if (!raw) return [...FAULT_NAMES];
  return raw.split(',').map((item) => {
    const name = item.trim() as FaultName;
    if (!FAULT_NAMES.includes(name)) throw new Error(`CHAOS_FAULTS: unknown fault ${item} (known: ${FAULT_NAMES.join(', ')})`);
    return name;
  });
}

export function readChaosSettings(): ChaosSettings {
  return {
    buyers: numberOf('CHAOS_BUYERS', 16, 1, 1000),
    warmupSeconds: numberOf('CHAOS_WARMUP_SECONDS', 15, 0, 3600),
    settleSeconds: numberOf('CHAOS_SETTLE_SECONDS', 15, 1, 3600),
    downSeconds: numberOf('CHAOS_DOWN_SECONDS', 3, 0, 600),
    recoverTimeoutSeconds: numberOf('CHAOS_RECOVER_TIMEOUT_SECONDS', 120, 5, 3600),
    holdSeconds: numberOf('CHAOS_HOLD_SECONDS', 20, 5, 3600),
    backstopGraceSeconds: numberOf('CHAOS_BACKSTOP_GRACE_SECONDS', 10, 0, 3600),
    backstopIntervalSeconds: numberOf('CHAOS_BACKSTOP_INTERVAL_SECONDS', 5, 1, 3600),
    faults: faultsOf(process.env.CHAOS_FAULTS),
    requestTimeoutMs: numberOf('CHAOS_REQUEST_TIMEOUT_SECONDS', 10, 1, 600) * 1000,
    maxMinutes: numberOf('CHAOS_MAX_MINUTES', 15, 1, 240),
  };
}

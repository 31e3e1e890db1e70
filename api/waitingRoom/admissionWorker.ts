import { NativeConnection, Worker } from '@temporalio/worker';
import { createAdmissionActivities } from '../../activities/admission';
import type { Env } from '../../config/env';
import type { Pool } from '../../db/pool';
import { admissionTaskQueue } from '../../domain/admission';
import type { WaitingRoom } from './waitingRoom';

export interface AdmissionWorker {
  close(): Promise<void>;
}

/**
 * The admission workflows' activities, run on this API node: it holds the queues (in Redis, or in
 * its memory when alone) and the sockets that tell buyers they are in. Activities only: the
 * workflows themselves run on the booking worker.
 */
export async function startAdmissionWorker(env: Env, pool: Pool, waitingRoom: WaitingRoom): Promise<AdmissionWorker> {
  const connection = await NativeConnection.connect({ address: env.temporalAddress });
  const worker = await Worker.create({
    connection,
    namespace: env.temporalNamespace,
    taskQueue: admissionTaskQueue(env.taskQueue),
    activities: createAdmissionActivities({ pool, store: waitingRoom.store, announce: (eventId) => waitingRoom.feed.announce(eventId) }),
    maxConcurrentActivityTaskExecutions: 20,
  });
  const running = worker.run();
  return {
    async close() {
      // Idempotent: a node that drains may close twice, and a stopped worker refuses shutdown().
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running.catch(() => undefined);
      await connection.close();
    },
  };
}

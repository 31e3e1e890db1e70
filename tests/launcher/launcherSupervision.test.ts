/**
 * `npm start` keeps the system up when a part dies: the worker, the API or the Temporal dev server,
 * each killed with SIGKILL, is logged and started again while the other parts stay up.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, test } from '@jest/globals';
import type { BookingResponse } from '../../api/presenters/booking';
import { dropDatabase, ensureDatabase } from '../../scripts/stack/postgres';
import { createEvent, eventually } from '../support/factories';
import { api } from '../support/http';
import { startLauncher, type LauncherProcess } from './launcherProcess';

const ADMIN_URL = process.env.SEATFLOW_TEST_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const database = `seatflow_launcher_${randomUUID().slice(0, 8)}`;
let launcher: LauncherProcess;

beforeAll(async () => {
  // The launcher uses a Redis it finds on 127.0.0.1:6379, shared with other runs: keep to keys and channels of its own.
  const own = `seatflow-test-${randomUUID()}`;
  launcher = await startLauncher(await ensureDatabase(ADMIN_URL, database), {
    RATE_LIMIT_PER_USER: '0',
    RATE_LIMIT_PER_ADDRESS: '0',
    REDIS_CHANNEL_PREFIX: own,
    RATE_LIMIT_REDIS_PREFIX: `${own}:ratelimit`,
    WAITING_ROOM_REDIS_PREFIX: `${own}:queue`,
  });
}, 240_000);
afterAll(async () => {
  const code = await launcher?.stop();
  await dropDatabase(ADMIN_URL, database);
  assert.equal(code, 0, `the launcher should stop cleanly:\n${launcher?.output.join('\n')}`);
}, 120_000);

/** Holds a seat, retrying while the system recovers (a 503 or a refused connection), until it is HELD. */
async function holdEventually(eventId: string, seat: number, timeoutMs = 90_000): Promise<BookingResponse> {
  return eventually(
    async () => {
      try {
        const res = await api(launcher.apiUrl).post<BookingResponse>('/bookings', { eventId, userId: `u-${randomUUID().slice(0, 6)}`, seatNumbers: [seat] });
        return res.status === 201 ? res.body : undefined;
      } catch {
        return undefined;
      }
    },
    timeoutMs,
    `seat ${seat} to be held`,
  );
}

const kill = (pid: number | undefined) => {
  assert.ok(pid, 'the launcher should have said the pid');
  process.kill(pid, 'SIGKILL');
};

describe('npm start supervision', () => {
  test('a worker killed with SIGKILL is logged and restarted while the API stays up, and bookings work again', async () => {
    const event = await createEvent(launcher.apiUrl, { totalSeats: 20 });
    const apiPid = launcher.pidOf('API');
    const workerPid = launcher.pidOf('worker');
    const from = launcher.output.length;
    kill(workerPid);

    await launcher.waitFor(/\[start\] worker exited \(signal SIGKILL\) after [\d.]+ s; restarting in \d+ ms/, 30_000, from);
    assert.equal((await api(launcher.apiUrl).get('/health')).status, 200, 'the API should stay up while the worker is down');
    await launcher.waitFor(/\[start\] worker started \(pid \d+\)/, 30_000, from);
    const held = await holdEventually(event.id, 1, 120_000);
    assert.equal(held.status, 'HELD');
    assert.notEqual(launcher.pidOf('worker'), workerPid);
    assert.equal(launcher.pidOf('API'), apiPid, 'the API should not have been restarted');
  }, 240_000);

  test('a Temporal dev server killed with SIGKILL is restarted on its SQLite file: bookings held before survive, new ones work', async () => {
    const event = await createEvent(launcher.apiUrl, { totalSeats: 20, holdSeconds: 600 });
    const before = await holdEventually(event.id, 2);
    const from = launcher.output.length;
    kill(launcher.pidOf('Temporal dev server'));

    await launcher.waitFor(/\[start\] Temporal dev server exited \(signal SIGKILL\)/, 30_000, from);
    await launcher.waitFor(/\[start\] Temporal dev server is serving again/, 120_000, from);
    const after = await holdEventually(event.id, 3, 120_000);
    assert.equal(after.status, 'HELD');
    // The workflow held before the crash is still known to the restarted server (history kept).
    const res = await api(launcher.apiUrl).get<BookingResponse>(`/bookings/${before.id}`);
    assert.equal(res.status, 200);
    assert.equal(res.body.status, 'HELD');
  }, 240_000);

  test('an API killed with SIGKILL is restarted on its port', async () => {
    const apiPid = launcher.pidOf('API');
    const from = launcher.output.length;
    kill(apiPid);
    await launcher.waitFor(/\[start\] API exited \(signal SIGKILL\)/, 30_000, from);
    await launcher.waitFor(/\[api\] listening on/, 120_000, from);
    const event = await createEvent(launcher.apiUrl, { totalSeats: 5 });
    assert.equal((await holdEventually(event.id, 1)).status, 'HELD');
  }, 240_000);
});

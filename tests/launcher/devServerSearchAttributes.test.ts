import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from '@jest/globals';
import { Connection } from '@temporalio/client';
import { readEnv } from '../../config/env';
import { SEARCH_ATTRIBUTES } from '../../domain/searchAttributes';
import { freePort } from '../../scripts/stack/freePort';
import { resolveTemporalCli } from '../../scripts/stack/temporalCli';
import { spawnTemporalDevServer, waitForTemporal } from '../../scripts/stack/temporalProcess';
import { afterThisTest } from '../support/testHooks';

describe("npm start's Temporal dev server", () => {
  // A workflow that sets an attribute its server does not know fails its tasks: the waiting room's
  // admission workflow (AdmissionStatus) did so under npm start while the tests' server knew it.
  test('knows every search attribute the workflows set', async () => {
    const cli = await resolveTemporalCli(readEnv(), () => undefined);
    assert.ok(cli, 'the pinned Temporal CLI (built by the first test run)');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seatflow-devserver-'));
    const port = await freePort();
    const child = spawnTemporalDevServer({ cli, port, namespace: 'default', dbFilename: path.join(dir, 'temporal.sqlite') });
    afterThisTest(async () => {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    });
    await waitForTemporal(`127.0.0.1:${port}`, 'default', child);

    const connection = await Connection.connect({ address: `127.0.0.1:${port}` });
    afterThisTest(() => connection.close());
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace: 'default' });
    const known = Object.keys(customAttributes ?? {});
    for (const attribute of SEARCH_ATTRIBUTES) assert.ok(known.includes(attribute.name), `${attribute.name} is not registered: ${known.join(', ')}`);
  }, 120_000);
});

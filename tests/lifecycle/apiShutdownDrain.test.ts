/**
 * The API node's graceful stop, on a real `api/main.ts` process: SIGTERM while a request is in
 * flight lets that request finish with its real answer, then the node exits 0 without an uncaught
 * error; one still running at the drain deadline is answered 503.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { randomUUID } from 'node:crypto';
import { describe, test } from '@jest/globals';
import { startApiProcess, type ApiProcess } from '../realtime/apiProcess';
import { createEvent, eventually } from '../support/factories';
import { useTestStack } from '../support/stack';
import { afterThisTest } from '../support/testHooks';

const stack = useTestStack();

async function startNode(drainSeconds: number): Promise<ApiProcess> {
  const node = await startApiProcess('draining node', {
    DATABASE_URL: stack.env.databaseUrl,
    TEMPORAL_ADDRESS: stack.env.temporalAddress,
    TEMPORAL_NAMESPACE: stack.env.temporalNamespace,
    TEMPORAL_TASK_QUEUE: stack.env.taskQueue,
    SHUTDOWN_DRAIN_SECONDS: String(drainSeconds),
  });
  afterThisTest(() => node.stop());
  return node;
}

/** A request whose headers are sent now and whose body is sent when the test says: in flight in between. */
function slowPost(url: string, path: string, body: unknown) {
  const { hostname, port } = new URL(url);
  const payload = JSON.stringify(body);
  const socket = net.connect(Number(port), hostname);
  let received = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => (received += chunk));
  const ended = new Promise<string>((resolve) => {
    socket.once('close', () => resolve(received));
    socket.once('error', () => undefined);
  });
  socket.write(
    `POST ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(payload)}\r\nConnection: close\r\n\r\n`,
  );
  return {
    sendBody: () => socket.write(payload),
    /** The raw answer once the server closed the connection: status line, headers and body. */
    answer: async () => {
      const raw = await ended;
      const [head, ...rest] = raw.split('\r\n\r\n');
      return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]), head, body: rest.join('\r\n\r\n') };
    },
  };
}

function exitOf(node: ApiProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (node.child.exitCode !== null || node.child.signalCode !== null) {
    return Promise.resolve({ code: node.child.exitCode, signal: node.child.signalCode });
  }
  return new Promise((resolve) => node.child.once('exit', (code, signal) => resolve({ code, signal })));
}

const said = (node: ApiProcess, text: string) => eventually(async () => (node.output.some((l) => l.includes(text)) ? true : undefined), 15_000, text);

function refusesConnections(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

describe('API shutdown (SIGTERM)', () => {
  test('a booking in flight when SIGTERM arrives gets its real answer (201 HELD) and the node exits 0', async () => {
    const node = await startNode(10);
    const event = await createEvent(stack.baseUrl, { totalSeats: 10 });
    const userId = `drain-${randomUUID().slice(0, 8)}`;
    const booking = slowPost(node.url, '/bookings', { eventId: event.id, userId, seatNumbers: [3] });
    // Headers in, body not yet: the handler is reading the body when the signal arrives.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const exited = exitOf(node);
    node.child.kill('SIGTERM');
    await said(node, 'draining 1 request(s) in flight');
    assert.equal(await refusesConnections(node.url), true, 'a new connection after SIGTERM should be refused');
    booking.sendBody();

    const answer = await booking.answer();
    assert.equal(answer.status, 201, `the request in flight should get its real answer:\n${answer.head}\n${answer.body}`);
    const body = JSON.parse(answer.body) as { status: string; seatNumbers: number[] };
    assert.equal(body.status, 'HELD');
    assert.deepEqual(body.seatNumbers, [3]);

    const { code } = await exited;
    const output = node.output.join('\n');
    assert.equal(code, 0, `the node should exit 0:\n${output}`);
    assert.match(output, /drained: 1 finished, 0 answered 503/);
    assert.doesNotMatch(output, /Channel has been shut down|Unhandled|uncaught|fatal/i);
  });

  test('a request still running at the drain deadline is answered 503 SERVICE_UNAVAILABLE, then the node exits 0', async () => {
    const node = await startNode(1);
    const stuck = slowPost(node.url, '/bookings', { eventId: randomUUID(), userId: 'never-finishes', seatNumbers: [1] });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const exited = exitOf(node);
    node.child.kill('SIGTERM');

    const answer = await stuck.answer();
    assert.equal(answer.status, 503, answer.head);
    assert.match(answer.head, /retry-after: 1/i);
    assert.equal((JSON.parse(answer.body) as { code: string }).code, 'SERVICE_UNAVAILABLE');
    const { code } = await exited;
    const output = node.output.join('\n');
    assert.equal(code, 0, output);
    assert.match(output, /drained: 0 finished, 1 answered 503/);
  });
});

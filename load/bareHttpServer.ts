/**
 * The floor for a read answered by Node on this machine: a bare `http` server answering every
 * request with the same bytes and headers a seat-map read sends (one write, nothing looked up).
 * Started by `npm run bench:reads` as a child process; `BARE_BODY_FILE` holds the body.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const body = fs.readFileSync(process.env.BARE_BODY_FILE ?? '/dev/null');
const headers = ['Content-Type', 'application/octet-stream', 'Content-Encoding', 'br', 'Content-Length', String(body.length), 'ETag', 'W/"bare"'];
const server = http.createServer((_req, res) => {
  res.writeHead(200, headers);
  res.end(body);
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  console.log(`bare server listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
process.on('SIGTERM', () => process.exit(0));

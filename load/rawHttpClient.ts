import net from 'node:net';

export interface RawResponse {
  status: number;
  /** Header names lower-cased; a repeated header keeps its last value. */
  headers: Record<string, string>;
  /** Bytes of the body as they came over the wire (compressed when encoded): not decoded. */
  wireBytes: number;
}

const HEADER_END = Buffer.from('\r\n\r\n');

/**
 * One kept-alive HTTP/1.1 connection sending GETs one at a time, reading answers that carry a
 * Content-Length (or none, as a 304). A benchmark's readers, so that what is measured is the server:
 * Node's http client costs several times the server's work per request, and on two cores the
 * readers' CPU is taken from the node they measure. Not a general client: no chunked bodies.
 */
export class RawHttpConnection {
  private buffered: Buffer = Buffer.alloc(0);
  private waiting: { resolve(res: RawResponse): void; reject(err: Error): void } | undefined;
  private failure: Error | undefined;

  private constructor(
    private readonly socket: net.Socket,
    private readonly host: string,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
      this.parse();
    });
    const fail = (err: Error) => {
      this.failure ??= err;
      this.waiting?.reject(err);
      this.waiting = undefined;
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('the server closed the connection')));
  }

  static connect(baseUrl: string): Promise<RawHttpConnection> {
    const url = new URL(baseUrl);
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: url.hostname, port: Number(url.port) }, () => {
        socket.off('error', reject);
        resolve(new RawHttpConnection(socket, url.host));
      });
      socket.once('error', reject);
    });
  }

  get(path: string, headers: Record<string, string> = {}): Promise<RawResponse> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.waiting) return Promise.reject(new Error('one request at a time on a connection'));
    let head = `GET ${path} HTTP/1.1\r\nHost: ${this.host}\r\n`;
    for (const [name, value] of Object.entries(headers)) head += `${name}: ${value}\r\n`;
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.socket.write(`${head}\r\n`);
    });
  }

  close(): void {
    this.failure ??= new Error('closed');
    this.socket.destroy();
  }

  private parse(): void {
    if (!this.waiting) return;
    const end = this.buffered.indexOf(HEADER_END);
    if (end < 0) return;
    const lines = this.buffered.toString('latin1', 0, end).split('\r\n');
    const status = Number(lines[0].split(' ')[1]);
    const headers: Record<string, string> = {};
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    if (headers['transfer-encoding']) {
      this.waiting.reject(new Error(`a chunked answer (${lines[0]}): this client reads Content-Length bodies only`));
      this.waiting = undefined;
      return;
    }
    const length = Number(headers['content-length'] ?? 0);
    const total = end + HEADER_END.length + length;
    if (this.buffered.length < total) return;
    this.buffered = this.buffered.subarray(total);
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting.resolve({ status, headers, wireBytes: length });
  }
}

/** `count` connections to `baseUrl`, each lent to one request at a time. */
export async function rawConnectionPool(baseUrl: string, count: number): Promise<{ get(path: string, headers?: Record<string, string>): Promise<RawResponse>; close(): void }> {
  const all = await Promise.all(Array.from({ length: count }, () => RawHttpConnection.connect(baseUrl)));
  const free = [...all];
  return {
    async get(path, headers) {
      const connection = free.pop();
      if (!connection) throw new Error(`more than ${count} requests at once`);
      try {
        return await connection.get(path, headers);
      } finally {
        free.push(connection);
      }
    },
    close: () => all.forEach((c) => c.close()),
  };
}

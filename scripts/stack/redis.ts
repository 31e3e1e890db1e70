import net from 'node:net';

const LOCAL_REDIS = { host: '127.0.0.1', port: 6379 };

/**
 * `redis://127.0.0.1:6379` when a Redis answers PING there within `timeoutMs`, else undefined: the
 * launcher's "else a Redis on this machine" before falling back to in-process queues.
 */
export function findLocalRedis(timeoutMs = 500): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = net.connect(LOCAL_REDIS);
    let answer = '';
    const done = (url: string | undefined) => {
      socket.destroy();
      clearTimeout(timer);
      resolve(url);
    };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      answer += chunk.toString('utf8');
      if (answer.includes('\r\n')) done(answer.startsWith('+PONG') ? `redis://${LOCAL_REDIS.host}:${LOCAL_REDIS.port}` : undefined);
    });
    socket.once('error', () => done(undefined));
  });
}

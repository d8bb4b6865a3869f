import * as net from 'node:net';

const LOCAL_REDIS = 'redis://127.0.0.1:6379';

/**
 * Jest global setup: when `REDIS_URL` is unset but a Redis answers on 127.0.0.1:6379 (as in CI, or a local
 * `docker run -p 6379:6379 redis:7`), point the tests at it, so `npm test` runs the Redis suites there too.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.REDIS_URL) return;
  if (await answersPing(6379)) process.env.REDIS_URL = LOCAL_REDIS;
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

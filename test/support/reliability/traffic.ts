import { Agent, request } from 'node:http';

/** One request of the generated traffic: when it started and how it ended. */
export interface Outcome {
  startedAt: number;
  endedAt: number;
  path: string;
  status?: number;
  /** `code` of a transport error (`ECONNREFUSED`, `ECONNRESET`, …); hang-ups count as `ECONNRESET`. */
  error?: string;
}

export interface TrafficRequest {
  method: 'GET' | 'POST';
  path: string;
  body?: object;
  headers?: Record<string, string>;
}

/** One keep-alive connection per client, as a browser or a proxy keeps one. */
export function send(agent: Agent, port: number, req: TrafficRequest): Promise<Outcome> {
  const startedAt = Date.now();
  const body = req.body === undefined ? undefined : JSON.stringify(req.body);
  return new Promise((resolve) => {
    const done = (o: Partial<Outcome>) =>
      resolve({ startedAt, endedAt: Date.now(), path: req.path, ...o });
    const r = request(
      {
        host: '127.0.0.1',
        port,
        method: req.method,
        path: req.path,
        agent,
        headers: { Accept: 'application/json', 'Content-Type': 'application/json', ...req.headers },
      },
      (res) => {
        res.resume();
        res.on('end', () => done({ status: res.statusCode }));
        res.on('error', (e: NodeJS.ErrnoException) => done({ error: e.code ?? e.message }));
      },
    );
    r.setTimeout(15_000, () =>
      r.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })),
    );
    r.on('error', (e: NodeJS.ErrnoException) =>
      done({ error: e.message === 'socket hang up' ? 'ECONNRESET' : (e.code ?? e.message) }),
    );
    r.end(body);
  });
}

/**
 * `clients` loops, each on its own keep-alive connection, sending `next(client, i)` one after another until
 * `stop()` says so or the server refuses connections; bounded by `maxMs` whatever happens.
 */
export async function steadyTraffic(
  port: number,
  clients: number,
  next: (client: number, i: number) => TrafficRequest,
  stop: () => boolean,
  maxMs = 20_000,
): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  const deadline = Date.now() + maxMs;
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      try {
        for (let i = 0; Date.now() < deadline && !stop(); i++) {
          const outcome = await send(agent, port, next(client, i));
          outcomes.push(outcome);
          if (outcome.error === 'ECONNREFUSED') break;
        }
      } finally {
        agent.destroy();
      }
    }),
  );
  return outcomes;
}

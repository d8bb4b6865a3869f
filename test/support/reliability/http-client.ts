import { INestApplication } from '@nestjs/common';
import { Agent, request } from 'node:http';
import { AddressInfo } from 'node:net';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export interface RawRequest {
  method?: string;
  path: string;
  headers?: Record<string, string | string[]>;
  body?: string | Buffer;
  /** A new connection for this request alone (the server may close it after an error response). */
  fresh?: boolean;
}

/**
 * A plain `node:http` client on one keep-alive agent: unlike supertest it sends headers and bodies byte for
 * byte (repeated cookies, latin-1 bytes, truncated JSON), and reuses connections, so thousands of runs stay
 * fast. Every request gives up after `timeoutMs`.
 */
export class RawClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });

  constructor(
    readonly port: number,
    private readonly timeoutMs = 15_000,
  ) {}

  /** Listens on a free port of 127.0.0.1 and returns a client for it. */
  static async listen(app: INestApplication): Promise<RawClient> {
    await app.listen(0, '127.0.0.1');
    const address = (app.getHttpServer() as { address(): AddressInfo }).address();
    return new RawClient(address.port);
  }

  send({
    method = 'GET',
    path,
    headers = {},
    body,
    fresh = false,
  }: RawRequest): Promise<RawResponse> {
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: this.port,
          method,
          path,
          headers,
          agent: fresh ? false : this.agent,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              text: Buffer.concat(chunks).toString('utf8'),
            }),
          );
        },
      );
      req.setTimeout(this.timeoutMs, () => req.destroy(new Error(`${method} ${path} timed out`)));
      req.on('error', reject);
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** `name=value` of the first `Set-Cookie` for `name`, or `undefined`. */
export function setCookiePair(res: RawResponse, name: string): string | undefined {
  const lines = res.headers['set-cookie'] ?? [];
  const line = (Array.isArray(lines) ? lines : [lines]).find((l) => l.startsWith(`${name}=`));
  return line?.split(';')[0];
}

/**
 * Every cookie a response sets, as one `Cookie` header (`session=…; csrf=…`): what a browser sends back
 * with the form it was given, whose CSRF token is bound to its `csrf` cookie.
 */
export function cookiesOf(res: RawResponse): string {
  const lines = res.headers['set-cookie'] ?? [];
  return (Array.isArray(lines) ? lines : [lines]).map((line) => line.split(';')[0]).join('; ');
}

/** The parsed JSON body, or `undefined` when the body is not JSON. */
export function jsonOf(res: RawResponse): unknown {
  try {
    return JSON.parse(res.text) as unknown;
  } catch {
    return undefined;
  }
}

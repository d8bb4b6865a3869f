import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { beginRequest, currentRequestId, requestIdFor } from './request-id';

function exchange(headers: Record<string, string> = {}) {
  const req = new IncomingMessage(new Socket());
  req.headers = headers;
  return { req, res: new ServerResponse(req) };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe(requestIdFor.name, () => {
  it.each(['abc-123', 'f'.repeat(64), '0b6f:1e.2_A'])('keeps the safe token %p', (id) => {
    expect(requestIdFor(exchange({ 'x-request-id': id }).req)).toBe(id);
  });

  it.each(['', 'a b', 'a"b', 'x'.repeat(65), 'a, b', 'é', 'a\u0000'])(
    'replaces %p with a new UUID',
    (id) => {
      expect(requestIdFor(exchange({ 'x-request-id': id }).req)).toMatch(UUID);
    },
  );

  it('makes a new UUID for each request without one', () => {
    const [a, b] = [requestIdFor(exchange().req), requestIdFor(exchange().req)];
    expect(a).toMatch(UUID);
    expect(b).not.toBe(a);
  });
});

describe(beginRequest.name, () => {
  it('answers with the id and runs the rest of the request, async work included, in its context', async () => {
    const { req, res } = exchange({ 'x-request-id': 'req-1' });
    const seen = await new Promise<string | undefined>((resolve) =>
      beginRequest(req, res, () => void Promise.resolve().then(() => resolve(currentRequestId()))),
    );
    expect(seen).toBe('req-1');
    expect(res.getHeader('X-Request-Id')).toBe('req-1');
    expect(currentRequestId()).toBeUndefined();
  });
});

import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { AppLogger } from './app-logger';
import { beginRequest } from './request-id';

/** What `log` writes to stdout, one string per write. */
function written(log: () => void): string[] {
  const lines: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    log();
  } finally {
    spy.mockRestore();
  }
  return lines;
}

function duringRequest(id: string, work: () => void): void {
  const req = new IncomingMessage(new Socket());
  req.headers = { 'x-request-id': id };
  beginRequest(req, new ServerResponse(req), work);
}

describe(AppLogger.name, () => {
  it('writes one JSON object per line, with the request id inside a request and none outside', () => {
    const sut = new AppLogger('json', ['log']);
    const lines = written(() => {
      sut.log('outside', 'Boot');
      duringRequest('req-7', () => sut.log('inside', 'Cart'));
    });

    const [outside, inside] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.every((line) => line.endsWith('}\n') && !line.slice(0, -1).includes('\n'))).toBe(
      true,
    );
    expect(outside).toMatchObject({ level: 'log', message: 'outside', context: 'Boot' });
    expect(outside).not.toHaveProperty('requestId');
    expect(inside).toMatchObject({ message: 'inside', context: 'Cart', requestId: 'req-7' });
  });

  it('puts the request id after the context in text', () => {
    const sut = new AppLogger('text', ['log']);
    const [line] = written(() => duringRequest('req-8', () => sut.log('hello', 'Cart')));

    expect(line).toMatch(/\[Cart\] .*\[req-8\] .*hello/);
  });
});

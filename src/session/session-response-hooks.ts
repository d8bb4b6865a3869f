import type { ServerResponse } from 'node:http';
import { mergeWriteHeadHeaders } from './session-cookie';
import { SessionCommitter } from './session-committer';
import { SessionRequest } from './session-request';

/**
 * The fallback for responses that never reach the commit interceptor (a guard's or middleware's redirect,
 * Passport, an exception filter): commit as the headers go out, and hold `end` until the store write is
 * done, as express-session does with on-headers and its `end` wrapper. Works on Node's own response, so on
 * both platforms.
 */
export function installCommitHooks(
  req: SessionRequest,
  res: ServerResponse,
  committer: SessionCommitter,
): void {
  const writeHead = res.writeHead.bind(res);
  const end = res.end.bind(res);
  let pending: Promise<void> | null = null;

  res.writeHead = (...args: unknown[]) => {
    pending = committer.commitNow(req, res) ?? pending;
    const headers = args[args.length - 1];
    if (headers !== null && typeof headers === 'object' && !Array.isArray(headers)) {
      mergeWriteHeadHeaders(res, headers);
    }
    return writeHead(...(args as Parameters<typeof writeHead>));
  };

  res.end = ((...args: unknown[]) => {
    if (!res.headersSent) pending = committer.commitNow(req, res) ?? pending;
    const finish = () => end(...(args as Parameters<typeof end>));
    if (!pending) return finish();
    void pending.then(finish);
    return res;
  }) as typeof res.end;
}

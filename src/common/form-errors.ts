import { HttpException } from '@nestjs/common';
import type { WithHeaders } from './http-errors';
import { Responder } from './responder';

/**
 * For a form post that failed with a 4xx the user can fix (a wrong password, an address taken, a bad or
 * used link, too many tries): the form's page again with the message beside it, the same status and
 * headers (`Retry-After`) as JSON clients get. Anything else (401, 5xx, other errors) is thrown on to the
 * app's error filter.
 */
export async function pageForFormError(
  respond: Responder,
  res: unknown,
  error: unknown,
  render: (message: string) => string | Promise<string>,
): Promise<string> {
  if (!(error instanceof HttpException)) throw error;
  const status = error.getStatus();
  if (status < 400 || status >= 500 || status === 401) throw error;
  for (const [name, value] of Object.entries((error as Partial<WithHeaders>).headers ?? {}))
    respond.header(res, name, value);
  return respond.page(res, await render(messageOf(error)), { status, private: true });
}

function messageOf(error: HttpException): string {
  const response = error.getResponse();
  if (typeof response === 'string') return response;
  const { error: text, message } = response as { error?: unknown; message?: unknown };
  if (typeof text === 'string' && message === undefined) return text;
  return typeof message === 'string' ? message : error.message;
}

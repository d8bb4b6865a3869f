import { ConsoleLogger, LogLevel } from '@nestjs/common';
import type { ConsoleLoggerOptions } from '@nestjs/common';
import { currentRequestId } from './request-id';

/** `LOG_FORMAT`: Nest's text lines, or one JSON object per line. */
export type LogFormat = 'text' | 'json';

type JsonLogOptions = Parameters<ConsoleLogger['getJsonLogObject']>[1];

/**
 * Nest's `ConsoleLogger`, in `LOG_FORMAT`, with the running request's id on every line written while a
 * request runs (`currentRequestId()`, the `X-Request-Id` it answers with): a `requestId` field in JSON, a
 * `[<id>]` after the context in text. Lines written outside a request (boot, shutdown) have none.
 *
 * JSON: `{"level":"error","pid":1,"timestamp":1764755400000,"message":"…","context":"HttpException","requestId":"…"}`.
 */
export class AppLogger extends ConsoleLogger {
  constructor(format: LogFormat, logLevels: LogLevel[]) {
    const options: ConsoleLoggerOptions = { logLevels, json: format === 'json' };
    super(options);
  }

  protected override getJsonLogObject(message: unknown, options: JsonLogOptions) {
    const record = super.getJsonLogObject(message, options);
    const requestId = currentRequestId();
    if (requestId !== undefined) record.requestId = requestId;
    return record;
  }

  protected override formatContext(context: string): string {
    const requestId = currentRequestId();
    const formatted = super.formatContext(context);
    return requestId === undefined ? formatted : `${formatted}[${requestId}] `;
  }
}

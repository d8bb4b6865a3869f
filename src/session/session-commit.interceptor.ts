import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { mergeMap, Observable } from 'rxjs';
import { rawHttp } from './http-context';
import { SessionCommitter } from './session-committer';

/**
 * Express only (`http-platform.ts` adds it; Fastify uses its `onSend` hook instead): commits the session
 * after the handler and before Express writes the response, so a store write is awaited and its failures
 * become proper responses: 413 `SessionTooLargeError`, 503 `SessionStoreUnavailableError`. Responses that
 * skip interceptors are committed by the raw hooks.
 */
@Injectable()
export class SessionCommitInterceptor implements NestInterceptor {
  constructor(private readonly committer: SessionCommitter) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const { req, res } = rawHttp(context);
    return next.handle().pipe(
      mergeMap(async (value: unknown) => {
        await this.committer.commit(req, res);
        return value;
      }),
    );
  }
}

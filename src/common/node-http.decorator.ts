import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { rawHttp } from '../session';

/**
 * `handler(@NodeHttp() http)`: Node's own request and response under either platform, for services that
 * read a request cookie or set a response header themselves (`CsrfService.tokenFor(http)`).
 */
export const NodeHttp = createParamDecorator((_: unknown, context: ExecutionContext) =>
  rawHttp(context),
);

import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { HttpExceptionFilter } from './http-exception.filter';
import { Responder } from './responder';

/** Platform-neutral HTTP pieces every feature module uses: `Responder`, and one error format for every route. */
@Module({
  providers: [Responder, { provide: APP_FILTER, useClass: HttpExceptionFilter }],
  exports: [Responder],
})
export class WebModule {}

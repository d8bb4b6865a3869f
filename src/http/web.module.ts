import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { CsrfGuard } from './csrf.guard';
import { CsrfService } from './csrf.service';
import { HttpExceptionFilter } from './http-exception.filter';
import { Responder } from './responder';
import { schemaValidationPipe } from './validation';

/**
 * Platform-neutral HTTP pieces every feature module uses: responses, CSRF, the validation of arguments
 * declared with a schema, and the error format of SPEC §5.
 */
@Module({
  providers: [
    Responder,
    CsrfService,
    { provide: APP_GUARD, useClass: CsrfGuard },
    { provide: APP_FILTER, useClass: HttpExceptionFilter },
    { provide: APP_PIPE, useFactory: schemaValidationPipe },
  ],
  exports: [Responder, CsrfService],
})
export class WebModule {}

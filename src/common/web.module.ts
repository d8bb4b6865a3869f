import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { CsrfGuard } from './csrf.guard';
import { CsrfService } from './csrf.service';
import { HttpExceptionFilter } from './http-exception.filter';
import { Responder } from './responder';

/** Platform-neutral HTTP pieces every feature module uses: responses, CSRF, the error format of SPEC §5. */
@Module({
  providers: [
    Responder,
    CsrfService,
    { provide: APP_GUARD, useClass: CsrfGuard },
    { provide: APP_FILTER, useClass: HttpExceptionFilter },
  ],
  exports: [Responder, CsrfService],
})
export class WebModule {}

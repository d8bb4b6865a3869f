import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { CsrfGuard } from './csrf.guard';
import { CsrfService } from './csrf.service';

/** Session-bound CSRF tokens for every form, and the global guard that checks them on form posts. */
@Module({
  providers: [CsrfService, { provide: APP_GUARD, useClass: CsrfGuard }],
  exports: [CsrfService],
})
export class CsrfModule {}

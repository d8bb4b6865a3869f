import { Controller, Get, HttpCode, Module, Post } from '@nestjs/common';
import { AccountsModule } from '../../src/accounts/accounts.module';
import { RecentAuth } from '../../src/accounts/recent-auth.guard';

/** A test-only sensitive route: what later routes (revoking a session, second factors) will guard. */
@Controller('test/recent-auth')
class RecentAuthProbeController {
  @RecentAuth()
  @Get()
  page() {
    return { ok: true };
  }

  @RecentAuth()
  @Post()
  @HttpCode(204)
  change(): void {}
}

@Module({ imports: [AccountsModule], controllers: [RecentAuthProbeController] })
export class RecentAuthProbeModule {}

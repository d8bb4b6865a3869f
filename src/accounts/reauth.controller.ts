import { ApiResponse } from '@nestjs/swagger';
import { ErrorResponse } from '../docs/openapi.decorators';
import { Controller, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import type { PublicUser } from '../auth/auth.service';
import { CurrentUser } from '../auth/current-user.decorator';
import { ClientAddress, WantsJson } from '../common/negotiation';
import { pageForFormError } from '../common/form-errors';
import { Responder } from '../common/responder';
import { safeNext } from '../common/safe-next';
import { ValidBody } from '../common/validation';
import { CsrfService } from '../csrf/csrf.service';
import type { FormHttp } from '../csrf/csrf.service';
import { NodeHttp } from '../common/node-http.decorator';
import { CurrentSession } from '../session';
import { reauthPage } from '../views/account-pages';
import { ReauthSchema } from './dto/account.dto';
import type { ReauthDto } from './dto/account.dto';
import { ReauthService } from './reauth.service';
import { PasskeysRepository } from '../passkeys/passkeys.repository';

/** `GET`/`POST /reauth`: enter the password again before a sensitive change (`@RecentAuth()` routes). */
@Controller('reauth')
export class ReauthController {
  constructor(
    private readonly reauth: ReauthService,
    private readonly csrf: CsrfService,
    private readonly respond: Responder,
    private readonly passkeys: PasskeysRepository,
  ) {}

  @Get()
  async form(
    @CurrentUser() user: PublicUser,
    @CurrentSession() session: CurrentSession,
    @Query('next') next: unknown,
    @NodeHttp() http: FormHttp,
    @Res({ passthrough: true }) res: unknown,
  ) {
    const page = reauthPage(
      { csrf: this.csrf.tokenFor(http), user },
      safeNext(next, '/account'),
      undefined,
      await this.hasPasskeys(user),
    );
    return this.respond.page(res, page, { private: true });
  }

  @ApiResponse({ status: 204, description: 'The session counts as recently authenticated' })
  @ErrorResponse(403, 'the password is wrong (counted like a failed login)')
  @ErrorResponse(429, 'too many wrong passwords', { retryAfter: true })
  @Post()
  @HttpCode(204)
  async confirm(
    @CurrentUser() user: PublicUser,
    @CurrentSession() session: CurrentSession,
    @ValidBody(ReauthSchema) dto: ReauthDto,
    @ClientAddress() address: string,
    @WantsJson() json: boolean,
    @NodeHttp() http: FormHttp,
    @Res({ passthrough: true }) res: unknown,
  ) {
    this.respond.noStore(res);
    const next = safeNext(dto.next, '/account');
    if (json) return this.reauth.reauthenticate(session, user, dto, address);
    try {
      await this.reauth.reauthenticate(session, user, dto, address);
    } catch (error) {
      return pageForFormError(this.respond, res, error, async (message) =>
        reauthPage(
          { csrf: this.csrf.tokenFor(http), user },
          next,
          message,
          await this.hasPasskeys(user),
        ),
      );
    }
    return this.respond.redirect(res, next);
  }

  /** Whether the page offers a passkey beside the password. */
  private async hasPasskeys(user: PublicUser): Promise<boolean> {
    return (await this.passkeys.countFor(user.id)) > 0;
  }
}

import { Controller, Delete, HttpCode, Post, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse } from '@nestjs/swagger';
import { RecentAuth } from '../accounts/recent-auth.guard';
import type { PublicUser } from '../auth/auth.service';
import { CurrentUser } from '../auth/current-user.decorator';
import { pageForFormError } from '../common/form-errors';
import { WantsJson } from '../common/negotiation';
import { NodeHttp } from '../common/node-http.decorator';
import { Responder } from '../common/responder';
import { ValidBody } from '../common/validation';
import { CsrfService } from '../csrf/csrf.service';
import type { FormHttp } from '../csrf/csrf.service';
import { ErrorResponse, JsonResponse } from '../docs/openapi.decorators';
import { noticePage } from '../views/account-pages';
import type { PageContext } from '../views/account-pages';
import { recoveryCodesPage, totpSetupPage } from '../views/two-factor-pages';
import { CodeSchema, RecoveryCodesBodySchema, TotpSetupBodySchema } from './dto/two-factor.dto';
import type { CodeDto } from './dto/two-factor.dto';
import { TwoFactorService } from './two-factor.service';

/**
 * Turning TOTP on (setup, then confirm with a code), new recovery codes, turning it off: every route
 * needs a recent password or code (`@RecentAuth()`). JSON, or pages for the account page's forms.
 */
@Controller('account/2fa')
export class TwoFactorController {
  constructor(
    private readonly twoFactor: TwoFactorService,
    private readonly csrf: CsrfService,
    private readonly respond: Responder,
  ) {}

  @Post('totp')
  @HttpCode(200)
  @RecentAuth()
  @ApiOperation({ summary: 'Start a TOTP setup (not on until confirmed)' })
  @JsonResponse(200, TotpSetupBodySchema, 'The new secret; a setup not confirmed is replaced')
  @ErrorResponse(409, 'two-factor authentication is already on')
  async setup(
    @CurrentUser() user: PublicUser,
    @WantsJson() json: boolean,
    @NodeHttp() http: FormHttp,
    @Res({ passthrough: true }) res: unknown,
  ) {
    this.respond.noStore(res);
    if (json) return this.twoFactor.setup(user);
    try {
      const setup = await this.twoFactor.setup(user);
      return this.respond.page(res, totpSetupPage(this.context(http, user), setup));
    } catch (error) {
      return pageForFormError(this.respond, res, error, (message) =>
        this.errorPage(http, user, message),
      );
    }
  }

  @Post('totp/confirm')
  @HttpCode(200)
  @RecentAuth()
  @ApiOperation({ summary: 'Turn TOTP on with the code the app shows' })
  @JsonResponse(200, RecoveryCodesBodySchema, 'On; the first ten recovery codes, shown once')
  @ErrorResponse(400, 'a wrong code, or no setup waiting')
  @ErrorResponse(409, 'two-factor authentication is already on')
  async confirm(
    @CurrentUser() user: PublicUser,
    @ValidBody(CodeSchema) dto: CodeDto,
    @WantsJson() json: boolean,
    @NodeHttp() http: FormHttp,
    @Res({ passthrough: true }) res: unknown,
  ) {
    this.respond.noStore(res);
    if (json) return { recoveryCodes: await this.twoFactor.confirm(user, dto.code) };
    try {
      const codes = await this.twoFactor.confirm(user, dto.code);
      const page = recoveryCodesPage(this.context(http, user), codes, 'Two-factor is on');
      return this.respond.page(res, page, { private: true });
    } catch (error) {
      return pageForFormError(this.respond, res, error, async (message) => {
        const setup = await this.twoFactor.waitingSetup(user);
        const context = this.context(http, user);
        return setup ? totpSetupPage(context, setup, message) : this.errorPage(http, user, message);
      });
    }
  }

  @Post('recovery-codes')
  @HttpCode(200)
  @RecentAuth()
  @ApiOperation({ summary: 'Replace the recovery codes' })
  @JsonResponse(200, RecoveryCodesBodySchema, 'A new set; the old one stops working')
  @ErrorResponse(409, 'two-factor authentication is off')
  async regenerate(
    @CurrentUser() user: PublicUser,
    @WantsJson() json: boolean,
    @NodeHttp() http: FormHttp,
    @Res({ passthrough: true }) res: unknown,
  ) {
    this.respond.noStore(res);
    if (json) return { recoveryCodes: await this.twoFactor.regenerateRecoveryCodes(user) };
    try {
      const codes = await this.twoFactor.regenerateRecoveryCodes(user);
      const page = recoveryCodesPage(this.context(http, user), codes, 'New recovery codes');
      return this.respond.page(res, page, { private: true });
    } catch (error) {
      return pageForFormError(this.respond, res, error, (message) =>
        this.errorPage(http, user, message),
      );
    }
  }

  @Delete()
  @HttpCode(204)
  @RecentAuth()
  @ApiOperation({ summary: 'Turn two-factor authentication off' })
  @ApiResponse({ status: 204, description: 'TOTP and the recovery codes are removed' })
  async disable(@CurrentUser() user: PublicUser): Promise<void> {
    await this.twoFactor.disable(user);
  }

  /** The form spelling of `DELETE /account/2fa` (HTML forms cannot send DELETE). */
  @Post('delete')
  @RecentAuth()
  @ApiOperation({ summary: 'Turn two-factor authentication off (HTML form)' })
  @ApiResponse({ status: 302, description: 'Off; back to /account' })
  async disableForm(
    @CurrentUser() user: PublicUser,
    @Res({ passthrough: true }) res: unknown,
  ): Promise<string> {
    await this.twoFactor.disable(user);
    return this.respond.redirect(res, '/account#two-factor');
  }

  private errorPage(http: FormHttp, user: PublicUser, message: string): string {
    const back = { href: '/account#two-factor', label: 'Your account' };
    return noticePage(this.context(http, user), 'Two-factor authentication', message, back);
  }

  private context(http: FormHttp, user: PublicUser): PageContext {
    return { csrf: this.csrf.tokenFor(http), user };
  }
}

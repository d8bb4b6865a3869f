import { ApiResponse } from '@nestjs/swagger';
import { ErrorResponse, JsonResponse } from '../docs/openapi.decorators';
import { AcceptedBodySchema } from './dto/account-responses';
import { Controller, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import { AuthService } from '../auth/auth.service';
import { Public } from '../auth/public.decorator';
import { ClientAddress, WantsJson } from '../common/negotiation';
import { pageForFormError } from '../common/form-errors';
import { Responder } from '../common/responder';
import { ValidBody } from '../common/validation';
import { CsrfService } from '../csrf/csrf.service';
import type { FormHttp } from '../csrf/csrf.service';
import { NodeHttp } from '../common/node-http.decorator';
import { CurrentSession } from '../session';
import { forgotPage, noticePage, PageContext, resetPage } from '../views/account-pages';
import { ForgotSchema, ResetSchema } from './dto/account.dto';
import type { ForgotDto, ResetDto } from './dto/account.dto';
import { PasswordService } from './password.service';

/** The same answer whether or not the address has an account. */
const FORGOT_ANSWER = {
  status: 'if an account has this address, a link to reset its password is on its way',
};

/** Forgotten passwords: `GET`/`POST /password/forgot`, then the mailed link, `GET`/`POST /password/reset`. */
@Public()
@Controller('password')
export class PasswordController {
  constructor(
    private readonly passwords: PasswordService,
    private readonly auth: AuthService,
    private readonly csrf: CsrfService,
    private readonly respond: Responder,
  ) {}

  @Get('forgot')
  async forgotForm(
    @CurrentSession() session: CurrentSession,
    @NodeHttp() http: FormHttp,
    @Res({ passthrough: true }) res: unknown,
  ) {
    const context = await this.context(http, session);
    return this.respond.page(res, forgotPage(context), { private: context.user !== null });
  }

  @JsonResponse(
    202,
    AcceptedBodySchema,
    'The same answer whether or not the address has an account',
  )
  @ErrorResponse(429, 'too many requests from this address', { retryAfter: true })
  @Post('forgot')
  @HttpCode(202)
  async forgot(
    @CurrentSession() session: CurrentSession,
    @ValidBody(ForgotSchema) dto: ForgotDto,
    @ClientAddress() address: string,
    @WantsJson() json: boolean,
    @NodeHttp() http: FormHttp,
    @Res({ passthrough: true }) res: unknown,
  ) {
    if (json) return this.passwords.forgot(dto.email, address).then(() => FORGOT_ANSWER);
    try {
      await this.passwords.forgot(dto.email, address);
    } catch (error) {
      return pageForFormError(this.respond, res, error, async (message) =>
        forgotPage(await this.context(http, session), message),
      );
    }
    const page = noticePage(
      await this.context(http, session),
      'Check your inbox',
      `${FORGOT_ANSWER.status}.`,
    );
    return this.respond.page(res, page, { status: 202, private: true });
  }

  /** The link in the mail: a form that posts the token (a GET changes nothing; mail scanners fetch links). */
  @Get('reset')
  async resetForm(
    @CurrentSession() session: CurrentSession,
    @Query('token') token: unknown,
    @NodeHttp() http: FormHttp,
    @Res({ passthrough: true }) res: unknown,
  ) {
    const page = resetPage(
      await this.context(http, session),
      typeof token === 'string' ? token : '',
    );
    return this.respond.page(res, page, { private: true });
  }

  @ApiResponse({ status: 204, description: 'The password is set; every session of the user ended' })
  @ErrorResponse(400, 'the link is invalid, expired or used, or the password is too short')
  @Post('reset')
  @HttpCode(204)
  async reset(
    @CurrentSession() session: CurrentSession,
    @ValidBody(ResetSchema) dto: ResetDto,
    @ClientAddress() address: string,
    @WantsJson() json: boolean,
    @NodeHttp() http: FormHttp,
    @Res({ passthrough: true }) res: unknown,
  ) {
    if (json) return this.passwords.reset(dto.token, dto.password, address);
    try {
      await this.passwords.reset(dto.token, dto.password, address);
    } catch (error) {
      return pageForFormError(this.respond, res, error, async (message) =>
        resetPage(await this.context(http, session), dto.token, message),
      );
    }
    return this.respond.redirect(res, '/login');
  }

  private async context(http: FormHttp, session: CurrentSession): Promise<PageContext> {
    return { csrf: this.csrf.tokenFor(http), user: await this.auth.currentUser(session) };
  }
}

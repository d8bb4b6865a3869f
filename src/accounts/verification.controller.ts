import { ErrorResponse, JsonResponse } from '../docs/openapi.decorators';
import { AcceptedBodySchema, AccountUserBodySchema } from './dto/account-responses';
import { Controller, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import { AuthService } from '../auth/auth.service';
import type { PublicUser } from '../auth/auth.service';
import { CurrentUser } from '../auth/current-user.decorator';
import { Public } from '../auth/public.decorator';
import { ClientAddress, WantsJson } from '../common/negotiation';
import { pageForFormError } from '../common/form-errors';
import { Responder } from '../common/responder';
import { ValidBody } from '../common/validation';
import { CsrfService } from '../csrf/csrf.service';
import type { FormHttp } from '../csrf/csrf.service';
import { NodeHttp } from '../common/node-http.decorator';
import { CurrentSession } from '../session';
import type { User } from '../users/users.repository';
import {
  accountPage,
  confirmLinkPage,
  noticePage,
  PageContext,
  registerPage,
} from '../views/account-pages';
import { AccountService } from './account.service';
import { TokenSchema } from './dto/account.dto';
import type { TokenDto } from './dto/account.dto';
import { EmailVerificationService } from './email-verification.service';

const CONFIRM_ADDRESS = {
  title: 'Confirm your email address',
  text: 'Press the button to confirm that this address is yours.',
  action: '/verify-email',
  button: 'Confirm',
};

/** Registering in a browser (`GET /register`; the form posts to `POST /register`) and email verification. */
@Controller()
export class VerificationController {
  constructor(
    private readonly verification: EmailVerificationService,
    private readonly accounts: AccountService,
    private readonly auth: AuthService,
    private readonly csrf: CsrfService,
    private readonly respond: Responder,
  ) {}

  @Public()
  @Get('register')
  async registerForm(
    @CurrentSession() session: CurrentSession,
    @NodeHttp() http: FormHttp,
    @Res({ passthrough: true }) res: unknown,
  ) {
    const context = await this.context(http, session);
    return this.respond.page(res, registerPage(context), { private: context.user !== null });
  }

  /** Where the register form lands. */
  @Public()
  @Get('register/done')
  async registered(
    @CurrentSession() session: CurrentSession,
    @NodeHttp() http: FormHttp,
    @Res({ passthrough: true }) res: unknown,
  ) {
    const message = this.accounts.registrationMails()
      ? 'Your account is ready. We mailed you a link to confirm your address; you can log in now.'
      : 'Your account is ready; you can log in now.';
    const context = await this.context(http, session);
    const page = noticePage(context, 'Account created', message, {
      href: '/login',
      label: 'Log in',
    });
    return this.respond.page(res, page, { private: context.user !== null });
  }

  /** The link in the mail: a button that posts the token (a GET changes nothing). */
  @Public()
  @Get('verify-email')
  async verifyForm(
    @CurrentSession() session: CurrentSession,
    @Query('token') token: unknown,
    @NodeHttp() http: FormHttp,
    @Res({ passthrough: true }) res: unknown,
  ) {
    const page = confirmLinkPage(await this.context(http, session), {
      ...CONFIRM_ADDRESS,
      token: typeof token === 'string' ? token : '',
    });
    return this.respond.page(res, page, { private: true });
  }

  @JsonResponse(200, AccountUserBodySchema, 'The address is verified')
  @ErrorResponse(400, 'the link is invalid, expired or used')
  @Public()
  @Post('verify-email')
  @HttpCode(200)
  async verify(
    @CurrentSession() session: CurrentSession,
    @ValidBody(TokenSchema) dto: TokenDto,
    @ClientAddress() address: string,
    @WantsJson() json: boolean,
    @NodeHttp() http: FormHttp,
    @Res({ passthrough: true }) res: unknown,
  ) {
    if (json) return { user: await this.verification.verify(dto.token, address) };
    let user: User;
    try {
      user = await this.verification.verify(dto.token, address);
    } catch (error) {
      return pageForFormError(this.respond, res, error, async (message) =>
        confirmLinkPage(await this.context(http, session), {
          ...CONFIRM_ADDRESS,
          token: dto.token,
          error: message,
        }),
      );
    }
    const page = noticePage(
      await this.context(http, session),
      'Address confirmed',
      `${user.email} is confirmed.`,
      {
        href: '/account',
        label: 'Your account',
      },
    );
    return this.respond.page(res, page, { private: true });
  }

  @JsonResponse(202, AcceptedBodySchema, 'A new verification link is on its way')
  @ErrorResponse(409, 'the address is verified already')
  @ErrorResponse(429, 'too many mails', { retryAfter: true })
  @Post('verify-email/resend')
  @HttpCode(202)
  async resend(
    @CurrentUser() user: PublicUser,
    @CurrentSession() session: CurrentSession,
    @WantsJson() json: boolean,
    @NodeHttp() http: FormHttp,
    @Res({ passthrough: true }) res: unknown,
  ) {
    this.respond.noStore(res);
    if (json)
      return this.verification
        .resend(user.id)
        .then(() => ({ status: 'a new verification link is on its way' }));
    try {
      await this.verification.resend(user.id);
    } catch (error) {
      return pageForFormError(this.respond, res, error, async (message) =>
        accountPage(
          await this.context(http, session),
          await this.accounts.page(user.id, session.session_record),
          message,
        ),
      );
    }
    const page = noticePage(
      await this.context(http, session),
      'Check your inbox',
      `A new link is on its way to ${user.email}.`,
      {
        href: '/account',
        label: 'Your account',
      },
    );
    return this.respond.page(res, page, { status: 202, private: true });
  }

  private async context(http: FormHttp, session: CurrentSession): Promise<PageContext> {
    return { csrf: this.csrf.tokenFor(http), user: await this.auth.currentUser(session) };
  }
}

import { ApiResponse } from '@nestjs/swagger';
import { ErrorResponse, JsonResponse } from '../docs/openapi.decorators';
import {
  AcceptedBodySchema,
  AccountBodySchema,
  AccountUserBodySchema,
} from './dto/account-responses';
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
import { accountPage, confirmLinkPage, noticePage, PageContext } from '../views/account-pages';
import { AccountService } from './account.service';
import { ChangeEmailSchema, ChangePasswordSchema, TokenSchema } from './dto/account.dto';
import type { ChangeEmailDto, ChangePasswordDto, TokenDto } from './dto/account.dto';
import type { User } from '../users/users.repository';
import { EmailChangeService } from './email-change.service';
import { PasswordService } from './password.service';

const CONFIRM_EMAIL = {
  title: 'Confirm your new email address',
  text: 'Press the button to make this the address of your account.',
  action: '/account/email/confirm',
  button: 'Confirm',
};

/**
 * The settings page and the changes made from it: `GET /account`, `POST /account/password`,
 * `POST /account/email`, and the link mailed to a new address, `GET`/`POST /account/email/confirm`.
 */
@Controller('account')
export class AccountController {
  constructor(
    private readonly accounts: AccountService,
    private readonly passwords: PasswordService,
    private readonly emails: EmailChangeService,
    private readonly auth: AuthService,
    private readonly csrf: CsrfService,
    private readonly respond: Responder,
  ) {}

  @JsonResponse(200, AccountBodySchema, 'The account')
  @Get()
  async show(
    @CurrentUser() user: PublicUser,
    @CurrentSession() session: CurrentSession,
    @WantsJson() json: boolean,
    @NodeHttp() http: FormHttp,
    @Res({ passthrough: true }) res: unknown,
  ) {
    this.respond.noStore(res);
    const account = await this.accounts.view(user.id);
    if (json) return { user: account };
    const page = await this.accounts.page(user.id, session.session_record);
    return this.respond.page(res, accountPage(this.context(http, user), page), {
      private: true,
    });
  }

  @ApiResponse({
    status: 204,
    description: 'Changed: every other session ended, this one kept under a new id',
  })
  @ErrorResponse(403, 'the current password is wrong (counted like a failed login)')
  @ErrorResponse(429, 'too many wrong passwords', { retryAfter: true })
  @Post('password')
  @HttpCode(204)
  async changePassword(
    @CurrentUser() user: PublicUser,
    @CurrentSession() session: CurrentSession,
    @ValidBody(ChangePasswordSchema) dto: ChangePasswordDto,
    @ClientAddress() address: string,
    @WantsJson() json: boolean,
    @NodeHttp() http: FormHttp,
    @Res({ passthrough: true }) res: unknown,
  ) {
    this.respond.noStore(res);
    try {
      await this.passwords.change(session, user, dto.currentPassword, dto.password, address);
    } catch (error) {
      if (json) throw error;
      return this.accountWithError(res, http, user, error);
    }
    if (json) return undefined;
    const page = noticePage(
      this.context(http, user),
      'Password changed',
      'Every other device was signed out.',
      {
        href: '/account',
        label: 'Your account',
      },
    );
    return this.respond.page(res, page, { status: 200, private: true });
  }

  @JsonResponse(
    202,
    AcceptedBodySchema,
    'A confirmation link is mailed to the new address, a notice to the old one',
  )
  @ErrorResponse(403, 'the password is wrong')
  @ErrorResponse(409, 'the address belongs to another account')
  @ErrorResponse(429, 'too many changes or wrong passwords', { retryAfter: true })
  @Post('email')
  @HttpCode(202)
  async changeEmail(
    @CurrentUser() user: PublicUser,
    @CurrentSession() session: CurrentSession,
    @ValidBody(ChangeEmailSchema) dto: ChangeEmailDto,
    @ClientAddress() address: string,
    @WantsJson() json: boolean,
    @NodeHttp() http: FormHttp,
    @Res({ passthrough: true }) res: unknown,
  ) {
    this.respond.noStore(res);
    try {
      await this.emails.request(session, user, dto.password, dto.email, address);
    } catch (error) {
      if (json) throw error;
      return this.accountWithError(res, http, user, error);
    }
    const status = `a link to confirm ${dto.email} is on its way there; your address changes when it is confirmed`;
    if (json) return { status };
    const page = noticePage(this.context(http, user), 'Check the new inbox', `${status}.`);
    return this.respond.page(res, page, { status: 202, private: true });
  }

  /** The link mailed to the new address: a button that posts the token (a GET changes nothing). */
  @Public()
  @Get('email/confirm')
  async confirmEmailForm(
    @CurrentSession() session: CurrentSession,
    @Query('token') token: unknown,
    @NodeHttp() http: FormHttp,
    @Res({ passthrough: true }) res: unknown,
  ) {
    const page = confirmLinkPage(await this.publicContext(http, session), {
      ...CONFIRM_EMAIL,
      token: typeof token === 'string' ? token : '',
    });
    return this.respond.page(res, page, { private: true });
  }

  @JsonResponse(200, AccountUserBodySchema, 'The address changed, and is verified')
  @ErrorResponse(400, 'the link is invalid, expired or used')
  @ErrorResponse(409, 'the address was taken meanwhile')
  @Public()
  @Post('email/confirm')
  @HttpCode(200)
  async confirmEmail(
    @CurrentSession() session: CurrentSession,
    @ValidBody(TokenSchema) dto: TokenDto,
    @ClientAddress() address: string,
    @WantsJson() json: boolean,
    @NodeHttp() http: FormHttp,
    @Res({ passthrough: true }) res: unknown,
  ) {
    if (json) return { user: await this.emails.confirm(dto.token, address) };
    let user: User;
    try {
      user = await this.emails.confirm(dto.token, address);
    } catch (error) {
      return pageForFormError(this.respond, res, error, async (message) =>
        confirmLinkPage(await this.publicContext(http, session), {
          ...CONFIRM_EMAIL,
          token: dto.token,
          error: message,
        }),
      );
    }
    const page = noticePage(
      await this.publicContext(http, session),
      'Address changed',
      `Your address is now ${user.email}.`,
      {
        href: '/account',
        label: 'Your account',
      },
    );
    return this.respond.page(res, page, { private: true });
  }

  /** The settings page again, with what went wrong with the form posted from it. */
  private accountWithError(res: unknown, http: FormHttp, user: PublicUser, error: unknown) {
    return pageForFormError(this.respond, res, error, async (message) =>
      accountPage(
        this.context(http, user),
        await this.accounts.page(user.id, http.req.session?.session_record),
        message,
      ),
    );
  }

  private context(http: FormHttp, user: PublicUser): PageContext {
    return { csrf: this.csrf.tokenFor(http), user };
  }

  private async publicContext(http: FormHttp, session: CurrentSession): Promise<PageContext> {
    return { csrf: this.csrf.tokenFor(http), user: await this.auth.currentUser(session) };
  }
}

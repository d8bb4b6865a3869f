import { Controller, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiNoContentResponse, ApiOperation } from '@nestjs/swagger';
import { CsrfService } from '../csrf/csrf.service';
import type { FormHttp } from '../csrf/csrf.service';
import { NodeHttp } from '../common/node-http.decorator';
import { Client, ClientAddress, WantsJson } from '../common/negotiation';
import type { RequestClient } from '../common/negotiation';
import { pageForFormError } from '../common/form-errors';
import { Responder } from '../common/responder';
import { safeNext } from '../common/safe-next';
import { ValidBody } from '../common/validation';
import { CurrentSession } from '../session';
import { registerPage } from '../views/account-pages';
import { loginPage } from '../views/pages';
import { InvalidCredentialsError } from './auth.errors';
import { Public } from './public.decorator';
import { AuthService, TWO_FACTOR_REQUIRED } from './auth.service';
import type { PublicUser } from './auth.service';
import type { User } from '../users/users.repository';
import { CurrentUser } from './current-user.decorator';
import { ErrorResponse, JsonResponse } from '../docs/openapi.decorators';
import { AccountUserBodySchema } from '../accounts/dto/account-responses';
import { LoginSchema, RegisterSchema } from './dto/login.dto';
import { UserBodySchema } from './dto/user.dto';
import { TwoFactorRequiredSchema } from '../two-factor/dto/two-factor.dto';
import { z } from 'zod';

const LoginBodySchema = z.union([UserBodySchema, TwoFactorRequiredSchema]);
import type { LoginDto, RegisterDto } from './dto/login.dto';

/**
 * Signing in, registering and signing out: `GET`/`POST /login`, `POST /register`, `POST /logout` and
 * `POST /logout/all`; JSON or HTML by the request (`wantsJson`). Every route is `@Public()` but
 * `POST /logout/all`, which `LoginGuard` keeps for signed-in users.
 */
@Controller()
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly csrf: CsrfService,
    private readonly respond: Responder,
  ) {}

  @Public()
  @Get('login')
  @ApiExcludeEndpoint() // the HTML form; JSON clients POST /login
  loginForm(
    @Query('next') next: unknown,
    @NodeHttp() http: FormHttp,
    @Res({ passthrough: true }) res: unknown,
  ) {
    const page = loginPage({
      csrf: this.csrf.tokenFor(http),
      next: safeNext(next, '/dashboard'),
    });
    return this.respond.page(res, page);
  }

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in' })
  @JsonResponse(
    200,
    LoginBodySchema,
    'Signed in: a new session (and cookie) that holds the user; or, for a user with a second factor, `twoFactorRequired` (not signed in: POST /login/2fa within 5 minutes)',
  )
  @ErrorResponse(
    401,
    'Wrong or unknown credentials (`invalid email or password`); no cookie is set',
  )
  @ErrorResponse(429, 'Too many failed logins for this email or client address', {
    retryAfter: true,
  })
  @ErrorResponse(503, 'Redis (the login throttle) or a store is unreachable, or hashing is busy', {
    retryAfter: true,
  })
  async login(
    @CurrentSession() session: CurrentSession,
    @ValidBody(LoginSchema) dto: LoginDto,
    @Client() client: RequestClient,
    @WantsJson() json: boolean,
    @NodeHttp() http: FormHttp,
    @Res({ passthrough: true }) res: unknown,
  ): Promise<{ user: PublicUser } | typeof TWO_FACTOR_REQUIRED | string> {
    try {
      const user = await this.auth.login(session, dto, client);
      if ('twoFactorRequired' in user)
        return json ? user : this.respond.redirect(res, '/login/2fa');
      return json ? { user } : this.respond.redirect(res, safeNext(dto.next, '/dashboard'));
    } catch (error) {
      if (json || !(error instanceof InvalidCredentialsError)) throw error;
      // A form gets the form again, with the same 401 and message as JSON clients.
      const page = loginPage({
        csrf: this.csrf.tokenFor(http),
        next: safeNext(dto.next, '/dashboard'),
        error: 'invalid email or password',
        email: dto.email,
      });
      return this.respond.page(res, page, { status: 401 });
    }
  }

  @Public()
  @Post('register')
  @HttpCode(201)
  @ApiOperation({ summary: 'Create an account (does not sign in)' })
  @JsonResponse(
    201,
    AccountUserBodySchema,
    'Registered; a verification link is mailed unless EMAIL_VERIFICATION=off',
  )
  @ErrorResponse(409, 'The email address is taken')
  @ErrorResponse(429, 'Too many registrations from this client address', { retryAfter: true })
  @ErrorResponse(503, 'Redis (the registration limit) or the database is unreachable', {
    retryAfter: true,
  })
  async register(
    @CurrentSession() session: CurrentSession,
    @ValidBody(RegisterSchema) dto: RegisterDto,
    @ClientAddress() address: string,
    @WantsJson() json: boolean,
    @NodeHttp() http: FormHttp,
    @Res({ passthrough: true }) res: unknown,
  ): Promise<{ user: User } | string> {
    if (json) return { user: await this.auth.register(dto, address) };
    try {
      await this.auth.register(dto, address);
    } catch (error) {
      // A form gets the form again, with the message and the status JSON clients get (409, 429).
      return pageForFormError(this.respond, res, error, (message) =>
        registerPage(
          { csrf: this.csrf.tokenFor(http), user: null },
          { email: dto.email, error: message },
        ),
      );
    }
    return this.respond.redirect(res, '/register/done');
  }

  @Public()
  @Post('logout')
  @HttpCode(204)
  @ApiOperation({ summary: 'Sign out' })
  @ApiNoContentResponse({ description: 'The session is destroyed and its cookie expired' })
  async logout(
    @CurrentSession() session: CurrentSession,
    @WantsJson() json: boolean,
    @Res({ passthrough: true }) res: unknown,
  ) {
    await this.auth.logout(session);
    return json ? undefined : this.respond.redirect(res, '/');
  }

  @Post('logout/all')
  @HttpCode(204)
  @ApiOperation({ summary: 'Sign out everywhere' })
  @ApiNoContentResponse({
    description: 'Every session of this user ends, on every store and instance, this one included',
  })
  async logoutEverywhere(
    @CurrentUser() user: PublicUser,
    @CurrentSession() session: CurrentSession,
    @WantsJson() json: boolean,
    @Res({ passthrough: true }) res: unknown,
  ) {
    await this.auth.logoutEverywhere(user, session);
    return json ? undefined : this.respond.redirect(res, '/');
  }
}

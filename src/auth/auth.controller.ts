import { Controller, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import { CsrfService } from '../csrf/csrf.service';
import type { FormHttp } from '../csrf/csrf.service';
import { NodeHttp } from '../common/node-http.decorator';
import { ClientAddress, WantsJson } from '../common/negotiation';
import { pageForFormError } from '../common/form-errors';
import { Responder } from '../common/responder';
import { safeNext } from '../common/safe-next';
import { ValidBody } from '../common/validation';
import { CurrentSession } from '../session';
import { registerPage } from '../views/account-pages';
import { loginPage } from '../views/pages';
import { InvalidCredentialsError } from './auth.errors';
import { Public } from './public.decorator';
import { AuthService } from './auth.service';
import type { PublicUser } from './auth.service';
import type { User } from '../users/users.repository';
import { CurrentUser } from './current-user.decorator';
import { LoginSchema, RegisterSchema } from './dto/login.dto';
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
  async login(
    @CurrentSession() session: CurrentSession,
    @ValidBody(LoginSchema) dto: LoginDto,
    @ClientAddress() address: string,
    @WantsJson() json: boolean,
    @NodeHttp() http: FormHttp,
    @Res({ passthrough: true }) res: unknown,
  ): Promise<{ user: PublicUser } | string> {
    try {
      const user = await this.auth.login(session, dto, address);
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

import { Controller, Get, HttpCode, Post, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse } from '@nestjs/swagger';
import { Public } from '../auth/public.decorator';
import type { PublicUser } from '../auth/auth.service';
import { UserBodySchema } from '../auth/dto/user.dto';
import { pageForFormError } from '../common/form-errors';
import { Client, WantsJson } from '../common/negotiation';
import type { RequestClient } from '../common/negotiation';
import { NodeHttp } from '../common/node-http.decorator';
import { Responder } from '../common/responder';
import { ValidBody } from '../common/validation';
import { CsrfService } from '../csrf/csrf.service';
import type { FormHttp } from '../csrf/csrf.service';
import { ErrorResponse, JsonResponse } from '../docs/openapi.decorators';
import { CurrentSession } from '../session';
import { loginPage } from '../views/pages';
import { loginCodePage } from '../views/two-factor-pages';
import { CodeSchema } from './dto/two-factor.dto';
import type { CodeDto } from './dto/two-factor.dto';
import { SecondStepService } from './second-step.service';
import { NoPendingLoginError, WrongLoginCodeError } from './two-factor.errors';

/** The second step of a sign-in for a user with TOTP: `GET`/`POST /login/2fa`. */
@Controller('login/2fa')
export class LoginTwoFactorController {
  constructor(
    private readonly secondStep: SecondStepService,
    private readonly csrf: CsrfService,
    private readonly respond: Responder,
  ) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'The second-step form (an HTML page; JSON clients POST /login/2fa)' })
  @ApiResponse({ status: 200, description: 'The code form, while a sign-in waits in this session' })
  @ApiResponse({ status: 302, description: 'No sign-in waiting: to /login' })
  form(
    @CurrentSession() session: CurrentSession,
    @NodeHttp() http: FormHttp,
    @Res({ passthrough: true }) res: unknown,
  ) {
    if (!this.secondStep.isPending(session)) return this.respond.redirect(res, '/login');
    return this.respond.page(res, loginCodePage({ csrf: this.csrf.tokenFor(http), user: null }), {
      private: true,
    });
  }

  @Public()
  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Finish a sign-in with a TOTP code or a recovery code' })
  @JsonResponse(200, UserBodySchema, 'Signed in: the session regenerated, holding the user')
  @ErrorResponse(
    401,
    'a wrong or used code, or no sign-in waiting in this session (none, or older than 5 minutes)',
  )
  @ErrorResponse(429, 'the sixth try for one sign-in: it is dropped', { retryAfter: true })
  @ErrorResponse(503, 'Redis (the code limit) or the database is unreachable', {
    retryAfter: true,
  })
  async finish(
    @CurrentSession() session: CurrentSession,
    @ValidBody(CodeSchema) dto: CodeDto,
    @Client() client: RequestClient,
    @WantsJson() json: boolean,
    @NodeHttp() http: FormHttp,
    @Res({ passthrough: true }) res: unknown,
  ): Promise<{ user: PublicUser } | string> {
    this.respond.noStore(res);
    if (json) return { user: (await this.secondStep.finish(session, dto.code, client)).user };
    try {
      const { next } = await this.secondStep.finish(session, dto.code, client);
      return this.respond.redirect(res, next);
    } catch (error) {
      const csrf = this.csrf.tokenFor(http);
      if (error instanceof NoPendingLoginError) {
        const page = loginPage({ csrf, next: '/dashboard', error: messageOf(error) });
        return this.respond.page(res, page, { status: 401 });
      }
      if (error instanceof WrongLoginCodeError) {
        const page = loginCodePage({ csrf, user: null }, 'wrong or already used code');
        return this.respond.page(res, page, { status: 401, private: true });
      }
      return pageForFormError(this.respond, res, error, (message) =>
        loginPage({ csrf, next: '/dashboard', error: message }),
      );
    }
  }
}

function messageOf(error: NoPendingLoginError): string {
  return (error.getResponse() as { error: string }).error;
}

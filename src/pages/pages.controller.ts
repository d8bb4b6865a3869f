import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Public } from '../auth/public.decorator';
import { AuthService } from '../auth/auth.service';
import type { PublicUser } from '../auth/auth.service';
import { CurrentUser } from '../auth/current-user.decorator';
import { HomeBodySchema, UserBodySchema } from '../auth/dto/user.dto';
import { CartService } from '../cart/cart.service';
import { JsonResponse } from '../docs/openapi.decorators';
import { CsrfService } from '../csrf/csrf.service';
import type { FormHttp } from '../csrf/csrf.service';
import { NodeHttp } from '../common/node-http.decorator';
import { WantsJson } from '../common/negotiation';
import { Responder } from '../common/responder';
import { CurrentSession } from '../session';
import { dashboardPage, homePage } from '../views/pages';

/**
 * The two pages that are neither sign-in nor cart: `/` for everyone, `/dashboard` for signed-in users
 * (`LoginGuard` sends others to `/login?next=/dashboard`). JSON or HTML by the request.
 */
@Controller()
export class PagesController {
  constructor(
    private readonly auth: AuthService,
    private readonly cart: CartService,
    private readonly csrf: CsrfService,
    private readonly respond: Responder,
  ) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'Who is signed in' })
  @JsonResponse(200, HomeBodySchema, 'The signed-in user, or `null`')
  async home(
    @CurrentSession() session: CurrentSession,
    @WantsJson() json: boolean,
    @NodeHttp() http: FormHttp,
    @Res({ passthrough: true }) res: unknown,
  ) {
    const user = await this.auth.currentUser(session);
    if (json) return { user };
    return this.respond.page(res, homePage(user, this.csrf.tokenFor(http)));
  }

  @Get('dashboard')
  @ApiOperation({ summary: 'The signed-in user' })
  @JsonResponse(200, UserBodySchema, 'The signed-in user')
  dashboard(
    @CurrentUser() user: PublicUser,
    @CurrentSession() session: CurrentSession,
    @WantsJson() json: boolean,
    @NodeHttp() http: FormHttp,
    @Res({ passthrough: true }) res: unknown,
  ) {
    if (json) return { user };
    const page = dashboardPage(user, this.cart.items(session).length, this.csrf.tokenFor(http));
    return this.respond.page(res, page);
  }
}

import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { Public } from '../auth/public.decorator';
import type { PublicUser } from '../auth/auth.service';
import { UserBodySchema } from '../auth/dto/user.dto';
import { Client, ClientAddress } from '../common/negotiation';
import type { RequestClient } from '../common/negotiation';
import { ValidBody } from '../common/validation';
import { ErrorResponse, JsonResponse } from '../docs/openapi.decorators';
import { CurrentSession } from '../session';
import { PasskeyOptionsBodySchema, PasskeySignInSchema } from './dto/passkeys.dto';
import type { PasskeySignInDto } from './dto/passkeys.dto';
import { PasskeySignInService } from './passkey-sign-in.service';

/** `POST /login/passkey/options` and `POST /login/passkey`: passwordless sign-in, JSON only (the login page's script). */
@Controller('login/passkey')
export class PasskeySignInController {
  constructor(private readonly signIns: PasskeySignInService) {}

  @Public()
  @Post('options')
  @HttpCode(200)
  @ApiOperation({ summary: 'Options for signing in with a passkey' })
  @JsonResponse(
    200,
    PasskeyOptionsBodySchema,
    'For startAuthentication(); the challenge lasts 5 min',
  )
  @ErrorResponse(429, 'too many sign-in options from this address', { retryAfter: true })
  @ErrorResponse(503, 'PUBLIC_URL is not set (production)')
  options(@CurrentSession() session: CurrentSession, @ClientAddress() address: string) {
    return this.signIns.options(session, address);
  }

  @Public()
  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in with a passkey (no password, no code)' })
  @JsonResponse(200, UserBodySchema, 'Signed in: a new session (and cookie) that holds the user')
  @ErrorResponse(
    401,
    'unknown passkey, bad signature, wrong, expired or used challenge, counter not increasing',
  )
  @ErrorResponse(429, 'too many passkey sign-ins from this address', { retryAfter: true })
  async signIn(
    @CurrentSession() session: CurrentSession,
    @ValidBody(PasskeySignInSchema) dto: PasskeySignInDto,
    @Client() client: RequestClient,
  ): Promise<{ user: PublicUser }> {
    const response = dto.response as AuthenticationResponseJSON;
    const user = await this.signIns.signIn(session, response, { remember: dto.remember, client });
    return { user };
  }
}

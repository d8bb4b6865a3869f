import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiResponse } from '@nestjs/swagger';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { PublicUser } from '../auth/auth.service';
import { CurrentUser } from '../auth/current-user.decorator';
import { ValidBody } from '../common/validation';
import { ErrorResponse, JsonResponse } from '../docs/openapi.decorators';
import { CurrentSession } from '../session';
import { PasskeyOptionsBodySchema, PasskeyReauthSchema } from './dto/passkeys.dto';
import type { PasskeyReauthDto } from './dto/passkeys.dto';
import { PasskeySignInService } from './passkey-sign-in.service';

/** `POST /reauth/passkey/options` and `POST /reauth/passkey`: a passkey instead of the password at `/reauth`. */
@Controller('reauth/passkey')
export class PasskeyReauthController {
  constructor(private readonly signIns: PasskeySignInService) {}

  @Post('options')
  @HttpCode(200)
  @ApiOperation({ summary: "Options for re-authenticating with one of the user's passkeys" })
  @JsonResponse(
    200,
    PasskeyOptionsBodySchema,
    'For startAuthentication(); the challenge lasts 5 min',
  )
  @ErrorResponse(503, 'PUBLIC_URL is not set (production)')
  options(@CurrentUser() user: PublicUser, @CurrentSession() session: CurrentSession) {
    return this.signIns.reauthOptions(session, user);
  }

  @Post()
  @HttpCode(204)
  @ApiOperation({ summary: 'Re-authenticate with a passkey' })
  @ApiResponse({ status: 204, description: 'The session counts as recently authenticated' })
  @ErrorResponse(403, "the passkey does not verify, or is not one of this account's")
  @ErrorResponse(429, 'too many password or passkey entries', { retryAfter: true })
  async reauthenticate(
    @CurrentUser() user: PublicUser,
    @CurrentSession() session: CurrentSession,
    @ValidBody(PasskeyReauthSchema) dto: PasskeyReauthDto,
  ): Promise<void> {
    await this.signIns.reauthenticate(session, user, dto.response as AuthenticationResponseJSON);
  }
}

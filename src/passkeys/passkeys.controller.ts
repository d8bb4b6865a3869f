import { Controller, Delete, Get, HttpCode, Param, Patch, Post, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse } from '@nestjs/swagger';
import type { RegistrationResponseJSON } from '@simplewebauthn/server';
import { RecentAuth } from '../accounts/recent-auth.guard';
import type { PublicUser } from '../auth/auth.service';
import { CurrentUser } from '../auth/current-user.decorator';
import { Client, WantsJson } from '../common/negotiation';
import type { RequestClient } from '../common/negotiation';
import { Responder } from '../common/responder';
import { ValidBody } from '../common/validation';
import { ErrorResponse, JsonResponse } from '../docs/openapi.decorators';
import { CurrentSession } from '../session';
import {
  PasskeyBodySchema,
  PasskeyOptionsBodySchema,
  PasskeysBodySchema,
  RegisterPasskeySchema,
  RenamePasskeySchema,
} from './dto/passkeys.dto';
import type { PasskeyView, RegisterPasskeyDto, RenamePasskeyDto } from './dto/passkeys.dto';
import { PasskeysService } from './passkeys.service';

const LIST = '/account#passkeys';

/**
 * The signed-in user's passkeys: registration (recent authentication), the list, rename, delete (recent
 * authentication). JSON for the page's script and API clients; rename and delete also as form posts.
 * Renaming needs no recent authentication: a name only labels a passkey, it grants nothing.
 */
@Controller('account/passkeys')
export class PasskeysController {
  constructor(
    private readonly passkeys: PasskeysService,
    private readonly respond: Responder,
  ) {}

  @Post('options')
  @HttpCode(200)
  @RecentAuth()
  @ApiOperation({ summary: 'Registration options for a new passkey' })
  @JsonResponse(200, PasskeyOptionsBodySchema, 'For startRegistration(); the challenge lasts 5 min')
  @ErrorResponse(409, 'the account holds the most passkeys it may (20)')
  @ErrorResponse(503, 'PUBLIC_URL is not set (production)')
  options(@CurrentUser() user: PublicUser, @CurrentSession() session: CurrentSession) {
    return this.passkeys.registrationOptions(session, user);
  }

  @Post()
  @HttpCode(201)
  @RecentAuth()
  @ApiOperation({ summary: 'Register a passkey (the answer to the options)' })
  @JsonResponse(201, PasskeyBodySchema, 'Added; a notice is mailed')
  @ErrorResponse(400, 'wrong, expired or used challenge, wrong origin or RP ID, bad response')
  @ErrorResponse(409, 'this passkey is registered already')
  async register(
    @CurrentUser() user: PublicUser,
    @CurrentSession() session: CurrentSession,
    @ValidBody(RegisterPasskeySchema) dto: RegisterPasskeyDto,
    @Client() client: RequestClient,
  ): Promise<{ passkey: Pick<PasskeyView, 'id' | 'name' | 'createdAt'> }> {
    const response = dto.response as RegistrationResponseJSON;
    const passkey = await this.passkeys.register(
      session,
      user,
      response,
      dto.name,
      client.userAgent,
    );
    return { passkey: { id: passkey.id, name: passkey.name, createdAt: passkey.createdAt } };
  }

  @Get()
  @JsonResponse(200, PasskeysBodySchema, "The account's passkeys, oldest first")
  async list(
    @CurrentUser() user: PublicUser,
    @WantsJson() json: boolean,
    @Res({ passthrough: true }) res: unknown,
  ): Promise<{ passkeys: PasskeyView[] } | string> {
    if (!json) return this.respond.redirect(res, LIST);
    return { passkeys: await this.passkeys.list(user.id) };
  }

  @Patch(':id')
  @HttpCode(204)
  @ApiResponse({ status: 204, description: 'Renamed' })
  @ErrorResponse(404, 'no passkey of yours has this id')
  async rename(
    @CurrentUser() user: PublicUser,
    @Param('id') id: string,
    @ValidBody(RenamePasskeySchema) dto: RenamePasskeyDto,
  ): Promise<void> {
    await this.passkeys.rename(user.id, id, dto.name);
  }

  /** The form spelling of `PATCH /account/passkeys/:id`. */
  @Post(':id/rename')
  @ApiResponse({ status: 302, description: 'Renamed; back to the account page' })
  @ErrorResponse(404, 'no passkey of yours has this id')
  async renameForm(
    @CurrentUser() user: PublicUser,
    @Param('id') id: string,
    @ValidBody(RenamePasskeySchema) dto: RenamePasskeyDto,
    @Res({ passthrough: true }) res: unknown,
  ): Promise<string> {
    await this.passkeys.rename(user.id, id, dto.name);
    return this.respond.redirect(res, LIST);
  }

  @Delete(':id')
  @HttpCode(204)
  @RecentAuth()
  @ApiResponse({ status: 204, description: 'Deleted; a notice is mailed' })
  @ErrorResponse(404, 'no passkey of yours has this id')
  async delete(@CurrentUser() user: PublicUser, @Param('id') id: string): Promise<void> {
    await this.passkeys.delete(user, id);
  }

  /** The form spelling of `DELETE /account/passkeys/:id` (HTML forms cannot send DELETE). */
  @Post(':id/delete')
  @RecentAuth()
  @ApiResponse({ status: 302, description: 'Deleted; back to the account page' })
  @ErrorResponse(404, 'no passkey of yours has this id')
  async deleteForm(
    @CurrentUser() user: PublicUser,
    @Param('id') id: string,
    @Res({ passthrough: true }) res: unknown,
  ): Promise<string> {
    await this.passkeys.delete(user, id);
    return this.respond.redirect(res, LIST);
  }
}

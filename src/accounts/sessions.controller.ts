import {
  Controller,
  Delete,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  Post,
  Res,
} from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import type { PublicUser } from '../auth/auth.service';
import { AuthService } from '../auth/auth.service';
import { CurrentUser } from '../auth/current-user.decorator';
import { SessionRecordsService } from '../auth/session-records.service';
import { WantsJson } from '../common/negotiation';
import { Responder } from '../common/responder';
import { ErrorResponse, JsonResponse } from '../docs/openapi.decorators';
import { CurrentSession } from '../session';
import { SessionsBodySchema } from './dto/sessions.dto';
import type { SessionView } from './dto/sessions.dto';
import { RecentAuth } from './recent-auth.guard';

/** No live session of the signed-in user has this id (another user's, an ended one, or none). */
export class SessionNotFoundError extends NotFoundException {
  constructor() {
    super('no session of yours has this id: it may have ended already');
  }
}

/**
 * The signed-in user's sessions (one per sign-in, on any device): the list, signing one out, and signing
 * out every other. Pages show them on `/account`; these routes answer JSON, and forms where HTML posts.
 */
@Controller()
export class SessionsController {
  constructor(
    private readonly records: SessionRecordsService,
    private readonly auth: AuthService,
    private readonly respond: Responder,
  ) {}

  @Get('account/sessions')
  @JsonResponse(200, SessionsBodySchema, 'The live sessions, newest first; this one is `current`')
  async list(
    @CurrentUser() user: PublicUser,
    @CurrentSession() session: CurrentSession,
    @WantsJson() json: boolean,
    @Res({ passthrough: true }) res: unknown,
  ): Promise<{ sessions: SessionView[] } | string> {
    if (!json) return this.respond.redirect(res, '/account#sessions');
    return { sessions: await sessionViews(this.records, user.id, session.session_record) };
  }

  @Delete('account/sessions/:id')
  @HttpCode(204)
  @RecentAuth()
  @ApiResponse({
    status: 204,
    description: 'That session is signed out on every instance within 1 s',
  })
  @ErrorResponse(404, 'no live session of yours has this id')
  async end(
    @CurrentUser() user: PublicUser,
    @CurrentSession() session: CurrentSession,
    @Param('id') id: string,
  ): Promise<void> {
    await this.endOne(user, session, id);
  }

  /** The form spelling of `DELETE /account/sessions/:id` (HTML forms cannot send DELETE). */
  @Post('account/sessions/:id/delete')
  @RecentAuth()
  async endForm(
    @CurrentUser() user: PublicUser,
    @CurrentSession() session: CurrentSession,
    @Param('id') id: string,
    @Res({ passthrough: true }) res: unknown,
  ): Promise<string> {
    const wasCurrent = await this.endOne(user, session, id);
    return this.respond.redirect(res, wasCurrent ? '/' : '/account#sessions');
  }

  @Post('logout/others')
  @HttpCode(204)
  @ApiResponse({
    status: 204,
    description: 'Every other session of yours is signed out; this one stays',
  })
  async logoutOthers(
    @CurrentUser() user: PublicUser,
    @CurrentSession() session: CurrentSession,
    @WantsJson() json: boolean,
    @Res({ passthrough: true }) res: unknown,
  ): Promise<string | undefined> {
    await this.auth.logoutOthers(user, session);
    return json ? undefined : this.respond.redirect(res, '/account#sessions');
  }

  /** Ends one session of the user (this one is a logout); whether it was this one. @throws 404. */
  private async endOne(user: PublicUser, session: CurrentSession, id: string): Promise<boolean> {
    if (id === session.session_record) {
      await this.auth.logout(session);
      return true;
    }
    if (!(await this.records.endOne(user.id, id))) throw new SessionNotFoundError();
    return false;
  }
}

/** The user's live sessions as the list and the account page show them. */
export async function sessionViews(
  records: SessionRecordsService,
  userId: number,
  current: unknown,
): Promise<SessionView[]> {
  return (await records.list(userId)).map((record) => ({
    id: record.id,
    current: record.id === current,
    createdAt: new Date(record.createdAt).toISOString(),
    lastSeenAt: new Date(record.lastSeenAt).toISOString(),
    ip: record.ip,
    device: record.device,
  }));
}

import { CsrfExempt } from '../../src/csrf/csrf.guard';
import {
  Body,
  CallHandler,
  CanActivate,
  Controller,
  ExecutionContext,
  ForbiddenException,
  Get,
  Header,
  HttpCode,
  Injectable,
  Module,
  NestInterceptor,
  Param,
  Post,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { tap } from 'rxjs';
import { CurrentSession, rawHttp } from '../../src/session';
import { Public } from '../../src/auth/public.decorator';

// Declaration merging, as an app does it: these keys are typed on `CurrentSession` from here on.
declare module '../../src/session' {
  interface SessionData {
    user_id: number;
    cart: string[];
  }
}

/** Writes the session, then refuses: the response comes from the exception filter, not the interceptor. */
@Injectable()
class WriteThenForbidGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    rawHttp(context).req.session!.set('guard', 'was here');
    throw new ForbiddenException('guard says no');
  }
}

/** Flask's `after_request` that writes the session: the write still lands (test_session_stored_last). */
@Injectable()
class WriteAfterHandlerInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler) {
    return next.handle().pipe(tap(() => rawHttp(context).req.session!.set('foo', 42)));
  }
}

/** Test-only routes over the session API; never part of `src/`. */
/** Test-only routes: posted by supertest, never by a browser form, so exempt from CSRF. */
@CsrfExempt()
@Public()
@Controller('s')
export class SessionTestController {
  @Get()
  read(@CurrentSession() session: CurrentSession): Record<string, unknown> {
    return session.toJSON();
  }

  @Get('meta')
  meta(@CurrentSession() session: CurrentSession) {
    return {
      id: session.id,
      new: session.new,
      permanent: session.permanent,
      modified: session.modified,
    };
  }

  @Post('set')
  @HttpCode(200)
  set(
    @CurrentSession() session: CurrentSession,
    @Body() body: Record<string, unknown>,
  ): Record<string, unknown> {
    for (const [key, value] of Object.entries(body)) session.set(key, value);
    return session.toJSON();
  }

  @Post('typed')
  @HttpCode(200)
  typed(@CurrentSession() session: CurrentSession): { cart: string[] } {
    session.cart = ['typed']; // typed through SessionData
    return { cart: session.cart };
  }

  @Post('permanent/:on')
  @HttpCode(200)
  permanent(
    @CurrentSession() session: CurrentSession,
    @Param('on') on: string,
  ): { permanent: boolean } {
    session.set('marker', 1);
    session.permanent = on === 'true';
    return { permanent: session.permanent };
  }

  @Post('delete/:key')
  @HttpCode(200)
  remove(
    @CurrentSession() session: CurrentSession,
    @Param('key') key: string,
  ): { deleted: boolean } {
    return { deleted: session.delete(key) };
  }

  @Post('clear')
  @HttpCode(204)
  clear(@CurrentSession() session: CurrentSession): void {
    session.clear();
  }

  @Post('cart')
  @HttpCode(201)
  addToCart(
    @CurrentSession() session: CurrentSession,
    @Body() body: { item: string },
  ): { count: number } {
    session.cart ??= [];
    session.cart.push(body.item);
    session.modified = true;
    return { count: session.cart.length };
  }

  @Post('cart/forgetful')
  @HttpCode(201)
  addWithoutFlag(
    @CurrentSession() session: CurrentSession,
    @Body() body: { item: string },
  ): { count: number } {
    const cart = session.cart ?? [];
    cart.push(body.item);
    return { count: cart.length };
  }

  @Post('regenerate')
  @HttpCode(200)
  async regenerate(@CurrentSession() session: CurrentSession): Promise<{ id: string }> {
    await session.regenerate();
    session.set('fresh', true);
    return { id: session.id };
  }

  @Post('big/:bytes')
  @HttpCode(200)
  big(@CurrentSession() session: CurrentSession, @Param('bytes') bytes: string): { ok: true } {
    session.set('big', 'x'.repeat(Number(bytes)));
    return { ok: true };
  }

  /** Holds the session's write turn for `ms` (at most 10 s), then writes: a request that is slow to answer. */
  @Post('slow/:ms')
  @HttpCode(200)
  async slow(
    @CurrentSession() session: CurrentSession,
    @Param('ms') ms: string,
  ): Promise<{ ok: true }> {
    await new Promise((resolve) => setTimeout(resolve, Math.min(Number(ms), 10_000)));
    session.set('slow', true);
    return { ok: true };
  }

  @Get('untouched')
  untouched(): { ok: true } {
    return { ok: true };
  }

  @Get('vary-preset')
  @Header('Vary', 'Accept-Encoding, Accept-Language')
  varyPreset(@CurrentSession() session: CurrentSession): { ok: true } {
    session.set('test', 'test');
    return { ok: true };
  }

  @Post('write-without-key')
  @HttpCode(200)
  writeWithoutKey(@CurrentSession() session: CurrentSession): { read: unknown; error: string } {
    const read = session.get('anything');
    try {
      session.set('foo', 42);
      return { read, error: '' };
    } catch (err) {
      return { read, error: (err as Error).message };
    }
  }

  @Get('guarded')
  @UseGuards(WriteThenForbidGuard)
  guarded(): never {
    throw new Error('unreachable');
  }

  @Get('stored-last')
  @UseInterceptors(WriteAfterHandlerInterceptor)
  storedLast(@CurrentSession() session: CurrentSession): { foo: unknown } {
    return { foo: session.get('foo') ?? null };
  }
}

@Module({ controllers: [SessionTestController] })
export class SessionTestModule {}

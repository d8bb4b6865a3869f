import { CsrfExempt } from '../../src/csrf/csrf.guard';
import {
  Controller,
  Get,
  HttpCode,
  MiddlewareConsumer,
  Module,
  NestModule,
  Post,
  Req,
  Res,
  UnauthorizedException,
} from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { Passport } from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import { Public } from '../../src/auth/public.decorator';

interface TestUser {
  id: number;
  email: string;
}

const USERS: TestUser[] = [{ id: 1, email: 'test@example.com' }];

/** A Passport 0.7 instance as an express app sets one up: local strategy, users serialised by id. */
function createPassport(): InstanceType<typeof Passport> {
  const passport = new Passport();
  passport.use(
    new LocalStrategy({ usernameField: 'email' }, (email, password, done) => {
      const user = USERS.find((u) => u.email === email);
      done(null, user && password === 'password' ? user : false);
    }),
  );
  passport.serializeUser((user, done) => done(null, (user as TestUser).id));
  passport.deserializeUser((id: number, done) =>
    done(null, USERS.find((u) => u.id === id) ?? false),
  );
  return passport;
}

const passport = createPassport();

function toError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

/** Test-only: Passport's own `authenticate` + `req.login` (regenerate, save) and `req.logout` (save, regenerate). */
/** Test-only routes: posted by supertest, never by a browser form, so exempt from CSRF. */
@CsrfExempt()
@Public()
@Controller('p')
class PassportTestController {
  @Post('login')
  @HttpCode(200)
  login(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<{ user: unknown }> {
    return new Promise((resolve, reject) => {
      const next: NextFunction = (err?: unknown) => reject(toError(err));
      const authenticate = passport.authenticate(
        'local',
        (err: unknown, user: TestUser | false) => {
          if (err) return reject(toError(err));
          if (!user) return reject(new UnauthorizedException('invalid email or password'));
          req.login(user, (loginErr) => (loginErr ? reject(toError(loginErr)) : resolve({ user })));
        },
      ) as (req: Request, res: Response, next: NextFunction) => void;
      authenticate(req, res, next);
    });
  }

  @Get('me')
  me(@Req() req: Request): { user: unknown } {
    return { user: req.user ?? null };
  }

  @Post('logout')
  @HttpCode(204)
  logout(@Req() req: Request): Promise<void> {
    return new Promise((resolve, reject) =>
      req.logout((err) => (err ? reject(toError(err)) : resolve())),
    );
  }
}

/** Passport's middleware after the session middleware (SessionModule is global, so its middleware runs first). */
@Module({ controllers: [PassportTestController] })
export class PassportTestModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(passport.initialize(), passport.session()).forRoutes('{*path}');
  }
}

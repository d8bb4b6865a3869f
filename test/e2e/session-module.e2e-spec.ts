import { Controller, Get, INestApplication, Logger, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { CurrentSession, installSessions, SessionModule } from '../../src/session';
import { cookiePair, sessionSetCookie } from '../support/session-test-app';
import { PLATFORMS, testConfig } from '../support/test-app';

declare module '../../src/session' {
  interface SessionData {
    visits: number;
  }
}

@Controller()
class VisitsController {
  @Get('visits')
  read(@CurrentSession() session: CurrentSession) {
    return { visits: session.visits ?? 0 };
  }

  @Post('visits')
  count(@CurrentSession() session: CurrentSession) {
    session.visits = (session.visits ?? 0) + 1;
    return { visits: session.visits };
  }
}

/** The session layer alone in another app, as the README tells people to take it: no AppModule. */
@Module({
  imports: [SessionModule.forRoot({ session: testConfig().config.session })],
  controllers: [VisitsController],
})
class OtherAppModule {}

async function otherApp(platform: string, install: boolean): Promise<INestApplication> {
  const adapter = platform === 'fastify' ? new FastifyAdapter() : new ExpressAdapter();
  const app = await NestFactory.create(OtherAppModule, adapter, { logger: false });
  if (install) installSessions(app);
  await app.init();
  if (platform === 'fastify')
    await (app as NestFastifyApplication).getHttpAdapter().getInstance().ready();
  return app;
}

describe.each(PLATFORMS)('SessionModule in another app on %s', (platform) => {
  it('keeps a session across requests once installSessions(app) ran', async () => {
    const app = await otherApp(platform, true);
    try {
      const first = await request(app.getHttpServer()).post('/visits').expect(201);
      expect(first.body).toEqual({ visits: 1 });
      const cookie = cookiePair(sessionSetCookie(first.headers)!);
      const second = await request(app.getHttpServer()).post('/visits').set('Cookie', cookie);
      expect(second.body).toEqual({ visits: 2 });
      const read = await request(app.getHttpServer())
        .get('/visits')
        .set('Cookie', cookiePair(sessionSetCookie(second.headers)!));
      expect(read.body).toEqual({ visits: 2 });
      expect(read.headers.vary).toMatch(/Cookie/);
    } finally {
      await app.close();
    }
  });

  it('without installSessions(app), a route that uses the session fails naming it', async () => {
    const app = await otherApp(platform, false);
    const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    try {
      await request(app.getHttpServer()).get('/visits').expect(500);
      const logged = error.mock.calls.map((call) => String(call[0])).join('\n');
      expect(logged).toContain('installSessions(app)');
    } finally {
      error.mockRestore();
      await app.close();
    }
  });
});

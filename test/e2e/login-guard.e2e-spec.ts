import { Controller, Get, INestApplication, Module } from '@nestjs/common';
import request from 'supertest';
import { CurrentUser } from '../../src/auth/current-user.decorator';
import type { PublicUser } from '../../src/auth/auth.service';
import { Public } from '../../src/auth/public.decorator';
import { createApp } from '../../src/create-app';
import { SEED_EMAIL, SEED_PASSWORD } from '../support/auth-setup';
import { PLATFORMS, testConfig } from '../support/test-app';

/** Test-only routes: one added without a thought for access, one marked public. */
@Controller('guard-test')
class GuardTestController {
  @Get('added-later')
  addedLater(@CurrentUser() user: PublicUser): { user: PublicUser } {
    return { user };
  }

  @Public()
  @Get('open')
  open(): { open: true } {
    return { open: true };
  }
}

@Module({ controllers: [GuardTestController] })
class GuardTestModule {}

describe.each(PLATFORMS)('LoginGuard on %s', (platform) => {
  let app: INestApplication;
  beforeAll(async () => {
    const config = testConfig({ HTTP_ADAPTER: platform, DATABASE_URL: 'sqlite::memory:' });
    app = await createApp(config, { logger: ['error'], imports: [GuardTestModule] });
  });
  afterAll(() => app.close());

  it('closes a route nobody marked @Public(): 401 for JSON, the login page for a browser', async () => {
    await request(app.getHttpServer())
      .get('/guard-test/added-later')
      .set('Accept', 'application/json')
      .expect(401, { error: 'login required' });
    await request(app.getHttpServer())
      .get('/guard-test/added-later')
      .expect(302)
      .expect('Location', '/login?next=/guard-test/added-later');
    await request(app.getHttpServer()).get('/guard-test/open').expect(200, { open: true });
  });

  it('hands the signed-in user to @CurrentUser()', async () => {
    const agent = request.agent(app.getHttpServer());
    await agent.post('/login').send({ email: SEED_EMAIL, password: SEED_PASSWORD }).expect(200);

    const res = await agent.get('/guard-test/added-later').set('Accept', 'application/json');

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ user: { id: expect.any(Number), email: SEED_EMAIL } });
  });
});

import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createTestApp, PLATFORMS } from '../support/test-app';

describe.each(PLATFORMS)('GET /healthz on %s', (platform) => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await createTestApp({ HTTP_ADAPTER: platform });
  });

  afterAll(async () => {
    await app.close();
  });

  it('answers {"status":"ok"} with JSON', async () => {
    const res = await request(app.getHttpServer()).get('/healthz').expect(200);
    expect(res.body).toEqual({ status: 'ok' });
    expect(res.headers['content-type']).toMatch(/^application\/json/);
  });

  it('answers 404 for an unknown route, not 500', async () => {
    await request(app.getHttpServer()).get('/no-such-route').expect(404);
  });
});

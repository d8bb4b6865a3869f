import { Controller, Get, INestApplication, Module } from '@nestjs/common';
import request from 'supertest';
import { createApp } from '../../src/create-app';
import { ClientAddress } from '../../src/common/negotiation';
import { PLATFORMS, testConfig } from '../support/test-app';
import { Public } from '../../src/auth/public.decorator';

/** Test-only: the client address as the app sees it. */
@Public()
@Controller('test-client-address')
class ClientAddressController {
  @Get()
  show(@ClientAddress() address: string): { address: string } {
    return { address };
  }
}

@Module({ controllers: [ClientAddressController] })
class ClientAddressModule {}

/** What each `TRUST_PROXY` spelling makes of `X-Forwarded-For: 203.0.113.7, 198.51.100.2` from 127.0.0.1. */
const CASES: [string, string][] = [
  ['false', '127.0.0.1'],
  ['true', '203.0.113.7'],
  ['1', '198.51.100.2'],
  ['2', '203.0.113.7'],
  ['loopback', '198.51.100.2'],
];

describe.each(PLATFORMS)('TRUST_PROXY on %s', (adapter) => {
  describe.each(CASES)('TRUST_PROXY=%s', (trustProxy, expected) => {
    let app: INestApplication;
    beforeAll(async () => {
      const config = testConfig({ HTTP_ADAPTER: adapter, TRUST_PROXY: trustProxy });
      app = await createApp(config, { logger: ['error'], imports: [ClientAddressModule] });
    });
    afterAll(() => app.close());

    it(`sees the client at ${expected}`, async () => {
      const res = await request(app.getHttpServer())
        .get('/test-client-address')
        .set('X-Forwarded-For', '203.0.113.7, 198.51.100.2')
        .expect(200);

      const { address } = res.body as { address: string };
      expect(address.replace(/^::ffff:/, '')).toBe(expected);
    });
  });
});

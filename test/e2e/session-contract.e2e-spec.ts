import { describeSessionStore } from '../support/session-contract';
import { deleteKeys, describeWithRedis, uniquePrefix } from '../support/redis';

describeSessionStore('cookie', () => ({ SESSION_STORE: 'cookie' }));
describeSessionStore('memory', () => ({ SESSION_STORE: 'memory' }));

describeWithRedis('redis store contract', (url) => {
  const prefix = uniquePrefix('contract');
  afterAll(() => deleteKeys(url, prefix));
  describeSessionStore('redis', () => ({
    SESSION_STORE: 'redis',
    REDIS_URL: url,
    APP_SESSION_KEY_PREFIX: prefix,
  }));
});

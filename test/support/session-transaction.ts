import { INestApplication } from '@nestjs/common';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { CookieAccessInfo } from 'cookiejar';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import type { ConfigType } from '@nestjs/config';
import { sessionConfig } from '../../src/config/namespaces';
import { createSession } from '../../src/session/api/request-session';
import { SESSION_BACKEND, SessionBackend } from '../../src/session/backends/session-backend';
import { SessionLifecycle } from '../../src/session/http/session-lifecycle';
import { CurrentSession } from '../../src/session';
import { SESSION_STATE, SessionRequest } from '../../src/session/api/node-request';
import { SessionRecordsService } from '../../src/auth/session-records.service';

const appOfAgent = new WeakMap<object, INestApplication>();

/** A supertest agent that keeps cookies and that `sessionTransaction` can reach the app through. */
export function sessionAgent(app: INestApplication): TestAgent {
  const agent = request.agent(app.getHttpServer());
  appOfAgent.set(agent, app);
  return agent;
}

/**
 * Flask's `client.session_transaction()`: opens the session that the agent's cookie names, lets `change`
 * edit it, and stores it back the way a response would (a real sealed cookie, or a real store write), then
 * puts the new cookie in the agent's jar. Uses the app's own backend and lifecycle; no test route.
 */
export async function sessionTransaction(
  agent: TestAgent,
  change: (session: CurrentSession) => void | Promise<void>,
): Promise<void> {
  const app = appOfAgent.get(agent);
  if (!app)
    throw new TypeError(
      'Cookies are disabled: create the client with sessionAgent(app), which keeps cookies',
    );
  const { name } = app.get<ConfigType<typeof sessionConfig>>(sessionConfig.KEY).cookie;
  const jar = agent.jar;
  const stored = jar.getCookie(name, CookieAccessInfo.All)?.value;
  // The jar keeps the cookie's exact text, which is what the backend accepts.
  const state = await app.get<SessionBackend>(SESSION_BACKEND).open(stored);
  if (state.readOnly)
    throw new Error('CurrentSession backend did not open a session: the app has no SECRET_KEY');
  await change(createSession(state));
  const req = Object.assign(new IncomingMessage(new Socket()), {
    [SESSION_STATE]: state,
  }) as SessionRequest;
  const res = new ServerResponse(req);
  await app.get(SessionLifecycle).commit(req, res);
  const header = res.getHeader('set-cookie');
  for (const line of Array.isArray(header) ? header : []) jar.setCookie(line, '127.0.0.1', '/');
}

/**
 * Signs `userId` in on the agent's session without a login route, as a login would: a sign-in record
 * (`SessionRecordsService`), then `user_id` and `session_record` stored by `sessionTransaction`.
 */
export async function signInAs(agent: TestAgent, userId: number): Promise<void> {
  const app = appOfAgent.get(agent);
  if (!app) throw new TypeError('create the client with sessionAgent(app)');
  const client = { address: '127.0.0.1', userAgent: 'sessionTransaction' };
  const record = await app.get(SessionRecordsService).start(userId, client);
  await sessionTransaction(agent, (session) => {
    session.user_id = userId;
    session.session_record = record.id;
  });
}

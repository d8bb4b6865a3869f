import fc from 'fast-check';
import { csrfFrom } from '../support/auth-setup';
import { eachTarget, HostileTarget, startHostileTarget } from '../support/reliability/apps';
import { HostileBody, hostileBody, POST_ROUTES } from '../support/reliability/hostile-bodies';
import { cookiesOf, jsonOf, RawResponse } from '../support/reliability/http-client';
import { PROFILE, PROPERTY_TIMEOUT_MS, SEED } from '../support/reliability/profile';

const SUCCESS = [200, 201, 204, 302];
const PROTOTYPE_NAMES = Object.getOwnPropertyNames(Object.prototype).sort();

function prototypeIsClean(): boolean {
  const probe = {} as Record<string, unknown>;
  return (
    probe.polluted === undefined &&
    JSON.stringify(Object.getOwnPropertyNames(Object.prototype).sort()) ===
      JSON.stringify(PROTOTYPE_NAMES)
  );
}

/** A JSON client (JSON body or `Accept: application/json`) gets `{"error": "…"}`; others get a page. */
function expectMessage(res: RawResponse, input: HostileBody): void {
  const jsonClient = input.accept === 'json' || /json/.test(input.contentType ?? '');
  const body = jsonOf(res) as { error?: unknown } | undefined;
  if (jsonClient || /json/.test(String(res.headers['content-type']))) {
    expect(typeof body?.error).toBe('string');
    expect(String(body?.error).length).toBeGreaterThan(0);
  } else {
    expect(res.text.length).toBeGreaterThan(0);
  }
}

/**
 * Every malformed body is a 4xx with a message, never a 5xx. A body that happens to be valid
 * may succeed; nothing may give a 5xx, and `Object.prototype` stays as it was.
 */
eachTarget('hostile request bodies', (platform, store) => {
  let target: HostileTarget;
  beforeAll(async () => {
    target = await startHostileTarget(platform, store);
  });
  afterAll(() => target?.close());

  async function csrfHeaders(): Promise<Record<string, string>> {
    const page = await target.client.send({ path: '/login' });
    const cookie = cookiesOf(page);
    return { 'X-CSRF-Token': csrfFrom(page.text), ...(cookie ? { Cookie: cookie } : {}) };
  }

  it.each(POST_ROUTES)(
    `POST %s: never 5xx, a message with every 4xx, Object.prototype untouched (${PROFILE.bodyRuns} runs)`,
    async (path) => {
      await fc.assert(
        fc.asyncProperty(hostileBody(), async (input) => {
          const headers: Record<string, string> = input.withCsrf ? await csrfHeaders() : {};
          if (input.contentType !== undefined) headers['Content-Type'] = input.contentType;
          if (input.accept !== 'none')
            headers.Accept = input.accept === 'json' ? 'application/json' : 'text/html';
          const res = await target.client.send({ method: 'POST', path, headers, body: input.body });
          if (!SUCCESS.includes(res.status)) {
            expect(res.status).toBeGreaterThanOrEqual(400);
            expect(res.status).toBeLessThan(500);
            expectMessage(res, input);
          }
          expect(prototypeIsClean()).toBe(true);
        }),
        { numRuns: PROFILE.bodyRuns, seed: SEED + POST_ROUTES.indexOf(path), endOnFailure: true },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});

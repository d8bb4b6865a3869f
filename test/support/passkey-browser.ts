import { uniqueEmail } from './auth-setup';
import { RawClient, RawResponse, jsonOf, setCookiePair } from './reliability/http-client';
import { CreationOptions, SoftwareAuthenticator } from './software-authenticator';

/** The `PUBLIC_URL` the passkey suites give their apps: the relying party `localhost`. */
export const ORIGIN = 'http://localhost:3000';
const PASSWORD = 'long-enough-password';
const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/** A passkey as `GET /account/passkeys` lists it. */
export interface PasskeyJson {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  backedUp: boolean;
}

let browsers = 0;

/**
 * One browser: its session cookie, kept as a browser keeps it, and an address of its own (the apps trust
 * one proxy hop), so the per-address limit on passkey sign-ins counts each test's browsers apart.
 */
export class Browser {
  cookie = '';

  constructor(
    private readonly client: RawClient,
    readonly address = `198.51.100.${(browsers++ % 250) + 1}`,
  ) {}

  async send(method: string, route: string, body?: unknown): Promise<RawResponse> {
    const res = await this.client.send({
      method,
      path: route,
      headers: {
        Accept: 'application/json',
        'User-Agent': CHROME,
        'X-Forwarded-For': this.address,
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...(this.cookie ? { Cookie: this.cookie } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const set = setCookiePair(res, 'session');
    if (set !== undefined) this.cookie = set.endsWith('=') ? '' : set;
    return res;
  }

  async json<T>(method: string, route: string, status: number, body?: unknown): Promise<T> {
    const res = await this.send(method, route, body);
    if (res.status !== status) throw new Error(`${method} ${route}: ${res.status} ${res.text}`);
    return jsonOf(res) as T;
  }

  async dashboard(): Promise<number> {
    return (await this.send('GET', '/dashboard')).status;
  }
}

/** A registered user signed in with the password on a new browser. */
export async function signedInUser(
  client: RawClient,
): Promise<{ email: string; browser: Browser }> {
  const email = uniqueEmail('passkeys');
  const browser = new Browser(client);
  await browser.json('POST', '/register', 201, { email, password: PASSWORD });
  await browser.json('POST', '/login', 200, { email, password: PASSWORD });
  return { email, browser };
}

/** Options, then the authenticator's answer, posted: the registration's response. */
export async function addPasskey(
  browser: Browser,
  authenticator: SoftwareAuthenticator,
  name?: string,
): Promise<RawResponse> {
  const options = await browser.json<CreationOptions>('POST', '/account/passkeys/options', 200, {});
  return browser.send('POST', '/account/passkeys', {
    response: authenticator.create(options),
    ...(name ? { name } : {}),
  });
}

/** Sign-in options for a new browser, and the authenticator's answer to them. */
export async function assertion(client: RawClient, authenticator: SoftwareAuthenticator) {
  const browser = new Browser(client);
  const options = await browser.json<{ challenge: string; rpId: string }>(
    'POST',
    '/login/passkey/options',
    200,
    {},
  );
  return { browser, options, response: authenticator.get(options) };
}

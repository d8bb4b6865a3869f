import { MemoryStore } from 'express-session';
import fc from 'fast-check';
import type { IncomingMessage } from 'node:http';
import { CookieSessionBackend } from './cookie/cookie-backend';
import { SessionBackend } from './session-backend';
import { readSessionCookie } from '../http/cookie-header';
import { CookieSealer } from './cookie/cookie-format';
import { deriveKeys, KEY_PURPOSE } from './keys';
import { SessionIdSigner } from './store/signed-id';
import { StoreSessionBackend } from './store/store-backend';

const DAY_MS = 24 * 3600 * 1000;
const BINDING = { appId: 'unit-app', cookieName: 'session' };
const lifetimes = { lifetimeMs: 31 * DAY_MS, absoluteLifetimeMs: 31 * DAY_MS };
const RUNS = 10_000;

const BACKENDS: [string, () => SessionBackend][] = [
  [
    'cookie store',
    () =>
      new CookieSessionBackend(
        new CookieSealer(deriveKeys(['key'], KEY_PURPOSE.cookieCipher), BINDING),
        lifetimes,
      ),
  ],
  [
    'express-session store',
    () =>
      new StoreSessionBackend({
        ...lifetimes,
        store: new MemoryStore(),
        storeName: 'memory',
        signer: new SessionIdSigner(deriveKeys(['key'], KEY_PURPOSE.idSignature)),
      }),
  ],
];

const hex = (code: number, lower: boolean) => {
  const digits = code.toString(16).padStart(2, '0');
  return `%${lower ? digits : digits.toUpperCase()}`;
};

/** One way to spell the issued text otherwise: most carry the same bytes to a lenient decoder. */
type Edit = (text: string) => string;
const at = (text: string, i: number) => i % Math.max(1, text.length);

const edits: fc.Arbitrary<Edit> = fc.oneof(
  fc.tuple(fc.nat(), fc.boolean()).map(([i, lower]): Edit => (t) => {
    const k = at(t, i);
    return t.slice(0, k) + hex(t.charCodeAt(k), lower) + t.slice(k + 1);
  }),
  fc.boolean().map(
    (lower): Edit =>
      (t) =>
        t.replace(/%([0-9A-F]{2})/, (_, h: string) =>
          lower ? `%${h.toLowerCase()}` : decodeURIComponent(`%${h}`),
        ),
  ),
  fc.nat().map((i): Edit => (t) => {
    const k = at(t, i);
    const swap: Record<string, string> = { '-': '+', _: '/', '+': '-', '/': '_' };
    return t.slice(0, k) + (swap[t[k]] ?? t[k]) + t.slice(k + 1);
  }),
  fc.constantFrom('=', '==', '%3D', ' ', '\t', '.', '!', '~', ';', ',').map(
    (s): Edit =>
      (t) =>
        t + s,
  ),
  fc.tuple(fc.nat(), fc.constantFrom(' ', '\t', '%20', '+')).map(([i, s]): Edit => (t) => {
    const k = at(t, i);
    return t.slice(0, k) + s + t.slice(k);
  }),
  fc.constant<Edit>((t) => `"${t}"`),
  fc.constant<Edit>((t) => ` ${t}`),
  fc.constantFrom(...'AQgw-_BCDE'.split('')).map(
    (c): Edit =>
      (t) =>
        t.slice(0, -1) + c,
  ),
  fc.nat().map((i): Edit => (t) => {
    const k = at(t, i);
    const c = t[k];
    const other = c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase();
    return t.slice(0, k) + other + t.slice(k + 1);
  }),
);

/** Where the spelling sits in the header: alone, among other cookies, or after a decoy of the same name. */
const placements = fc.constantFrom(
  (v: string) => `session=${v}`,
  (v: string) => `a=1; session=${v}; b=2`,
  (v: string) => `session=${v}; session=decoy`,
);

const requestWith = (cookie: string) => ({ headers: { cookie } }) as IncomingMessage;

describe.each(BACKENDS)('%s: only the exact issued text opens the session', (_name, make) => {
  let sut: SessionBackend;
  let issued: string;
  beforeAll(async () => {
    sut = make();
    const state = await sut.open(undefined);
    state.values.user_id = 1;
    await sut.persist(state, 'set');
    issued = sut.cookieValue(state);
  });

  it('opens the issued text', async () => {
    const raw = readSessionCookie(requestWith(`session=${issued}`), 'session');
    expect((await sut.open(raw)).isNew).toBe(false);
  });

  it(`refuses ${RUNS.toLocaleString('en')} other spellings of it as a new empty session`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(edits, { minLength: 1, maxLength: 3 }),
        placements,
        async (chain, place) => {
          const variant = chain.reduce((text, edit) => edit(text), issued);
          const raw = readSessionCookie(requestWith(place(variant)), 'session');
          const opened = await sut.open(raw);
          expect(opened.isNew).toBe(raw !== issued);
          if (opened.isNew) expect(Object.keys(opened.values)).toEqual([]);
        },
      ),
      { numRuns: RUNS, seed: 20261201 },
    );
  });
});

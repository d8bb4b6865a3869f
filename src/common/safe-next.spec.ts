import { asciiLocation, safeNext } from './safe-next';

describe(safeNext.name, () => {
  it.each(['/dashboard', '/cart?x=1', '/a/b#c'])('keeps the local path %s', (next) => {
    expect(safeNext(next, '/home')).toBe(next);
  });

  it.each([
    ['/café', '/caf%C3%A9'],
    ['/\u2215x', '/%E2%88%95x'],
    ['/\uff0fevil.example', '/%EF%BC%8Fevil.example'],
    ['/a b', '/a%20b'],
    ['/%E2%88%95x', '/%E2%88%95x'],
  ])('percent-encodes %p as UTF-8 into the printable ASCII %p', (next, expected) => {
    expect(safeNext(next, '/home')).toBe(expected);
  });

  it.each([
    '//evil.example',
    '/\r\nSet-Cookie: x=1',
    '/\u0000',
    '/\ud800',
    '\u3000/evil.example',
    '///evil.example',
    '/\\evil.example',
    'https://evil.example/',
    'http:evil.example',
    'javascript:alert(1)',
    '%2F%2Fevil.example',
    '/\tevil',
    ' /dashboard',
    'dashboard',
    '',
    undefined,
    ['/dashboard'],
  ])('ignores %p', (next) => {
    expect(safeNext(next, '/home')).toBe('/home');
  });
});

describe(asciiLocation.name, () => {
  it('leaves printable ASCII alone and percent-encodes everything else as UTF-8', () => {
    expect(asciiLocation('/login?next=/dashboard')).toBe('/login?next=/dashboard');
    expect(asciiLocation('/é ∕')).toBe('/%C3%A9%20%E2%88%95');
  });
});

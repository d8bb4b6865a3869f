import { safeNext } from './safe-next';

describe(safeNext.name, () => {
  it.each(['/dashboard', '/cart?x=1', '/a/b#c'])('keeps the local path %s', (next) => {
    expect(safeNext(next, '/home')).toBe(next);
  });

  it.each([
    '//evil.example',
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

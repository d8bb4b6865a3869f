import { deriveKeys, KEY_PURPOSE } from '../keys';
import { SessionIdSigner } from './signed-id';

describe(SessionIdSigner.name, () => {
  const sut = new SessionIdSigner(deriveKeys(['new', 'old'], KEY_PURPOSE.idSignature));

  it('signs with the current key and verifies with every key', () => {
    const oldSigner = new SessionIdSigner(deriveKeys(['old'], KEY_PURPOSE.idSignature));
    expect(sut.verify(sut.sign('abc'))).toEqual({ id: 'abc', keyIndex: 0 });
    expect(sut.verify(oldSigner.sign('abc'))).toEqual({ id: 'abc', keyIndex: 1 });
    expect(sut.sign('abc')).toMatch(/^s:abc\./);
  });

  it('refuses a forged or unsigned id', () => {
    expect(sut.verify('s:abc.forged')).toBeNull();
    expect(sut.verify('abc')).toBeNull();
  });

  it('reads back the cookie value it issues, and no other spelling of it', () => {
    const value = sut.cookieValue('abc');
    expect(value).toMatch(/^s%3Aabc\./);
    expect(sut.idOf(value)).toEqual({ id: 'abc', keyIndex: 0 });
    expect(sut.idOf(value.replace('%3A', '%3a'))).toBeNull();
    expect(sut.idOf(decodeURIComponent(value))).toBeNull();
    expect(sut.idOf('%E0%A4%A')).toBeNull();
  });
});

import { PasskeysUnavailableError } from './passkeys.errors';
import { RelyingPartyConfig } from './relying-party';

describe(RelyingPartyConfig.name, () => {
  it("takes the RP ID from PUBLIC_URL's host name and the origin with its port", () => {
    const sut = new RelyingPartyConfig({ publicUrl: 'https://app.example.com:8443' });
    expect(sut.get()).toEqual({
      id: 'app.example.com',
      origin: 'https://app.example.com:8443',
      name: 'app.example.com:8443',
    });
  });

  it('answers 503 naming PUBLIC_URL when it is unset (production)', () => {
    const sut = new RelyingPartyConfig({ publicUrl: null });
    expect(() => sut.get()).toThrow(PasskeysUnavailableError);
    expect(() => sut.get()).toThrow('PUBLIC_URL');
  });
});

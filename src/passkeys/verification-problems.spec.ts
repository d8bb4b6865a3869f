import { responseProblem } from './verification-problems';

const rp = { id: 'app.example.com', origin: 'https://app.example.com', name: 'app.example.com' };

describe(responseProblem.name, () => {
  it('names the RP ID, origin and challenge from what @simplewebauthn/server throws', () => {
    const coded = (code: string) => Object.assign(new Error('x'), { code });
    expect(responseProblem(coded('UNEXPECTED_RP_ID'), rp).field).toBe('rpId');
    expect(responseProblem(coded('UNEXPECTED_ORIGIN'), rp)).toEqual({
      field: 'origin',
      reason: 'the response must come from https://app.example.com (PUBLIC_URL)',
    });
    const challenge = new Error('Unexpected registration response challenge "a", expected "b"');
    expect(responseProblem(challenge, rp).field).toBe('challenge');
  });

  it('keeps any other message, on the response as a whole', () => {
    const other = new Error('User verification was required, but user could not be verified');
    expect(responseProblem(other, rp)).toEqual({ field: 'response', reason: other.message });
  });
});

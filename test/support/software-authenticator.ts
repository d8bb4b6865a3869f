import { createHash, generateKeyPairSync, KeyObject, randomBytes, sign } from 'node:crypto';

/** What `generateRegistrationOptions` / `generateAuthenticationOptions` give, as far as an authenticator reads it. */
export interface CreationOptions {
  challenge: string;
  rp: { id?: string; name: string };
  user: { id: string; name: string };
  excludeCredentials?: { id: string }[];
}
export interface RequestOptions {
  challenge: string;
  rpId?: string;
}

/** What a test may change in one ceremony to play a phishing page, another site, or a replay. */
export interface Ceremony {
  origin?: string;
  rpId?: string;
  challenge?: string;
  /** Clear the user-verified flag. */
  unverified?: boolean;
}

export interface Credential {
  id: Buffer;
  key: KeyObject;
  cose: Buffer;
  rpId: string;
  userHandle: string;
  counter: number;
}

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_AT = 0x40;

/**
 * A WebAuthn authenticator in the test process (node:crypto, ES256, `none` attestation), answering the
 * options the app gives as a browser and a platform authenticator would: clientDataJSON, authenticator
 * data (RP ID hash, flags UP|UV(|AT), signature counter, attested credential data with a COSE key) and,
 * for a sign-in, the ECDSA signature over authenticator data + SHA-256(clientDataJSON).
 * `counterStep` 0 plays a synced passkey, which always reports a counter of 0.
 */
export class SoftwareAuthenticator {
  readonly credentials: Credential[] = [];

  constructor(
    readonly origin: string,
    private readonly counterStep = 1,
  ) {}

  /** `navigator.credentials.create()`: a new discoverable credential, as `startRegistration()` returns it. */
  create(options: CreationOptions, ceremony: Ceremony = {}) {
    const rpId = ceremony.rpId ?? options.rp.id ?? new URL(this.origin).hostname;
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' });
    const cose = cbor(
      new Map<number, unknown>([
        [1, 2], // kty: EC2
        [3, -7], // alg: ES256
        [-1, 1], // crv: P-256
        [-2, Buffer.from(jwk.x!, 'base64url')],
        [-3, Buffer.from(jwk.y!, 'base64url')],
      ]),
    );
    const credential: Credential = {
      id: randomBytes(16),
      key: privateKey,
      cose,
      rpId,
      userHandle: options.user.id,
      counter: 0,
    };
    this.credentials.push(credential);
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(credential.id.length);
    const attested = Buffer.concat([Buffer.alloc(16), idLength, credential.id, cose]);
    const authData = Buffer.concat([
      this.authData(rpId, FLAG_AT | this.flags(ceremony), credential.counter),
      attested,
    ]);
    const attestationObject = cbor(
      new Map<string, unknown>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', authData],
      ]),
    );
    const id = credential.id.toString('base64url');
    return {
      id,
      rawId: id,
      type: 'public-key' as const,
      response: {
        clientDataJSON: this.clientData('webauthn.create', options.challenge, ceremony),
        attestationObject: attestationObject.toString('base64url'),
        transports: ['internal'],
      },
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
    };
  }

  /** `navigator.credentials.get()` with `credential` (default: the last one made), as `startAuthentication()` returns it. */
  get(
    options: RequestOptions,
    ceremony: Ceremony & { credential?: Credential; counter?: number } = {},
  ) {
    const credential = ceremony.credential ?? this.credentials.at(-1);
    if (!credential) throw new Error('the authenticator holds no credential');
    credential.counter = ceremony.counter ?? credential.counter + this.counterStep;
    const authData = this.authData(
      ceremony.rpId ?? options.rpId ?? credential.rpId,
      this.flags(ceremony),
      credential.counter,
    );
    const clientDataJSON = this.clientData('webauthn.get', options.challenge, ceremony);
    const signed = Buffer.concat([
      authData,
      createHash('sha256').update(Buffer.from(clientDataJSON, 'base64url')).digest(),
    ]);
    const id = credential.id.toString('base64url');
    return {
      id,
      rawId: id,
      type: 'public-key' as const,
      response: {
        clientDataJSON,
        authenticatorData: authData.toString('base64url'),
        signature: sign('sha256', signed, credential.key).toString('base64url'),
        userHandle: credential.userHandle,
      },
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
    };
  }

  private flags(ceremony: Ceremony): number {
    return FLAG_UP | (ceremony.unverified ? 0 : FLAG_UV);
  }

  private authData(rpId: string, flags: number, counter: number): Buffer {
    const count = Buffer.alloc(4);
    count.writeUInt32BE(counter);
    return Buffer.concat([createHash('sha256').update(rpId).digest(), Buffer.from([flags]), count]);
  }

  private clientData(type: string, challenge: string, ceremony: Ceremony): string {
    const data = {
      type,
      challenge: ceremony.challenge ?? challenge,
      origin: ceremony.origin ?? this.origin,
      crossOrigin: false,
    };
    return Buffer.from(JSON.stringify(data)).toString('base64url');
  }
}

/**
 * The few CBOR types (RFC 8949) an attestation object and a COSE key need: integers, byte and text
 * strings, maps. Written here because no CBOR package is installed (the server's own decoder is private).
 */
export function cbor(value: unknown): Buffer {
  if (typeof value === 'number') {
    return value >= 0 ? head(0, value) : head(1, -1 - value);
  }
  if (Buffer.isBuffer(value)) return Buffer.concat([head(2, value.length), value]);
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    return Buffer.concat([head(3, bytes.length), bytes]);
  }
  if (value instanceof Map) {
    const parts = [...value.entries()].flatMap(([k, v]) => [cbor(k), cbor(v)]);
    return Buffer.concat([head(5, value.size), ...parts]);
  }
  throw new TypeError(`cbor: cannot encode ${typeof value}`);
}

function head(major: number, length: number): Buffer {
  if (length < 24) return Buffer.from([(major << 5) | length]);
  if (length < 0x100) return Buffer.from([(major << 5) | 24, length]);
  if (length < 0x10000) {
    const out = Buffer.from([(major << 5) | 25, 0, 0]);
    out.writeUInt16BE(length, 1);
    return out;
  }
  const out = Buffer.from([(major << 5) | 26, 0, 0, 0, 0]);
  out.writeUInt32BE(length, 1);
  return out;
}

import { z } from 'zod';
import { body, checkbox, textField } from '../../common/validation';

/** The longest passkey name: longer ones are refused with 400. */
export const PASSKEY_NAME_MAX = 64;

const base64url = (name: string, max: number) =>
  z
    .string({ error: `${name} must be a base64url string` })
    .max(max, `${name} must be at most ${max} characters`)
    .regex(/^[A-Za-z0-9_-]*$/, `${name} must be a base64url string`);

const extensions = z.record(z.string(), z.unknown()).default({});

/** What `@simplewebauthn/browser`'s `startRegistration()` returns (WebAuthn's `RegistrationResponseJSON`). */
const RegistrationResponseSchema = z.object(
  {
    id: base64url('response.id', 1024).min(1, 'response.id is required'),
    rawId: base64url('response.rawId', 1024),
    type: z.literal('public-key', { error: 'response.type must be "public-key"' }),
    response: z.looseObject({
      clientDataJSON: base64url('response.response.clientDataJSON', 8192),
      attestationObject: base64url('response.response.attestationObject', 16384),
      transports: z.array(z.string().max(32)).max(10).optional(),
    }),
    authenticatorAttachment: z.string().max(32).optional(),
    clientExtensionResults: extensions,
  },
  { error: 'response must be the object startRegistration() returns' },
);

// Bounds leave room for post-quantum keys and signatures: ML-DSA-44 (offered first where the runtime
// verifies it, and Chromium's virtual authenticator picks it) signs with 2420 bytes, 3227 base64url characters.

/** What `startAuthentication()` returns (WebAuthn's `AuthenticationResponseJSON`). */
const AuthenticationResponseSchema = z.object(
  {
    id: base64url('response.id', 1024).min(1, 'response.id is required'),
    rawId: base64url('response.rawId', 1024),
    type: z.literal('public-key', { error: 'response.type must be "public-key"' }),
    response: z.looseObject({
      clientDataJSON: base64url('response.response.clientDataJSON', 8192),
      authenticatorData: base64url('response.response.authenticatorData', 8192),
      signature: base64url('response.response.signature', 8192),
      userHandle: base64url('response.response.userHandle', 512).optional(),
    }),
    authenticatorAttachment: z.string().max(32).optional(),
    clientExtensionResults: extensions,
  },
  { error: 'response must be the object startAuthentication() returns' },
);

const name = textField('name', PASSKEY_NAME_MAX);

export const RegisterPasskeySchema = body({
  response: RegistrationResponseSchema,
  name: name.optional(),
});
export type RegisterPasskeyDto = z.output<typeof RegisterPasskeySchema>;

export const RenamePasskeySchema = body({ name });
export type RenamePasskeyDto = z.output<typeof RenamePasskeySchema>;

export const PasskeySignInSchema = body({
  response: AuthenticationResponseSchema,
  remember: checkbox,
});
export type PasskeySignInDto = z.output<typeof PasskeySignInSchema>;

export const PasskeyReauthSchema = body({ response: AuthenticationResponseSchema });
export type PasskeyReauthDto = z.output<typeof PasskeyReauthSchema>;

/** One passkey as the list and the account page show it. */
export const PasskeyViewSchema = z
  .object({
    id: z.string().describe('The credential id (base64url)'),
    name: z.string().describe('Given at registration (default: the device) or by a rename'),
    createdAt: z.iso.datetime().describe('When it was added'),
    lastUsedAt: z.iso.datetime().nullable().describe('When it last signed in; null if never'),
    backedUp: z.boolean().describe('Synced by its provider (a multi-device passkey)'),
  })
  .meta({ id: 'Passkey' });
export type PasskeyView = z.infer<typeof PasskeyViewSchema>;

export const PasskeyBodySchema = z.object({
  passkey: PasskeyViewSchema.pick({ id: true, name: true, createdAt: true }),
});
export const PasskeysBodySchema = z.object({ passkeys: z.array(PasskeyViewSchema) });

/** WebAuthn options as `startRegistration({ optionsJSON })` / `startAuthentication` take them. */
export const PasskeyOptionsBodySchema = z
  .looseObject({ challenge: z.string().describe('base64url, single-use, 5 minutes') })
  .meta({ id: 'PasskeyOptions' });

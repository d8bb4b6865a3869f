import { z } from 'zod';
import { body, textField } from '../../common/validation';

/** A TOTP code (6 digits) or a recovery code (`xxxxx-xxxxx`), as typed. */
export const CodeSchema = body({
  code: textField('code', 64).describe('The 6 digits of the authenticator app, or a recovery code'),
});
export type CodeDto = z.output<typeof CodeSchema>;

/** `POST /account/2fa/totp`. */
export const TotpSetupBodySchema = z
  .object({
    secret: z.string().describe('The shared secret in base32, for typing into an app'),
    uri: z.string().describe('The otpauth://totp/… URI (SHA1, 6 digits, 30 s)'),
    qrSvg: z.string().describe('The URI as a QR code, SVG markup'),
  })
  .meta({ id: 'TotpSetup' });

/** Ten recovery codes, shown once. */
export const RecoveryCodesBodySchema = z
  .object({
    recoveryCodes: z
      .array(z.string())
      .length(10)
      .describe(
        'Each works once in place of a TOTP code at POST /login/2fa; they are not shown again',
      ),
  })
  .meta({ id: 'RecoveryCodes' });

/** `POST /login` for a user with a second factor: not signed in yet. */
export const TwoFactorRequiredSchema = z
  .object({
    twoFactorRequired: z.literal(true),
    methods: z.array(z.enum(['totp', 'recovery'])),
  })
  .meta({ id: 'TwoFactorRequired' });

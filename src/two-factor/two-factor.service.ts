import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import * as QRCode from 'qrcode';
import { httpConfig } from '../config/namespaces';
import { MailService } from '../mail/mail.service';
import { APP_NAME } from '../views/layout';
import {
  looksLikeRecoveryCode,
  newRecoveryCode,
  RECOVERY_CODE_COUNT,
  RecoveryCodeHasher,
} from './recovery-codes';
import { looksLikeTotpCode, matchingStep, newTotpSecret, totpUri } from './totp';
import { TotpSecretCipher } from './two-factor.cipher';
import {
  NoTotpSetupError,
  TwoFactorAlreadyOnError,
  TwoFactorOffError,
  WrongSetupCodeError,
} from './two-factor.errors';
import { TwoFactorRepository } from './two-factor.repository';

/** The user a change is made for: its id, and the address its notice goes to. */
export interface TwoFactorUser {
  id: number;
  email: string;
}

/** What `POST /account/2fa/totp` answers: the secret three ways (text, URI, QR code as SVG). */
export interface TotpSetup {
  secret: string;
  uri: string;
  qrSvg: string;
}

/**
 * TOTP and recovery codes: setting up, confirming, checking codes, new codes, turning off. TOTP is on
 * only once a code confirmed the setup. A TOTP code is accepted only for a time step later than the last
 * accepted one (one conditional UPDATE), so a code works once even against parallel requests; a recovery
 * code is marked used by one conditional UPDATE too. Notices are mailed after the change is stored.
 */
@Injectable()
export class TwoFactorService {
  constructor(
    private readonly repo: TwoFactorRepository,
    private readonly cipher: TotpSecretCipher,
    private readonly hasher: RecoveryCodeHasher,
    private readonly mail: MailService,
    @Inject(httpConfig.KEY) private readonly http: Pick<ConfigType<typeof httpConfig>, 'publicUrl'>,
  ) {}

  /** Whether the user's TOTP is on (confirmed). */
  async isOn(userId: number): Promise<boolean> {
    return (await this.repo.findTotp(userId))?.confirmed === true;
  }

  /** A new secret, waiting for its first code; replaces a setup not confirmed. @throws 409 when on. */
  async setup(user: TwoFactorUser): Promise<TotpSetup> {
    const secret = newTotpSecret();
    const saved = await this.repo.saveUnconfirmed(user.id, this.cipher.encrypt(user.id, secret));
    if (!saved) throw new TwoFactorAlreadyOnError();
    return this.present(user, secret);
  }

  /** The setup waiting for its code, shown again (a wrong code on the page), or `null`. */
  async waitingSetup(user: TwoFactorUser): Promise<TotpSetup | null> {
    const row = await this.repo.findTotp(user.id);
    const secret = row && !row.confirmed ? this.cipher.decrypt(user.id, row.secret) : null;
    return secret === null ? null : this.present(user, secret);
  }

  /** Turns TOTP on with the authenticator's current code; the first recovery codes, shown once. */
  async confirm(user: TwoFactorUser, code: string): Promise<string[]> {
    const row = await this.repo.findTotp(user.id);
    if (row?.confirmed) throw new TwoFactorAlreadyOnError();
    const secret = row ? this.cipher.decrypt(user.id, row.secret) : null;
    if (!row || secret === null) throw new NoTotpSetupError();
    const step = matchingStep(secret, code);
    if (step === null) throw new WrongSetupCodeError();
    const codes = this.newCodes();
    const hashes = codes.map((c) => this.hasher.hash(c));
    if (!(await this.repo.confirm(user.id, row.secret, step, hashes))) throw new NoTotpSetupError();
    void this.mail.twoFactorChanged(user.email, 'enabled');
    return codes;
  }

  /** A new set of recovery codes; the old set stops working. @throws 409 when TOTP is off. */
  async regenerateRecoveryCodes(user: TwoFactorUser): Promise<string[]> {
    const codes = this.newCodes();
    const hashes = codes.map((c) => this.hasher.hash(c));
    if (!(await this.repo.replaceRecoveryCodes(user.id, hashes))) throw new TwoFactorOffError();
    void this.mail.twoFactorChanged(user.email, 'recovery-codes');
    return codes;
  }

  /** Removes TOTP and the recovery codes (nothing to do when off); a notice when it was on. */
  async disable(user: TwoFactorUser): Promise<void> {
    if (await this.repo.remove(user.id)) void this.mail.twoFactorChanged(user.email, 'disabled');
  }

  /** Whether `code` is a TOTP code of the user's, never accepted before (it is accepted now). */
  async acceptTotp(userId: number, code: string): Promise<boolean> {
    const row = await this.repo.findTotp(userId);
    if (!row?.confirmed) return false;
    const opened = this.cipher.open(userId, row.secret);
    if (opened === null) return false;
    const step = matchingStep(opened.secret, code);
    if (step === null || (row.lastUsedStep !== null && step <= row.lastUsedStep)) return false;
    if (!(await this.repo.claimStep(userId, step))) return false;
    // Opened under a fallback: sealed again under SECRET_KEY, so the old key can be retired.
    if (!opened.current) {
      await this.repo.reseal(userId, row.secret, this.cipher.encrypt(userId, opened.secret));
    }
    return true;
  }

  /** Whether `code` is a fresh TOTP code or an unused recovery code (then used up). */
  async acceptLoginCode(userId: number, code: string): Promise<boolean> {
    if (looksLikeTotpCode(code)) return this.acceptTotp(userId, code);
    if (!looksLikeRecoveryCode(code)) return false;
    return this.repo.useRecoveryCode(userId, this.hasher.hashes(code));
  }

  /** How many recovery codes the user has left. */
  unusedRecoveryCodes(userId: number): Promise<number> {
    return this.repo.unusedRecoveryCodes(userId);
  }

  private async present(user: TwoFactorUser, secret: string): Promise<TotpSetup> {
    const uri = totpUri(secret, user.email, this.issuer());
    const qrSvg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    return { secret, uri, qrSvg };
  }

  private newCodes(): string[] {
    return Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  }

  /** What the authenticator app lists the account under: `PUBLIC_URL`'s host, else the app's name. */
  private issuer(): string {
    return this.http.publicUrl === null ? APP_NAME : new URL(this.http.publicUrl).host;
  }
}

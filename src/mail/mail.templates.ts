import ms from 'ms';
import { html, SafeHtml } from '../views/html';

/** One mail's content: a plain-text part in which each link stands on a line of its own, and simple HTML. */
export interface MailContent {
  subject: string;
  text: string;
  html: string;
}

/** What every mail says about where it comes from: the host of `PUBLIC_URL`. */
export interface MailContext {
  site: string;
}

/** `3 days`, `1 hour`: a lifetime in seconds as a person reads it. */
export function lifetime(seconds: number): string {
  return ms(seconds * 1000, { long: true });
}

const IGNORE =
  'If you did not ask for this, you can ignore this mail; nothing changes until the link is opened and confirmed.';
const ALARM =
  'If this was not you, reset your password at once and contact us: someone may have your password.';

/** Lines of text (a link alone on its line) and the same as HTML paragraphs. */
function compose(subject: string, paragraphs: (string | { link: string })[]): MailContent {
  const text = paragraphs.map((p) => (typeof p === 'string' ? p : p.link)).join('\n\n');
  const body: SafeHtml[] = paragraphs.map((p) =>
    typeof p === 'string' ? html`<p>${p}</p>` : html`<p><a href="${p.link}">${p.link}</a></p>`,
  );
  const page = html`<!doctype html>
    <html lang="en">
      <body>
        ${body}
      </body>
    </html>`;
  return { subject, text: `${text}\n`, html: page.value };
}

export function verifyEmail(c: MailContext, link: string, seconds: number): MailContent {
  return compose(`Confirm your email address for ${c.site}`, [
    `Confirm that this address is yours by opening the link below and pressing "Confirm":`,
    { link },
    `The link works for ${lifetime(seconds)}. ${IGNORE}`,
  ]);
}

export function passwordReset(c: MailContext, link: string, seconds: number): MailContent {
  return compose(`Reset your password for ${c.site}`, [
    'Someone (we hope you) asked to reset the password of the account with this address. To choose a new password, open:',
    { link },
    `The link works for ${lifetime(seconds)} and once. Resetting signs you out on every device. ${IGNORE}`,
  ]);
}

export function passwordChanged(c: MailContext, when: Date): MailContent {
  return compose(`Your ${c.site} password was changed`, [
    `The password of your account was changed at ${when.toISOString()}; every other session was signed out.`,
    ALARM,
  ]);
}

export function emailChangeConfirm(c: MailContext, link: string, seconds: number): MailContent {
  return compose(`Confirm your new email address for ${c.site}`, [
    'To make this the address of your account, open the link below and press "Confirm":',
    { link },
    `The link works for ${lifetime(seconds)}. ${IGNORE}`,
  ]);
}

export function emailChangeRequested(c: MailContext, newEmail: string): MailContent {
  return compose(`A change of your ${c.site} email address was requested`, [
    `Someone signed in to your account asked to change its address to ${newEmail}. It changes only when a link sent there is confirmed.`,
    ALARM,
  ]);
}

export function emailChanged(c: MailContext, newEmail: string): MailContent {
  return compose(`Your ${c.site} email address was changed`, [
    `The address of your account is now ${newEmail}; mail about it no longer comes here.`,
    ALARM,
  ]);
}

/** A sign-in from a device and network the account had not been used from. */
export interface SignInNotice {
  device: string;
  address: string;
  when: Date;
}

export function newSignIn(c: MailContext, sessionsLink: string, signIn: SignInNotice): MailContent {
  return compose(`New sign-in to your ${c.site} account`, [
    `Your account was signed in to from ${signIn.device} at ${signIn.address}, at ${signIn.when.toISOString()}.`,
    'If it was you, there is nothing to do. If not, sign that session out and change your password:',
    { link: sessionsLink },
    ALARM,
  ]);
}

/** A change of the account's second factor: turned on, turned off, or new recovery codes. */
export type TwoFactorChange = 'enabled' | 'disabled' | 'recovery-codes';

export function twoFactorChanged(
  c: MailContext,
  accountLink: string,
  change: TwoFactorChange,
  when: Date,
): MailContent {
  const what = {
    enabled: [
      'Two-factor authentication was turned on',
      'turned on: signing in now also asks for a code from your authenticator app',
    ],
    disabled: [
      'Two-factor authentication was turned off',
      'turned off: signing in now asks for your password only',
    ],
    'recovery-codes': [
      'New recovery codes were made',
      'given a new set of recovery codes; the old ones no longer work',
    ],
  }[change];
  return compose(`${what[0]} for your ${c.site} account`, [
    `Two-factor authentication of your account was ${what[1]} (${when.toISOString()}). Your account:`,
    { link: accountLink },
    ALARM,
  ]);
}

export function passkeyAdded(c: MailContext, name: string, when: Date): MailContent {
  return compose(`A passkey was added to your ${c.site} account`, [
    `A passkey named "${name}" was added to your account at ${when.toISOString()}; it can sign in without your password.`,
    'If this was not you, remove it from your account page and reset your password at once.',
  ]);
}

export function passkeyRemoved(c: MailContext, name: string, when: Date): MailContent {
  return compose(`A passkey was removed from your ${c.site} account`, [
    `The passkey named "${name}" was removed from your account at ${when.toISOString()}; it can no longer sign in.`,
    ALARM,
  ]);
}

import { actions, alert, card, pageHeading } from './components';
import { button, field, hiddenField, postForm } from './forms';
import { html, SafeHtml } from './html';
import { layout, PageUser } from './layout';
import type { SessionView } from '../accounts/dto/sessions.dto';
import { twoFactorCard } from './two-factor-pages';
import type { PasskeyView } from '../passkeys/dto/passkeys.dto';
import { passkeyReauth, passkeysCard } from './passkey-pages';

/** What every account page needs: the CSRF token of its forms, and who is signed in (or nobody). */
export interface PageContext {
  csrf: string;
  user: PageUser | null;
}

/** The account as the settings page shows it (`GET /account`). */
export interface AccountView {
  id: number;
  email: string;
  emailVerified: boolean;
  twoFactor: boolean;
  passkeys: number;
}

/** What the settings page shows: the account, and its live sessions. */
export interface AccountPageData {
  account: AccountView;
  sessions: SessionView[];
  passkeys: PasskeyView[];
}

/** A page of one narrow column: a heading, what went wrong (if anything), then `body` on a card. */
function formPage(c: PageContext, title: string, lead: string, body: SafeHtml, error?: string) {
  return layout(
    { title, user: c.user, csrf: c.csrf, width: 'narrow' },
    html`${pageHeading(title, lead)} ${card({}, html`${error ? alert(error) : ''} ${body}`)}`,
  );
}

function emailField(label = 'Email', autocomplete = 'username', id?: string): SafeHtml {
  return field({ name: 'email', label, type: 'email', id, attributes: { autocomplete } });
}

function passwordField(name: string, label: string, id?: string): SafeHtml {
  return field({
    name,
    label,
    type: 'password',
    id,
    attributes: { autocomplete: 'current-password' },
  });
}

function newPasswordField(id?: string): SafeHtml {
  return field({
    name: 'password',
    label: 'New password',
    type: 'password',
    id,
    hint: 'At least 8 characters.',
    attributes: { minlength: 8, autocomplete: 'new-password' },
  });
}

export function registerPage(
  c: PageContext,
  opts: { email?: string; error?: string } = {},
): string {
  const form = postForm(
    '/register',
    c.csrf,
    html`${field({
      name: 'email',
      label: 'Email',
      type: 'email',
      value: opts.email,
      attributes: { autocomplete: 'username' },
    })}
    ${newPasswordField()} ${button('Register', { block: true })}`,
  );
  return formPage(
    c,
    'Register',
    'Create an account with your email address.',
    html`${form}
      <p>Already registered? <a href="/login">Log in</a></p>`,
    opts.error,
  );
}

/** A page that says what happened and where to go next. */
export function noticePage(
  c: PageContext,
  title: string,
  message: string,
  next?: { href: string; label: string },
): string {
  const body = html`${pageHeading(title)} ${alert(message, 'notice')}
  ${next ? html`<p><a href="${next.href}">${next.label}</a></p>` : ''}`;
  return layout({ title, user: c.user, csrf: c.csrf, width: 'narrow' }, body);
}

/** The page a link in a mail opens: a button that posts the token (a GET never changes anything). */
export function confirmLinkPage(
  c: PageContext,
  opts: {
    title: string;
    text: string;
    action: string;
    token: string;
    button: string;
    error?: string;
  },
): string {
  const form = postForm(
    opts.action,
    c.csrf,
    html`${hiddenField('token', opts.token)} ${button(opts.button, { block: true })}`,
  );
  return formPage(c, opts.title, opts.text, form, opts.error);
}

export function forgotPage(c: PageContext, error?: string): string {
  const form = postForm(
    '/password/forgot',
    c.csrf,
    html`${emailField()} ${button('Send the link', { block: true })}`,
  );
  return formPage(
    c,
    'Forgot your password?',
    'Enter the address of your account: we will mail it a link to choose a new password.',
    form,
    error,
  );
}

export function resetPage(c: PageContext, token: string, error?: string): string {
  const form = postForm(
    '/password/reset',
    c.csrf,
    html`${hiddenField('token', token)} ${newPasswordField()}
    ${button('Set the password', { block: true })}`,
  );
  return formPage(
    c,
    'Choose a new password',
    'Every device signed in to your account will be signed out.',
    form,
    error,
  );
}

/** `passkeys`: the account has one, so the page offers it beside the password. */
export function reauthPage(c: PageContext, next: string, error?: string, passkeys = false): string {
  const form = postForm(
    '/reauth',
    c.csrf,
    html`${hiddenField('next', next)} ${passwordField('password', 'Password')}
    ${button('Confirm', { block: true })}`,
  );
  const body = html`${form} ${passkeys ? passkeyReauth(next) : ''}`;
  return formPage(c, 'Confirm it is you', 'Enter your password again to go on.', body, error);
}

export function accountPage(c: PageContext, data: AccountPageData, error?: string): string {
  const { account } = data;
  const address = card(
    { title: 'Email address', id: 'address' },
    html`<p>
        <strong id="account-email">${account.email}</strong>
        <span id="email-state" class="badge"
          >${account.emailVerified ? 'verified' : 'not verified'}</span
        >
      </p>
      ${
        account.emailVerified
          ? ''
          : postForm(
              '/verify-email/resend',
              c.csrf,
              button('Send the verification link again', { variant: 'secondary' }),
              'inline',
            )
      }`,
  );
  const password = card(
    { title: 'Password', id: 'change-password' },
    html`${postForm(
        '/account/password',
        c.csrf,
        html`${passwordField('currentPassword', 'Current password')}
        ${newPasswordField('new-password')} ${button('Change the password')}`,
      )}
      <p class="hint">Changing it signs out every other device.</p>`,
  );
  const email = card(
    { title: 'Change the email address', id: 'change-email' },
    postForm(
      '/account/email',
      c.csrf,
      html`${emailField('New address', 'email', 'new-email')}
      ${passwordField('password', 'Password', 'email-password')}
      ${button('Send a confirmation link')}`,
    ),
  );
  const sessions = sessionsCard(c, data.sessions);
  return layout(
    { title: 'Your account', user: c.user, csrf: c.csrf, path: '/account' },
    html`${pageHeading('Your account')} ${error ? alert(error) : ''} ${address} ${password} ${email}
    ${sessions} ${twoFactorCard(c, account.twoFactor)} ${passkeysCard(c, data.passkeys)}`,
  );
}

/** Where the account is signed in: one row per session, each with its own "Sign out". */
function sessionsCard(c: PageContext, sessions: SessionView[]): SafeHtml {
  const rows = sessions.map(
    (session) =>
      html`<li class="session-row" data-session="${session.id}">
        <div>
          <strong>${session.device}</strong>
          ${session.current ? html`<span class="badge">this device</span>` : ''}
          <p class="hint">
            ${session.ip} · signed in ${when(session.createdAt)} · last seen
            ${when(session.lastSeenAt)}
          </p>
        </div>
        ${postForm(
          `/account/sessions/${encodeURIComponent(session.id)}/delete`,
          c.csrf,
          button(session.current ? 'Log out' : 'Sign out', { variant: 'secondary' }),
          'inline',
        )}
      </li>`,
  );
  const others = button('Sign out every other device', { variant: 'secondary' });
  const all = button('Log out everywhere', { variant: 'danger' });
  return card(
    { title: 'Where you are signed in', id: 'sessions' },
    html`<ul class="sessions">
        ${rows}
      </ul>
      ${actions(
        postForm('/logout/others', c.csrf, others, 'inline'),
        postForm('/logout/all', c.csrf, all, 'inline'),
      )}
      <p class="hint">Signing a device out ends it on every instance within a second.</p>`,
  );
}

/** An ISO time as a page shows it: `2026-12-03 18:04 UTC`. */
function when(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

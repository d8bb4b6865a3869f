import { html, SafeHtml } from './html';
import { layout, PageUser } from './pages';

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

function csrfField(csrf: string): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${csrf}" />`;
}

function alert(error: string | undefined): SafeHtml | string {
  return error ? html`<p class="error" role="alert">${error}</p>` : '';
}

function passwordField(name: string, label: string, autocomplete: string): SafeHtml {
  return html`<label
    >${label} <input type="password" name="${name}" required autocomplete="${autocomplete}"
  /></label>`;
}

function newPasswordField(): SafeHtml {
  return html`<label
    >New password (at least 8 characters)
    <input type="password" name="password" required minlength="8" autocomplete="new-password"
  /></label>`;
}

export function registerPage(
  c: PageContext,
  opts: { email?: string; error?: string } = {},
): string {
  const body = html`<h1>Register</h1>
    ${alert(opts.error)}
    <form method="post" action="/register">
      ${csrfField(c.csrf)}
      <label
        >Email
        <input
          type="email"
          name="email"
          value="${opts.email ?? ''}"
          required
          autocomplete="username"
      /></label>
      ${newPasswordField()}
      <button type="submit">Register</button>
    </form>
    <p>Already registered? <a href="/login">Log in</a></p>`;
  return layout('Register', c.user, body, c.csrf);
}

/** A page that says what happened and where to go next. */
export function noticePage(
  c: PageContext,
  title: string,
  message: string,
  next?: { href: string; label: string },
): string {
  const body = html`<h1>${title}</h1>
    <p role="status">${message}</p>
    ${next ? html`<p><a href="${next.href}">${next.label}</a></p>` : ''}`;
  return layout(title, c.user, body, c.csrf);
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
  const body = html`<h1>${opts.title}</h1>
    ${alert(opts.error)}
    <p>${opts.text}</p>
    <form method="post" action="${opts.action}">
      ${csrfField(c.csrf)}
      <input type="hidden" name="token" value="${opts.token}" />
      <button type="submit">${opts.button}</button>
    </form>`;
  return layout(opts.title, c.user, body, c.csrf);
}

export function forgotPage(c: PageContext, error?: string): string {
  const body = html`<h1>Forgot your password?</h1>
    ${alert(error)}
    <p>Enter the address of your account: we will mail it a link to choose a new password.</p>
    <form method="post" action="/password/forgot">
      ${csrfField(c.csrf)}
      <label>Email <input type="email" name="email" required autocomplete="username" /></label>
      <button type="submit">Send the link</button>
    </form>`;
  return layout('Forgot your password?', c.user, body, c.csrf);
}

export function resetPage(c: PageContext, token: string, error?: string): string {
  const body = html`<h1>Choose a new password</h1>
    ${alert(error)}
    <p>Every device signed in to your account will be signed out.</p>
    <form method="post" action="/password/reset">
      ${csrfField(c.csrf)}
      <input type="hidden" name="token" value="${token}" />
      ${newPasswordField()}
      <button type="submit">Set the password</button>
    </form>`;
  return layout('Choose a new password', c.user, body, c.csrf);
}

export function reauthPage(c: PageContext, next: string, error?: string): string {
  const body = html`<h1>Confirm it is you</h1>
    ${alert(error)}
    <p>Enter your password again to go on.</p>
    <form method="post" action="/reauth">
      ${csrfField(c.csrf)}
      <input type="hidden" name="next" value="${next}" />
      ${passwordField('password', 'Password', 'current-password')}
      <button type="submit">Confirm</button>
    </form>`;
  return layout('Confirm it is you', c.user, body, c.csrf);
}

export function accountPage(c: PageContext, account: AccountView, error?: string): string {
  const body = html`<h1>Your account</h1>
    ${alert(error)}
    <section aria-labelledby="address">
      <h2 id="address">Email address</h2>
      <p>
        <strong id="account-email">${account.email}</strong>
        <span id="email-state">${account.emailVerified ? 'verified' : 'not verified'}</span>
      </p>
      ${
        account.emailVerified
          ? ''
          : html`<form method="post" action="/verify-email/resend">
              ${csrfField(c.csrf)}
              <button type="submit">Send the verification link again</button>
            </form>`
      }
    </section>
    <section aria-labelledby="password">
      <h2 id="password">Password</h2>
      <form method="post" action="/account/password">
        ${csrfField(c.csrf)}
        ${passwordField('currentPassword', 'Current password', 'current-password')}
        ${newPasswordField()}
        <button type="submit">Change the password</button>
      </form>
      <p>Changing it signs out every other device.</p>
    </section>
    <section aria-labelledby="change-email">
      <h2 id="change-email">Change the email address</h2>
      <form method="post" action="/account/email">
        ${csrfField(c.csrf)}
        <label>New address <input type="email" name="email" required autocomplete="email" /></label>
        ${passwordField('password', 'Password', 'current-password')}
        <button type="submit">Send a confirmation link</button>
      </form>
    </section>
    <section aria-labelledby="sessions">
      <h2 id="sessions">Sessions</h2>
      <form method="post" action="/logout/all">
        ${csrfField(c.csrf)}
        <button type="submit">Log out everywhere</button> (every browser and device signed in as
        you)
      </form>
    </section>
    <section aria-labelledby="second-factors">
      <h2 id="second-factors">Two-factor authentication and passkeys</h2>
      <p>Two-factor: ${account.twoFactor ? 'on' : 'off'} · Passkeys: ${account.passkeys}</p>
    </section>`;
  return layout('Your account', c.user, body, c.csrf);
}

import type { TotpSetup } from '../two-factor/two-factor.service';
import type { PageContext } from './account-pages';
import { actions, alert, card, pageHeading } from './components';
import { button, field, linkButton, postForm } from './forms';
import { html, SafeHtml } from './html';
import { layout } from './layout';

function codeField(label: string, hint: string): SafeHtml {
  return field({
    name: 'code',
    label,
    hint,
    attributes: { autocomplete: 'one-time-code', spellcheck: 'false', maxlength: 64 },
  });
}

/** The account page's card: whether two-factor is on, and the forms to turn it on or off. */
export function twoFactorCard(c: PageContext, on: boolean): SafeHtml {
  const body = on
    ? html`<p>
          <span id="two-factor-state" class="badge">on</span> Signing in asks for a code from your
          authenticator app, or a recovery code.
        </p>
        ${actions(
          postForm(
            '/account/2fa/recovery-codes',
            c.csrf,
            button('Make new recovery codes', { variant: 'secondary' }),
            'inline',
          ),
          postForm(
            '/account/2fa/delete',
            c.csrf,
            button('Turn two-factor off', { variant: 'danger' }),
            'inline',
          ),
        )}`
    : html`<p>
          <span id="two-factor-state" class="badge">off</span> Add a code from an authenticator app
          to your password.
        </p>
        ${postForm('/account/2fa/totp', c.csrf, button('Turn on two-factor authentication'), 'inline')}`;
  return card({ title: 'Two-factor authentication', id: 'two-factor' }, body);
}

/** After `POST /account/2fa/totp`: scan the QR code (or type the secret), then confirm with a code. */
export function totpSetupPage(c: PageContext, setup: TotpSetup, error?: string): string {
  const form = postForm(
    '/account/2fa/totp/confirm',
    c.csrf,
    html`${codeField('Code from the app', 'The 6 digits the app shows now.')}
    ${button('Turn on', { block: true })}`,
  );
  // qrcode's SVG markup: our own output from the URI, no script, no style attribute (the CSP allows neither).
  const qr = html`<div class="qr" id="totp-qr">${new SafeHtml(setup.qrSvg)}</div>`;
  const body = html`${pageHeading(
    'Set up two-factor authentication',
    'Scan the code with an authenticator app, then enter the code it shows.',
  )}
  ${card(
    {},
    html`${error ? alert(error) : ''} ${qr}
      <p>Or type this key into the app:</p>
      <p><code id="totp-secret" class="secret">${setup.secret}</code></p>
      ${form}`,
  )}`;
  return layout(
    { title: 'Two-factor authentication', user: c.user, csrf: c.csrf, width: 'narrow' },
    body,
  );
}

/** The ten recovery codes, shown this once (the response is `no-store`). */
export function recoveryCodesPage(c: PageContext, codes: string[], title: string): string {
  const body = html`${pageHeading(title, 'Keep these recovery codes somewhere safe: they are shown only now.')}
  ${card(
    {},
    html`<ol id="recovery-codes" class="recovery-codes">
        ${codes.map((code) => html`<li><code>${code}</code></li>`)}
      </ol>
      <p class="hint">
        Each works once in place of a code from the app, if you lose it. Making new ones ends these.
      </p>
      ${actions(linkButton('Back to your account', '/account'))}`,
  )}`;
  return layout({ title, user: c.user, csrf: c.csrf, width: 'narrow' }, body);
}

/** `GET /login/2fa`: the second step of a sign-in. */
export function loginCodePage(c: PageContext, error?: string): string {
  const form = postForm(
    '/login/2fa',
    c.csrf,
    html`${codeField('Code', 'The 6 digits of your authenticator app, or one of your recovery codes.')}
    ${button('Log in', { block: true })}`,
  );
  const body = html`${pageHeading('Two-factor authentication', 'Your password was right. One more step.')}
    ${card({}, html`${error ? alert(error) : ''} ${form}`)}
    <p class="below-card"><a href="/login">Start again</a></p>`;
  return layout({ title: 'Two-factor authentication', user: null, width: 'narrow' }, body);
}

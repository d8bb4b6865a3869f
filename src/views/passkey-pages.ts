import { assetUrl } from '../assets/static-assets';
import type { PasskeyView } from '../passkeys/dto/passkeys.dto';
import { PASSKEY_NAME_MAX } from '../passkeys/dto/passkeys.dto';
import type { PageContext } from './account-pages';
import { card } from './components';
import { button, postForm } from './forms';
import { html, SafeHtml } from './html';

/**
 * The passkey script files: @simplewebauthn/browser, then the app's `passkeys.js`, which wires the buttons
 * below (the CSP allows no inline script or `on…=` handlers).
 */
function passkeyScripts(): SafeHtml {
  return html`<script src="${assetUrl('simplewebauthn-browser.js')}" defer></script>
    <script src="${assetUrl('passkeys.js')}" defer></script>`;
}

/** The settings page's "Passkeys" card: each passkey with rename and delete, and "Add a passkey". */
export function passkeysCard(c: PageContext, passkeys: PasskeyView[]): SafeHtml {
  const rows = passkeys.map((passkey) => {
    const base = `/account/passkeys/${encodeURIComponent(passkey.id)}`;
    const used = passkey.lastUsedAt ? `last used ${when(passkey.lastUsedAt)}` : 'never used';
    return html`<li class="session-row passkey-row" data-passkey="${passkey.id}">
      <div>
        <strong>${passkey.name}</strong>
        ${passkey.backedUp ? html`<span class="badge">synced</span>` : ''}
        <p class="hint">added ${when(passkey.createdAt)} · ${used}</p>
        ${postForm(
          `${base}/rename`,
          c.csrf,
          html`<label class="visually-hidden" for="rename-${passkey.id}">New name</label>
            <input
              id="rename-${passkey.id}"
              type="text"
              name="name"
              value="${passkey.name}"
              maxlength="${PASSKEY_NAME_MAX}"
              required
            />
            ${button('Rename', { variant: 'secondary' })}`,
          'row',
        )}
      </div>
      ${postForm(`${base}/delete`, c.csrf, button('Delete', { variant: 'danger' }), 'inline')}
    </li>`;
  });
  const list =
    passkeys.length === 0
      ? html`<p class="empty">No passkeys yet.</p>`
      : html`<ul class="sessions">
          ${rows}
        </ul>`;
  return card(
    { title: 'Passkeys', id: 'passkeys' },
    html`<p>Sign in with your fingerprint, face or device PIN instead of your password.</p>
      ${list}
      <p id="passkey-status" class="hint" role="status"></p>
      <button type="button" class="button" id="passkey-add" data-reauth="/reauth?next=/account">
        Add a passkey
      </button>
      ${passkeyScripts()}`,
  );
}

/** The login page's "Sign in with a passkey": the script sends the browser to `next` once signed in. */
export function passkeySignIn(next: string): SafeHtml {
  return html`<div class="passkey-sign-in">
    <p id="passkey-status" class="hint" role="status"></p>
    <button type="button" class="button secondary block" id="passkey-sign-in" data-next="${next}">
      Sign in with a passkey
    </button>
    ${passkeyScripts()}
  </div>`;
}

/** The re-authentication page's "Use a passkey instead": the script sends the browser to `next` after. */
export function passkeyReauth(next: string): SafeHtml {
  return html`<div class="passkey-sign-in">
    <p id="passkey-status" class="hint" role="status"></p>
    <button type="button" class="button secondary block" id="passkey-reauth" data-next="${next}">
      Use a passkey instead
    </button>
    ${passkeyScripts()}
  </div>`;
}

/** An ISO time as a page shows it: `2026-12-03 18:04 UTC`. */
function when(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

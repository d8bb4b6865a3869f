import { STATUS_CODES } from 'node:http';
import { actions, alert, card, pageHeading } from './components';
import { button, checkbox, field, hiddenField, linkButton, postForm } from './forms';
import { html } from './html';
import { layout, PageUser } from './layout';
import { passkeySignIn } from './passkey-pages';

export type { PageUser } from './layout';

export function homePage(user: PageUser | null, csrf: string): string {
  const welcome = user
    ? html`${pageHeading('Welcome back', `You are signed in as ${user.email}.`)}
      ${actions(
        linkButton('Go to your dashboard', '/dashboard'),
        linkButton('View your cart', '/cart', 'secondary'),
      )}`
    : html`${pageHeading(
        'Welcome',
        html`You are not signed in. <a href="/login">Log in</a> to see your dashboard.`,
      )}
      ${actions(linkButton('Log in', '/login'), linkButton('View the cart', '/cart', 'secondary'))}`;
  return layout({ title: 'Home', user, csrf, path: '/' }, html`${welcome}${features()}`);
}

function features() {
  const feature = (title: string, text: string) => card({ title }, html`<p>${text}</p>`);
  return html`<div class="grid">
    ${feature(
      'Sessions done right',
      'Encrypted cookie sessions by default, Redis when you scale out; keys rotate by themselves.',
    )}
    ${feature(
      'Fastify or Express',
      'The same routes, sessions and pages on either NestJS platform, chosen by HTTP_ADAPTER.',
    )}
    ${feature(
      'Safe forms',
      'Every form post carries a CSRF token; login attempts are throttled per address and email.',
    )}
  </div>`;
}

export function loginPage(opts: {
  csrf: string;
  next: string;
  error?: string;
  email?: string;
}): string {
  const fields = html`${hiddenField('next', opts.next)}
  ${field({
    name: 'email',
    label: 'Email',
    type: 'email',
    value: opts.email,
    attributes: { autocomplete: 'username' },
  })}
  ${field({
    name: 'password',
    label: 'Password',
    type: 'password',
    attributes: { autocomplete: 'current-password' },
  })}
  ${checkbox({ name: 'remember', label: 'Remember me' })} ${button('Log in', { block: true })}`;
  const body = html`${pageHeading('Log in', 'Welcome back. Sign in with your email and password.')}
    ${card(
      {},
      html`${opts.error ? alert(opts.error) : ''} ${postForm('/login', opts.csrf, fields)}
      ${passkeySignIn(opts.next)}`,
    )}
    <p class="below-card">
      <a href="/password/forgot">Forgot your password?</a> · No account?
      <a href="/register">Register</a>
    </p>`;
  return layout({ title: 'Log in', user: null, width: 'narrow' }, body);
}

export function dashboardPage(user: PageUser, cartCount: number, csrf: string): string {
  const items = `${cartCount} item${cartCount === 1 ? '' : 's'}`;
  const logoutAll = postForm(
    '/logout/all',
    csrf,
    button('Log out everywhere', { variant: 'danger' }),
    'inline',
  );
  const body = html`${pageHeading('Dashboard', `Signed in as ${user.email} (user ${user.id}).`)}
  ${card({ title: 'Your cart' }, html`<p>Your cart holds <a href="/cart">${items}</a>.</p>`)}
  ${card(
    { title: 'Your sessions' },
    html`<p>Signed in on another browser or a lost device? End every session signed in as you.</p>
      ${logoutAll}`,
  )}`;
  return layout({ title: 'Dashboard', user, csrf, path: '/dashboard' }, body);
}

export function cartPage(
  user: PageUser | null,
  items: string[],
  csrf: string,
  error?: string,
): string {
  const list =
    items.length === 0
      ? html`<p class="empty">Your cart is empty.</p>`
      : html`<ol id="items" class="items">
          ${items.map((i) => html`<li>${i}</li>`)}
        </ol>`;
  const addItem = postForm(
    '/cart/items',
    csrf,
    html`${field({ name: 'item', label: 'Item', attributes: { maxlength: 100 } })}
    ${button('Add to cart')}`,
    'row',
  );
  const empty = postForm(
    '/cart/clear',
    csrf,
    button('Empty the cart', { variant: 'secondary' }),
    'inline',
  );
  const body = html`${pageHeading('Cart', 'Kept in your session, signed in or not.')}
  ${error ? alert(error) : ''} ${card({}, html`${list} ${addItem}`)}
  ${items.length === 0 ? '' : empty}`;
  return layout({ title: 'Cart', user, csrf, path: '/cart' }, body);
}

/** The app's error page: the exception filter's, and the platform's for requests Nest never saw. */
export function errorPage(status: number, message: string, user: PageUser | null = null): string {
  return layout(
    { title: `Error ${status}`, user, width: 'narrow' },
    html`<div class="error-page">
      <p class="status-code">${status}</p>
      <h1>${STATUS_CODES[status] ?? 'Error'}</h1>
      <p class="error">${message}</p>
      ${linkButton('Back home', '/')}
    </div>`,
  );
}

import { html, SafeHtml } from './html';

export interface PageUser {
  id: number;
  email: string;
}

/** The page shell every page shares: the head, the nav (who is signed in, or the log in and register links), `body`. */
export function layout(
  title: string,
  user: PageUser | null,
  body: SafeHtml,
  csrf?: string,
): string {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} · nest-session-starter</title>
        <style>
          body {
            font:
              16px/1.5 system-ui,
              sans-serif;
            max-width: 40rem;
            margin: 2rem auto;
            padding: 0 1rem;
          }
          nav {
            display: flex;
            gap: 1rem;
            align-items: center;
          }
          form.inline {
            display: inline;
          }
          .error {
            color: #b00020;
          }
          label {
            display: block;
            margin: 0.5rem 0;
          }
        </style>
      </head>
      <body>
        <nav>
          <a href="/">Home</a><a href="/dashboard">Dashboard</a><a href="/cart">Cart</a>
          ${
            user && csrf
              ? html`<a href="/account">Account</a>${logoutForm(user, csrf)}`
              : html`<a href="/login">Log in</a><a href="/register">Register</a>`
          }
        </nav>
        <main>${body}</main>
      </body>
    </html> `.value;
}

function logoutForm(user: PageUser, csrf: string): SafeHtml {
  return html`<span>Signed in as <strong id="who">${user.email}</strong></span>
    <form class="inline" method="post" action="/logout">
      <input type="hidden" name="_csrf" value="${csrf}" /> <button type="submit">Log out</button>
    </form>`;
}

export function homePage(user: PageUser | null, csrf: string): string {
  const body = user
    ? html`<h1>Welcome back</h1>
        <p>You are signed in as ${user.email}.</p>`
    : html`<h1>Welcome</h1>
        <p>You are not signed in. <a href="/login">Log in</a> to see your dashboard.</p>`;
  return layout('Home', user, body, csrf);
}

export function loginPage(opts: {
  csrf: string;
  next: string;
  error?: string;
  email?: string;
}): string {
  const body = html`<h1>Log in</h1>
    ${opts.error ? html`<p class="error" role="alert">${opts.error}</p>` : ''}
    <form method="post" action="/login">
      <input type="hidden" name="_csrf" value="${opts.csrf}" />
      <input type="hidden" name="next" value="${opts.next}" />
      <label
        >Email
        <input
          type="email"
          name="email"
          value="${opts.email ?? ''}"
          required
          autocomplete="username"
      /></label>
      <label
        >Password <input type="password" name="password" required autocomplete="current-password"
      /></label>
      <label><input type="checkbox" name="remember" value="true" /> Remember me</label>
      <button type="submit">Log in</button>
    </form>
    <p><a href="/password/forgot">Forgot your password?</a> · <a href="/register">Register</a></p>`;
  return layout('Log in', null, body);
}

export function dashboardPage(user: PageUser, cartCount: number, csrf: string): string {
  const body = html`<h1>Dashboard</h1>
    <p>Signed in as ${user.email} (user ${user.id}).</p>
    <p>Your cart holds <a href="/cart">${cartCount} item${cartCount === 1 ? '' : 's'}</a>.</p>
    <form method="post" action="/logout/all">
      <input type="hidden" name="_csrf" value="${csrf}" />
      <button type="submit">Log out everywhere</button> (every browser and device signed in as you)
    </form>`;
  return layout('Dashboard', user, body, csrf);
}

export function cartPage(
  user: PageUser | null,
  items: string[],
  csrf: string,
  error?: string,
): string {
  const body = html`<h1>Cart</h1>
    ${error ? html`<p class="error" role="alert">${error}</p>` : ''}
    ${
      items.length === 0
        ? html`<p>Your cart is empty.</p>`
        : html`<ol id="items">
            ${items.map((i) => html`<li>${i}</li>`)}
          </ol>`
    }
    <form method="post" action="/cart/items">
      <input type="hidden" name="_csrf" value="${csrf}" />
      <label>Item <input name="item" required maxlength="100" /></label>
      <button type="submit">Add to cart</button>
    </form>
    <form method="post" action="/cart/clear">
      <input type="hidden" name="_csrf" value="${csrf}" />
      <button type="submit">Empty the cart</button>
    </form>`;
  return layout('Cart', user, body, csrf);
}

export function errorPage(status: number, message: string, user: PageUser | null = null): string {
  return layout(
    `Error ${status}`,
    user,
    html`<h1>${status}</h1>
      <p class="error">${message}</p>
      <p><a href="/">Back home</a></p>`,
  );
}

import { assetUrl } from '../assets/static-assets';
import { html, SafeHtml } from './html';

/** The signed-in user as pages show it. */
export interface PageUser {
  id: number;
  email: string;
}

/** What every page tells the layout. */
export interface LayoutOptions {
  /** The page's name: the `<title>` is `<title> · nest-session-starter`. */
  title: string;
  /** Signed in: the header shows the address and a Log out button (which needs `csrf`). `null`: Log in, Register. */
  user: PageUser | null;
  /** The session's CSRF token, for the header's Log out form. */
  csrf?: string;
  /** This page's path: its link in the header is marked as the current page (`aria-current`). */
  path?: string;
  /** `narrow` centres one short form (log in, register, reset a password); `normal` by default. */
  width?: 'normal' | 'narrow';
}

export const APP_NAME = 'nest-session-starter';

const NAV = [
  { href: '/', text: 'Home' },
  { href: '/dashboard', text: 'Dashboard' },
  { href: '/cart', text: 'Cart' },
];

// What never changes while the app runs is rendered once: the layout then costs a few concatenations per page.
const HEAD = html`<meta charset="utf-8" />
  <meta name="viewport" content="width=device-width, initial-scale=1" />
  <meta name="color-scheme" content="light dark" />
  <link rel="icon" href="${assetUrl('favicon.svg')}" type="image/svg+xml" />
  <link rel="stylesheet" href="${assetUrl('app.css')}" />`;

const BRAND = html`<a class="brand" href="/"
  ><img src="${assetUrl('favicon.svg')}" alt="" width="28" height="28" />${APP_NAME}</a
>`;

const FOOTER = html`<footer class="site-footer">
  <p>${APP_NAME}: session-based authentication for NestJS</p>
</footer>`;

const SIGNED_OUT = html`<a class="button secondary small" href="/login">Log in</a>
  <a class="button small" href="/register">Register</a>`;

/** The navigation with no link marked current, and with each one marked in turn. */
const NAV_BY_PATH = new Map<string | undefined, SafeHtml>(
  [undefined, ...NAV.map((link) => link.href)].map((path) => [path, navigation(path)]),
);

/**
 * A whole HTML document: the header (app name, navigation, who is signed in), `body` in the main column,
 * a footer. Styles come from `/assets/app.css` only: the CSP (`style-src 'self'`) refuses `<style>`
 * elements and `style=` attributes, so a page sets its look with the classes that stylesheet defines.
 */
export function layout(options: LayoutOptions, body: SafeHtml): string {
  const { title, user, csrf, path, width } = options;
  return html`<!doctype html>
    <html lang="en">
      <head>
        ${HEAD}
        <title>${title} · ${APP_NAME}</title>
      </head>
      <body>
        <a class="skip-link" href="#main">Skip to content</a>
        <header class="site-header">
          <div class="bar">
            ${BRAND} ${NAV_BY_PATH.get(path) ?? NAV_BY_PATH.get(undefined)}
            <div class="account">${user ? signedIn(user, csrf) : SIGNED_OUT}</div>
          </div>
        </header>
        <main id="main" class="${width === 'narrow' ? 'narrow' : 'normal'}">${body}</main>
        ${FOOTER}
      </body>
    </html>`.value;
}

function navigation(current: string | undefined): SafeHtml {
  const links = NAV.map(
    (link) =>
      html`<li>
        <a href="${link.href}" ${link.href === current ? html`aria-current="page"` : ''}
          >${link.text}</a
        >
      </li>`,
  );
  return html`<nav class="site-nav" aria-label="Main">
    <ul>
      ${links}
    </ul>
  </nav>`;
}

function signedIn(user: PageUser, csrf?: string): SafeHtml {
  return html`<span class="who"
      ><span class="visually-hidden">Signed in as </span
      ><strong id="who">${user.email}</strong></span
    >
    <a class="button secondary small" href="/account">Account</a>
    ${
      csrf
        ? html`<form class="logout" method="post" action="/logout">
            <input type="hidden" name="_csrf" value="${csrf}" />
            <button type="submit" class="button secondary small">Log out</button>
          </form>`
        : ''
    }`;
}

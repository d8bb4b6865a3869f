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

/**
 * A whole HTML document: the header (app name, navigation, who is signed in), `body` in the main column,
 * a footer. Styles come from `/assets/app.css` only: the CSP (`style-src 'self'`) refuses `<style>`
 * elements and `style=` attributes, so a page sets its look with the classes that stylesheet defines.
 */
export function layout(options: LayoutOptions, body: SafeHtml): string {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <title>${options.title} · ${APP_NAME}</title>
        <link rel="icon" href="${assetUrl('favicon.svg')}" type="image/svg+xml" />
        <link rel="stylesheet" href="${assetUrl('app.css')}" />
      </head>
      <body>
        <a class="skip-link" href="#main">Skip to content</a>
        ${siteHeader(options)}
        <main id="main" class="${options.width === 'narrow' ? 'narrow' : 'normal'}">${body}</main>
        <footer class="site-footer">
          <p>${APP_NAME}: session-based authentication for NestJS</p>
        </footer>
      </body>
    </html>`.value;
}

function siteHeader({ user, csrf, path }: LayoutOptions): SafeHtml {
  return html`<header class="site-header">
    <div class="bar">
      <a class="brand" href="/"
        ><img src="${assetUrl('favicon.svg')}" alt="" width="28" height="28" />${APP_NAME}</a
      >
      <nav class="site-nav" aria-label="Main">
        <ul>
          ${NAV.map(
            (link) =>
              html`<li>
                <a href="${link.href}" ${link.href === path ? html`aria-current="page"` : ''}
                  >${link.text}</a
                >
              </li>`,
          )}
        </ul>
      </nav>
      <div class="account">${user ? signedIn(user, csrf) : signedOut()}</div>
    </div>
  </header>`;
}

function signedIn(user: PageUser, csrf?: string): SafeHtml {
  return html`<span class="who"
      ><span class="visually-hidden">Signed in as </span
      ><strong id="who">${user.email}</strong></span
    >
    ${
      csrf
        ? html`<form class="logout" method="post" action="/logout">
            <input type="hidden" name="_csrf" value="${csrf}" />
            <button type="submit" class="button secondary small">Log out</button>
          </form>`
        : ''
    }`;
}

function signedOut(): SafeHtml {
  return html`<a class="button secondary small" href="/login">Log in</a>
    <a class="button small" href="/register">Register</a>`;
}

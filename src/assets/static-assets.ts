import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

/** One text file served under `/assets/`, read once when the app loads. */
export interface StaticAsset {
  /** UTF-8 text: both platforms send a string as it is (Nest's Express adapter would send a Buffer as JSON). */
  body: string;
  contentType: string;
  /** The first 10 hex digits of the body's SHA-256: pages link `/assets/<name>?v=<version>`. */
  version: string;
}

/**
 * The files the app serves, beside this module in `public/`: `nest build` copies them to `dist/assets/public/`
 * (nest-cli.json `assets`) and `scripts/bundle.mjs` to `dist/bundle/public/`, so `npm start`, the bundle and
 * the image find them the same way. Files in the repo rather than a package or a TS string: they are the
 * app's to restyle, with a CSS editor's help, and a missing one stops the boot instead of a page.
 */
const FILES = {
  'app.css': 'text/css; charset=utf-8',
  'favicon.svg': 'image/svg+xml; charset=utf-8',
  'passkeys.js': 'text/javascript; charset=utf-8',
  'simplewebauthn-browser.js': 'text/javascript; charset=utf-8',
} as const;

/**
 * Files served from an installed package instead of `public/`, so they update with it: @simplewebauthn/browser's
 * UMD build (the global `SimpleWebAuthnBrowser` that `passkeys.js` uses). The package is a production
 * dependency, so the image has it; `require.resolve` finds it from the bundle too.
 */
const PACKAGE_FILES: Partial<Record<string, string>> = {
  'simplewebauthn-browser.js': path.join(
    path.dirname(require.resolve('@simplewebauthn/browser')),
    '../dist/bundle/index.umd.min.js',
  ),
};

export type AssetName = keyof typeof FILES;

const ASSETS = new Map<string, StaticAsset>(
  Object.entries(FILES).map(([name, contentType]) => {
    const body = readFileSync(PACKAGE_FILES[name] ?? path.join(__dirname, 'public', name), 'utf8');
    const version = createHash('sha256').update(body).digest('hex').slice(0, 10);
    return [name, { body, contentType, version }];
  }),
);

/** The asset of that name, or `undefined` (a 404). */
export function findAsset(name: string): StaticAsset | undefined {
  return ASSETS.get(name);
}

/** The URL a page links, which changes whenever the file does: `/assets/app.css?v=3f2a9c1b04`. */
export function assetUrl(name: AssetName): string {
  return `/assets/${name}?v=${ASSETS.get(name)!.version}`;
}

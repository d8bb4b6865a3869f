// Second step of `npm run build`: dist/main.js and everything it loads from node_modules in one file,
// dist/bundle/main.js, which is what production starts (`start:prod`, the image). Node then reads one file
// instead of resolving and loading about a thousand modules (NestJS 12 alone is hundreds of ES modules),
// which cuts the start-up by about 40% (docs/PERFORMANCE.md). dist/ keeps the per-file build for the CLIs.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const modules = path.join(root, 'node_modules');

/** Packages with a native addon (a `binding.gyp`): their loaders find the `.node` file next to them. */
function nativePackages() {
  const names = fs
    .readdirSync(modules)
    .flatMap((name) =>
      name.startsWith('@')
        ? fs.readdirSync(path.join(modules, name)).map((inner) => `${name}/${inner}`)
        : [name],
    );
  return names.filter((name) => fs.existsSync(path.join(modules, name, 'binding.gyp')));
}

/**
 * Integrations that NestJS, Fastify and pg load only when an app uses them (this one does not), so they
 * are not installed: left as `require`s that never run. Add a package here when the build names it in
 * "Could not resolve". NestJS loads `@nestjs/microservices` for a hybrid app through
 * `createRequire(import.meta.url)`, which a CommonJS bundle leaves empty: such an app runs the per-file build.
 */
const OPTIONAL = [
  '@nestjs/microservices',
  '@nestjs/websockets',
  'class-transformer',
  'class-validator',
  '@fastify/static',
  '@fastify/view',
  '@fastify/multipart',
  'pg-native',
];

/** Packages the app reads files from at run time (`require.resolve`), not code: static-assets.ts serves them. */
const FILES_FROM = ['@simplewebauthn/browser'];

const external = [...nativePackages(), ...OPTIONAL, ...FILES_FROM].flatMap((name) => [
  name,
  `${name}/*`,
]);

await build({
  entryPoints: [path.join(root, 'dist/main.js')],
  outfile: path.join(root, 'dist/bundle/main.js'),
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'cjs',
  // jsonc-parser's `main` is a UMD build whose requires a bundler cannot see; its `module` build is plain ESM.
  mainFields: ['module', 'main'],
  // No minifying and no `keepNames`: both cost CPU per request (keepNames names every function as it is made).
  external,
  // ES modules that find files beside themselves (@nestjs/swagger: `createRequire(import.meta.url)` for
  // swagger-ui-dist's files) get the bundle's own URL; a CommonJS bundle would leave `import.meta` empty.
  define: { 'import.meta.url': '__bundleUrl' },
  banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  logLevel: 'warning',
});

// The files src/assets/static-assets.ts reads from `public/` beside itself: beside the bundle too.
fs.cpSync(path.join(root, 'src/assets/public'), path.join(root, 'dist/bundle/public'), {
  recursive: true,
});

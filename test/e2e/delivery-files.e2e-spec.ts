import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from '../support/app-process';

const read = (file: string): string => fs.readFileSync(path.join(ROOT, file), 'utf8');

/** Runs an npm script; fails with its output when it exits non-zero. */
function npmRun(script: string): string {
  try {
    return execFileSync('npm', ['run', '-s', script], { cwd: ROOT, timeout: 60_000 }).toString();
  } catch (error) {
    const e = error as { status: number | null; stdout?: Buffer; stderr?: Buffer };
    throw new Error(
      `npm run ${script} exited ${e.status}:\n${String(e.stdout)}${String(e.stderr)}`,
      { cause: error },
    );
  }
}

describe('the Node version', () => {
  it('is 26 (Active LTS) in .nvmrc and both image stages; engines keeps 24.9 as the floor', () => {
    const { engines } = JSON.parse(read('package.json')) as { engines: { node: string } };
    expect(read('.nvmrc').trim()).toBe('26');
    expect(engines.node).toBe('>=24.9');
    expect(read('Dockerfile').match(/^FROM node:\S+/gm)).toEqual([
      'FROM node:26-trixie-slim',
      'FROM node:26-trixie-slim',
    ]);
  });
});

describe('allowScripts (npm 12 runs only the install scripts it approves)', () => {
  const pkg = JSON.parse(read('package.json')) as { allowScripts: Record<string, boolean> };
  const lock = JSON.parse(read('package-lock.json')) as {
    packages: Record<string, { dev?: boolean }>;
  };
  const named = (key: string) => key.slice(key.lastIndexOf('node_modules/') + 13);
  const entries = Object.entries(pkg.allowScripts);

  it('approves exactly the native addons the production app loads, so they build where no prebuild fits', () => {
    const addons = Object.entries(lock.packages)
      .filter(([key, entry]) => key !== '' && !entry.dev)
      .filter(([key]) => fs.existsSync(path.join(ROOT, key, 'binding.gyp')))
      .map(([key]) => named(key));
    const approved = entries.filter(([, allowed]) => allowed).map(([name]) => name);
    expect([...new Set(addons)].sort()).toEqual(['argon2', 'better-sqlite3']);
    expect(approved.sort()).toEqual(['argon2', 'better-sqlite3']);
  });

  /** Production packages whose install script nothing at runtime needs, with the reason. */
  const NOT_NEEDED_IN_PRODUCTION: Record<string, string> = {
    '@scarf/scarf': "swagger-ui-dist's install-time analytics ping; it installs nothing",
  };

  it('denies only scripts of development dependencies, and named ones nothing at runtime needs', () => {
    const denied = entries.filter(([, allowed]) => !allowed).map(([name]) => name);
    expect(denied.sort()).toEqual([
      '@parcel/watcher',
      '@scarf/scarf',
      'cpu-features',
      'esbuild',
      'protobufjs',
      'ssh2',
    ]);
    for (const name of denied.filter((denied) => !(denied in NOT_NEEDED_IN_PRODUCTION))) {
      const versions = Object.entries(lock.packages).filter(([key]) => named(key) === name);
      expect([name, versions.length > 0, versions.every(([, entry]) => entry.dev)]).toEqual([
        name,
        true,
        true,
      ]);
    }
  });
});

describe('npm scripts', () => {
  const { scripts } = JSON.parse(read('package.json')) as { scripts: Record<string, string> };

  it('npm start and start:dev say development; the built app is left to NODE_ENV (production when unset)', () => {
    expect(scripts.start).toMatch(/^NODE_ENV=development nest start$/);
    expect(scripts['start:dev']).toMatch(/^NODE_ENV=development nest start --watch$/);
    expect(scripts['start:prod']).not.toContain('NODE_ENV');
  });
});

describe('delivery files', () => {
  it('the Dockerfile passes the linter (npm run lint:docker)', () => {
    expect(npmRun('lint:docker')).toContain('Issues: None found');
  });

  it('the GitHub workflow passes the validator (npm run lint:workflow)', () => {
    npmRun('lint:workflow');
  });

  describe('Dockerfile', () => {
    const dockerfile = read('Dockerfile');
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));

    it('builds on trixie-slim with the compilers, ships on it with production dependencies only', () => {
      const build = dockerfile.slice(0, dockerfile.lastIndexOf('\nFROM '));
      expect(build).toMatch(/^FROM node:26-trixie-slim AS build$/m);
      expect(build).toMatch(/apt-get install .*python3 make g\+\+/);
      expect(build).toMatch(/npm prune --omit=dev/);
      expect(runtime).toMatch(/^FROM node:26-trixie-slim AS runtime$/m);
      expect(runtime).not.toMatch(/apt-get|g\+\+/);
    });

    it('runs as node in production, exposes 3000, checks /healthz and starts the bundle', () => {
      expect(runtime).toMatch(/NODE_ENV=production/);
      expect(runtime).toMatch(/^USER node$/m);
      expect(runtime).toMatch(/^EXPOSE 3000$/m);
      expect(runtime).toMatch(/^HEALTHCHECK .*\n? *CMD \["node", "-e", ".*fetch\(.*\/healthz/m);
      const cmd = /^CMD (\[.*\])$/m.exec(runtime)?.[1];
      expect(cmd).toBeDefined();
      const argv = JSON.parse(cmd!) as string[];
      expect(argv[0]).toBe('node');
      expect(argv[argv.length - 1]).toBe('dist/bundle/main.js');
    });

    it('starts node with the same flags as `npm run start:prod`, which the benchmark uses', () => {
      const argv = JSON.parse(/^CMD (\[.*\])$/m.exec(runtime)![1]) as string[];
      const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
        scripts: Record<string, string>;
      };
      const startProd = pkg.scripts['start:prod'].trim().split(/\s+/);

      expect(startProd).toEqual(argv);
      expect(argv).toEqual(expect.arrayContaining(['--max-semi-space-size=2']));
    });

    it('keeps INSTANCE_PATH in a volume owned by node, the one docs/deployment.md mounts', () => {
      const instancePath = /INSTANCE_PATH=(\S+)/.exec(runtime)?.[1];
      expect(instancePath).toBe('/app/instance');
      expect(runtime).toContain(`VOLUME ["${instancePath}"]`);
      expect(runtime).toContain(`chown node:node ${instancePath}`);
      expect(read('docs/deployment.md')).toContain(
        `-v nss-instance:${instancePath} nest-session-starter`,
      );
    });
  });

  it('.dockerignore keeps local state, build output and secrets out of the build context', () => {
    const ignored = read('.dockerignore').split('\n');
    for (const entry of [
      'node_modules',
      'instance',
      '.git',
      'dist',
      'test/artifacts',
      'coverage',
    ]) {
      expect(ignored).toContain(entry);
    }
    expect(ignored).toEqual(expect.arrayContaining(['.env', '.env.*', '*.pem', 'secret_key']));
  });

  it('CI sets the guide SECRET_KEY, runs Node 24 and 26 with Redis and PostgreSQL, and smoke-runs the image', () => {
    const workflow = read('.github/workflows/ci.yml');
    expect(workflow).toMatch(/SECRET_KEY: ci-test-secret-key/);
    expect(workflow).toMatch(/node: \[24, 26\]/);
    expect(workflow).not.toMatch(/actions\/(checkout|setup-node)@v[1-5]\b/);
    expect(workflow).toMatch(/image: redis:7/);
    expect(workflow).toMatch(/image: postgres:16/);
    expect(workflow).toMatch(/docker build -t nest-session-starter \./);
    expect(workflow).toMatch(/run: npm ci\n/);
    expect(workflow).toMatch(/run: bash scripts\/check-install-scripts\.sh\n/);
  });

  it('CI starts compose.yaml until healthy, smoke-tests it and removes it with its volumes', () => {
    const workflow = read('.github/workflows/ci.yml');
    const job = workflow.slice(workflow.indexOf('\n  compose:'));
    expect(job).toMatch(/run: docker compose up --build --detach --wait/);
    expect(job).toMatch(/run: bash scripts\/compose-smoke\.sh\n/);
    expect(job).toMatch(/if: always\(\)\n\s+run: docker compose down --volumes/);
  });

  it('.ci/run runs npm ci with npm 12 and fails on an unreviewed install script', () => {
    const run = read('.ci/run');
    expect(run.indexOf('bash scripts/check-install-scripts.sh')).toBeGreaterThan(
      run.indexOf('npm ci --no-audit --no-fund'),
    );
    expect(read('scripts/check-install-scripts.sh')).toMatch(/ci --strict-allow-scripts/);
  });
});

import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');
/** What production starts (`start:prod`, the image): the app bundled into one file by `npm run build`. */
export const BUILT_MAIN = path.join(ROOT, 'dist/bundle/main.js');

export interface AppProcess {
  child: ChildProcess;
  port: number;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code, or rejects after `ms`. */
  exited: (ms: number) => Promise<number | null>;
  /** Kills the process by its pid (SIGKILL if it does not stop on SIGTERM). */
  stop: () => Promise<void>;
}

/** A free port on 127.0.0.1, found by letting the OS pick one. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Starts the built app (`node dist/bundle/main.js`) as production does, on a free port of 127.0.0.1, with exactly
 * `env` plus PATH (no variable of this test process leaks in).
 */
export async function startApp(
  env: Record<string, string>,
  script = BUILT_MAIN,
): Promise<AppProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [script], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    port: Number(env.PORT ?? env.APP_PORT ?? port),
    stdout: () => out,
    stderr: () => err,
    exited: (ms) => withTimeout(exit, ms, `app did not exit within ${ms} ms`),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await withTimeout(exit, 10_000, 'no exit after SIGTERM').catch(() => child.kill('SIGKILL'));
    },
  };
}

/** Polls `GET url` until it answers, for at most `ms`. */
export async function waitForHttp(url: string, ms = 15_000): Promise<Response> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await fetch(url);
    } catch (error) {
      if (Date.now() > deadline)
        throw new Error(`${url} did not answer within ${ms} ms: ${String(error)}`, {
          cause: error,
        });
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** True when something accepts a TCP connection on 127.0.0.1:port. */
export function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)),
  );
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Built-app processes of one test, each test with its own fresh `INSTANCE_PATH` folder. */
export interface AppProcesses {
  /** This test's instance folder. */
  dir: () => string;
  /** `startApp` with `INSTANCE_PATH` set to `dir()`; stopped by pid after the test. */
  start: (env: Record<string, string>) => Promise<AppProcess>;
}

/** Registers `beforeEach`/`afterEach` that make a fresh folder and stop every started process. */
export function useAppProcesses(label: string): AppProcesses {
  let dir = '';
  const running: AppProcess[] = [];
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), `${label}-`));
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((p) => p.stop()));
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return {
    dir: () => dir,
    start: async (env) => {
      const app = await startApp({ INSTANCE_PATH: dir, ...env });
      running.push(app);
      return app;
    },
  };
}

import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { ROOT } from '../support/app-process';

/** What the script printed and how it ended; it is killed by pid after `ms`. */
function runScript(ms: number): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', [path.join(ROOT, 'scripts/verify-image-recipe.sh')], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own process group, so a timeout also ends npm and the app it started
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => {
      output += `\n(killed after ${ms} ms)`;
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
    }, ms);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('the Docker image recipe, replayed without Docker (scripts/verify-image-recipe.sh)', () => {
  it('builds, prunes to production dependencies, refuses to boot without a key and serves with one', async () => {
    const { code, output } = await runScript(280_000);
    if (code !== 0) throw new Error(`verify-image-recipe.sh exited ${code}:\n${output}`);
    expect(output).toMatch(/none of \d+ devDependencies present/);
    expect(output).toContain('SECRET_KEY (default): is missing');
    expect(output).toMatch(/GET \/dashboard: 200 .*recipe@example\.com/);
    expect(output).toContain('GET /assets/app.css: 200 text/css; charset=utf-8');
    expect(output).toContain('== the image recipe works');
  }, 300_000);
});

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ROOT } from '../support/app-process';

interface SideResult {
  requests: number;
  errors: number;
}
interface BenchResults {
  scenarios: {
    name: string;
    app: SideResult;
    node: SideResult;
    nest: SideResult;
    vs: Record<'node' | 'nest', { ratio: number }>;
  }[];
  startup: { startupMs: { median: number }; nestStartupMs: { median: number } };
  memory: { idleRssMb: number };
  promotion: Record<
    'app' | 'nest',
    {
      requests: number;
      scavenges: number;
      survivedBytes: number;
      pauseMsTotal: number;
      p50: number;
      p99: number;
    }
  >;
}

/** Runs `node bench/run.js` in smoke mode; only that it works is checked, never how fast. */
function runBench(
  output: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bench/run.js')], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', BENCH_SMOKE: '1', BENCH_OUTPUT: output },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run bench (BENCH_SMOKE=1)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-smoke-'));
  const output = path.join(dir, 'latest.json');

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 0, prints the table with both ratios and writes JSON with requests and no errors', async () => {
    const { code, stdout, stderr } = await runBench(output);
    expect({ code, stderr }).toEqual({ code: 0, stderr: expect.any(String) });
    expect(stdout).toMatch(
      /\| scenario\s+\| app req\/s\s+\| node req\/s\s+\| nest req\/s\s+\| app ÷ nest/,
    );
    expect(stdout).toContain('GET /dashboard (cookie)');
    expect(stdout).toContain('start-up to first /healthz');
    expect(stdout).toMatch(/surviving a scavenge under GET \/dashboard .*: app [\d.]+ KB/);

    const results = JSON.parse(readFileSync(output, 'utf8')) as BenchResults;
    expect(results.scenarios.map((s) => s.name)).toEqual([
      'GET /dashboard (cookie)',
      'POST /cart/items (cookie)',
      'GET /dashboard HTML (cookie)',
    ]);
    for (const s of results.scenarios) {
      for (const side of [s.app, s.node, s.nest]) {
        expect(side.requests).toBeGreaterThan(0);
        expect(side.errors).toBe(0);
      }
      expect(s.vs.nest.ratio).toBeGreaterThan(0);
      expect(s.vs.node.ratio).toBeGreaterThan(0);
    }
    expect(results.startup.startupMs.median).toBeGreaterThan(0);
    expect(results.startup.nestStartupMs.median).toBeGreaterThan(0);
    expect(results.memory.idleRssMb).toBeGreaterThan(0);
    // Read off the GC trace of real scavenges under load; the bytes themselves are the bench's to report.
    for (const side of [results.promotion.app, results.promotion.nest]) {
      expect(side.requests).toBeGreaterThan(0);
      expect(side.scavenges).toBeGreaterThan(0);
      expect(side.survivedBytes).toBeGreaterThanOrEqual(0);
      expect(side.pauseMsTotal).toBeGreaterThanOrEqual(0);
      expect(side.p99).toBeGreaterThanOrEqual(side.p50);
    }
  }, 120_000);
});

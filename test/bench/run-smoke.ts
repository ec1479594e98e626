import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Test } from 'tap';
import { fromRoot, ROOT } from '../helpers/paths.js';

/** One entry of bench/results.json, as far as the smoke test reads it. */
export interface SmokeEntry {
  scenario: string;
  what: string;
  figure: number;
  unit: string;
  baseline: number;
  ratio: number;
  target: { atLeast: number } | { atMost: number } | null;
  met: boolean | null;
  rounds: number[];
}

/**
 * Runs `node dist/bench/run.js --smoke --only <scenarios>` (one short round of
 * each) and returns what it wrote. The figures are not judged here: one short
 * round on a shared machine says nothing about speed, only that the bench runs.
 */
export async function runSmoke(t: Test, scenarios: string[]): Promise<{ entries: SmokeEntry[]; table: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'mockdeck-bench-smoke-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const out = join(dir, 'results.json');
  const child = spawn(process.execPath, [fromRoot('dist/bench/run.js'), '--smoke', '--only', scenarios.join(','), '--out', out], { cwd: ROOT, env: { ...process.env, MOCKDECK_LOG_LEVEL: 'silent' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), 100_000);
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  clearTimeout(timer);
  t.equal(code, 0, `the bench exits 0 (stderr: ${stderr.slice(-2000)})`);
  const entries = JSON.parse(await readFile(out, 'utf8')) as SmokeEntry[];
  return { entries, table: stdout };
}

/** Every figure a scenario reports is a real measurement: finite, positive, one round, a ratio that is figure / baseline. */
export function checkEntries(t: Test, entries: SmokeEntry[], scenario: RegExp, expected: number): void {
  const mine = entries.filter((e) => scenario.test(e.scenario));
  t.equal(mine.length, expected, `${scenario} reports ${expected} figures`);
  for (const e of mine) {
    t.ok(Number.isFinite(e.figure) && e.figure > 0, `${e.scenario}: ${e.what}: figure ${e.figure} ${e.unit}`);
    t.ok(Number.isFinite(e.baseline) && e.baseline > 0, `${e.scenario}: baseline ${e.baseline}`);
    t.ok(Math.abs(e.ratio - e.figure / e.baseline) <= 0.01 * Math.max(1, e.ratio), `${e.scenario}: ratio ${e.ratio} is figure / baseline`);
    t.equal(e.rounds.length, 1, `${e.scenario}: one smoke round`);
    if (e.target === null) t.equal(e.met, null, `${e.scenario}: information only`);
    else t.equal(e.met, 'atLeast' in e.target ? e.ratio >= e.target.atLeast : e.ratio <= e.target.atMost, `${e.scenario}: met agrees with the target`);
  }
}

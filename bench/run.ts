/**
 * `npm run bench`: measures mockdeck against bare baselines, every figure as a
 * ratio of two things measured in the same run (these machines are shared and
 * noisy). Prints a table and writes bench/results.json.
 *
 *   node dist/bench/run.js [--smoke] [--only replay-hit,startup] [--out FILE]
 *
 * --smoke runs each scenario for one short round (the smoke test), and writes
 * results only when --out is given.
 */
import { writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { scratchDir } from './lib/fixtures.js';
import { fromRoot } from './lib/paths.js';
import { renderTable, type ResultEntry } from './lib/results.js';
import { FULL, SMOKE, type Settings } from './lib/settings.js';
import { cassetteScale } from './scenarios/cassette-scale.js';
import { gated } from './scenarios/gated.js';
import { recordProxy } from './scenarios/record-proxy.js';
import { replayHit } from './scenarios/replay-hit.js';
import { specFallback } from './scenarios/spec-fallback.js';
import { startup } from './scenarios/startup.js';

const SCENARIOS: Record<string, (s: Settings) => Promise<ResultEntry[]>> = {
  'replay-hit': replayHit,
  'spec-fallback': specFallback,
  gated,
  'record-proxy': recordProxy,
  'cassette-scale': cassetteScale,
  startup,
};

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { smoke: { type: 'boolean', default: false }, only: { type: 'string' }, out: { type: 'string' } } });
  const names = values.only ? values.only.split(',').map((n) => n.trim()) : Object.keys(SCENARIOS);
  const unknown = names.filter((n) => !(n in SCENARIOS));
  if (unknown.length > 0) throw new Error(`unknown scenario ${unknown.join(', ')}; pick from ${Object.keys(SCENARIOS).join(', ')}`);
  const scratch = await scratchDir();
  const log = (line: string): void => void process.stderr.write(line + '\n');
  const settings: Settings = { ...(values.smoke ? SMOKE : FULL), scratch: scratch.dir, log };
  log(`mockdeck bench${settings.smoke ? ' (smoke)' : ''}: node ${process.version}, ${availableParallelism()} cores, ${settings.rounds} rounds of ${settings.seconds} s after a ${settings.warmupSeconds} s warm-up, ${settings.connections} connections`);
  const started = performance.now();
  const entries: ResultEntry[] = [];
  try {
    for (const name of names) {
      const t0 = performance.now();
      log(`${name}…`);
      entries.push(...(await (SCENARIOS[name] as (s: Settings) => Promise<ResultEntry[]>)(settings)));
      log(`${name} done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
  } finally {
    await scratch.remove();
  }
  process.stdout.write(renderTable(entries) + '\n');
  const missed = entries.filter((e) => e.met === false);
  process.stdout.write(`\n${entries.filter((e) => e.met === true).length} targets met, ${missed.length} missed${missed.length ? `: ${missed.map((e) => `${e.scenario} (${e.ratio})`).join('; ')}` : ''}; ${((performance.now() - started) / 1000).toFixed(0)} s in all\n`);
  const out = values.out ?? (settings.smoke || values.only ? undefined : fromRoot('bench/results.json'));
  if (out) {
    await writeFile(out, JSON.stringify(entries, null, 2) + '\n');
    log(`wrote ${out}`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exitCode = 1;
});

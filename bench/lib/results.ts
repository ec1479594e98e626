import type { LoadSample } from './load.js';
import { round, spread, type Spread } from './stats.js';

/** `atLeast`: the ratio must reach it (throughput); `atMost`: must stay under it (time, memory). */
export type Target = { atLeast: number } | { atMost: number };

/**
 * One measured figure, as written to `bench/results.json`. `figure` and
 * `baseline` are medians over the measured rounds (for a memory limit,
 * `baseline` is the limit itself); `ratio` is figure / baseline; `met` says
 * whether the ratio is on the right side of `target` (null: information only).
 */
export interface ResultEntry {
  scenario: string;
  /** What was measured, in words. */
  what: string;
  figure: number;
  unit: string;
  baseline: number;
  /** What the baseline is: a program in bench/baselines, another mockdeck set-up, or "limit". */
  against: string;
  ratio: number;
  target: Target | null;
  met: boolean | null;
  min: number;
  max: number;
  baselineMin: number;
  baselineMax: number;
  rounds: number[];
  baselineRounds: number[];
  /** Latency beside throughput: median (min–max) over the rounds of each round's p50 and p99. */
  latencyMs?: { p50: Spread; p99: Spread; baselineP50: Spread; baselineP99: Spread };
  /** Memory figures: the RSS high-water mark (VmHWM) beside the RSS, for information. */
  peakMB?: Spread;
}

export function meets(ratio: number, target: Target | null): boolean | null {
  if (target === null) return null;
  return 'atLeast' in target ? ratio >= target.atLeast : ratio <= target.atMost;
}

/**
 * The ratio as reported, rounded away from the target's side: a miss never
 * shows as a value that would meet it (0.8496 against ≥ 0.85 shows 0.849,
 * 2.5001 against ≤ 2.5 shows 2.501), so `ratio` and `met` always agree. Three
 * decimals for every kind, so the shown ratio stays within 0.001 of the exact one.
 */
function shownRatio(ratio: number, digits: number, target: Target | null): number {
  if (target === null) return round(ratio, digits);
  const scale = 10 ** digits;
  // Cleared of float noise first: 1.001 * 1000 is 1000.9999999999999, which must not floor to 1000.
  const scaled = Math.round(ratio * scale * 1e6) / 1e6;
  return 'atLeast' in target ? Math.floor(scaled) / scale : Math.ceil(scaled) / scale;
}

const roundSpread = (s: Spread): Spread => ({ median: round(s.median), min: round(s.min), max: round(s.max), rounds: s.rounds.map((v) => round(v)) });

/** A throughput comparison: mockdeck's samples against its baseline's. */
export function throughputEntry(scenario: string, what: string, against: string, mine: LoadSample[], base: LoadSample[], target: Target | null): ResultEntry {
  const a = spread(mine.map((s) => s.rps));
  const b = spread(base.map((s) => s.rps));
  const ratio = a.median / b.median;
  return {
    scenario, what, unit: 'req/s', against,
    figure: round(a.median, 0), baseline: round(b.median, 0), ratio: shownRatio(ratio, 3, target), target, met: meets(ratio, target),
    min: round(a.min, 0), max: round(a.max, 0), baselineMin: round(b.min, 0), baselineMax: round(b.max, 0),
    rounds: a.rounds.map((v) => round(v, 0)), baselineRounds: b.rounds.map((v) => round(v, 0)),
    latencyMs: {
      p50: roundSpread(spread(mine.map((s) => s.p50Ms))),
      p99: roundSpread(spread(mine.map((s) => s.p99Ms))),
      baselineP50: roundSpread(spread(base.map((s) => s.p50Ms))),
      baselineP99: roundSpread(spread(base.map((s) => s.p99Ms))),
    },
  };
}

/** A time comparison (lower is better): ratio = mockdeck / baseline. */
export function timeEntry(scenario: string, what: string, against: string, mine: number[], base: number[], target: Target | null): ResultEntry {
  const a = spread(mine);
  const b = spread(base);
  const ratio = a.median / b.median;
  return {
    scenario, what, unit: 'ms', against,
    figure: round(a.median, 0), baseline: round(b.median, 0), ratio: shownRatio(ratio, 3, target), target, met: meets(ratio, target),
    min: round(a.min, 0), max: round(a.max, 0), baselineMin: round(b.min, 0), baselineMax: round(b.max, 0),
    rounds: a.rounds.map((v) => round(v, 0)), baselineRounds: b.rounds.map((v) => round(v, 0)),
  };
}

/** A memory limit: ratio = figure / limit, met when within it. */
export function memoryEntry(scenario: string, what: string, mine: number[], limitMB: number): ResultEntry {
  const a = spread(mine);
  const ratio = a.median / limitMB;
  return {
    scenario, what, unit: 'MB', against: 'limit',
    figure: round(a.median, 0), baseline: limitMB, ratio: shownRatio(ratio, 3, { atMost: 1 }), target: { atMost: 1 }, met: ratio <= 1,
    min: round(a.min, 0), max: round(a.max, 0), baselineMin: limitMB, baselineMax: limitMB,
    rounds: a.rounds.map((v) => round(v, 0)), baselineRounds: a.rounds.map(() => limitMB),
  };
}

const targetText = (t: Target | null): string => (t === null ? 'info' : 'atLeast' in t ? `≥ ${t.atLeast}` : `≤ ${t.atMost}`);
const metText = (m: boolean | null): string => (m === null ? '–' : m ? 'yes' : 'NO');
const num = (v: number): string => (Math.abs(v) >= 100 ? Math.round(v).toLocaleString('en-US') : String(round(v, 1)));

/** The table printed at the end of a run (and pasted into bench/README.md). */
export function renderTable(entries: readonly ResultEntry[]): string {
  const header = ['scenario', 'figure', 'mockdeck median (min–max)', 'baseline median (min–max)', 'ratio', 'target', 'met', 'p50 / p99 ms (baseline)'];
  const rows = entries.map((e) => [
    e.scenario,
    e.what,
    `${num(e.figure)} ${e.unit} (${num(e.min)}–${num(e.max)})`,
    e.against === 'limit' ? `limit ${num(e.baseline)} ${e.unit}` : `${num(e.baseline)} ${e.unit} (${num(e.baselineMin)}–${num(e.baselineMax)}) ${e.against}`,
    String(e.ratio),
    targetText(e.target),
    metText(e.met),
    e.latencyMs ? `${num(e.latencyMs.p50.median)} / ${num(e.latencyMs.p99.median)} (${num(e.latencyMs.baselineP50.median)} / ${num(e.latencyMs.baselineP99.median)})` : '',
  ]);
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

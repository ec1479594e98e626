import { expectAnswer, load, type LoadSample } from './load.js';
import { alternate } from './rounds.js';
import { ServerProcess, type Memory } from './server-process.js';
import type { Settings } from './settings.js';

/** One side of a throughput comparison. */
export interface LoadSide {
  url: string;
  paths: readonly string[] | (() => string);
  headers?: Record<string, string>;
}

/** Warm-up of every side, then alternating measured rounds; samples per side. */
export function compareThroughput(s: Settings, sides: readonly LoadSide[]): Promise<LoadSample[][]> {
  const run = (side: LoadSide, seconds: number) => () => load(side.url, { paths: side.paths, headers: side.headers, seconds, connections: s.connections });
  return alternate(sides.map((side) => run(side, s.seconds)), { rounds: s.rounds, warmup: sides.map((side) => run(side, s.warmupSeconds)) });
}

/** How one program is started and asked its first question. */
export interface StartSide {
  name: string;
  args: string[];
  path: string;
  expect?: { status?: number; source?: string };
}

export interface StartSample {
  /** Spawn to the first answer fully received. */
  ms: number;
  memory: Memory;
}

/** Spawns the program, asks the first question as soon as it listens, and stops it. */
export async function timeToFirstAnswer(side: StartSide): Promise<StartSample> {
  const server = await ServerProcess.start(side.name, side.args);
  try {
    await expectAnswer(server.url + side.path, side.expect ?? {});
    const ms = performance.now() - server.spawnedAt;
    return { ms, memory: server.memory() };
  } finally {
    await server.stop();
  }
}

/**
 * One warm-up start of each side (so every side starts with the same warm file
 * cache), then alternating measured starts. The smoke run skips the warm-up.
 */
export function compareStartup(s: Settings, sides: readonly StartSide[]): Promise<StartSample[][]> {
  const run = (side: StartSide) => () => timeToFirstAnswer(side);
  return alternate(sides.map(run), { rounds: s.rounds, warmup: s.smoke ? [] : sides.map(run) });
}

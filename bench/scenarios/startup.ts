import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { compareStartup } from '../lib/compare.js';
import { BASELINES, GITHUB_SPEC, MOCKDECK_BIN } from '../lib/paths.js';
import { memoryEntry, timeEntry, type ResultEntry } from '../lib/results.js';
import { spread } from '../lib/stats.js';
import type { Settings } from '../lib/settings.js';

const STARTUP_ROUNDS = 9;

/**
 * 6. Startup: spawn to first answer of `mockdeck replay` (the embedded petstore;
 * the GitHub REST spec of @octokit/openapi) vs the bare Fastify program, and the
 * RSS right after that first answer.
 */
export async function startup(s: Settings): Promise<ResultEntry[]> {
  const empty = join(s.scratch, 'no-cassettes');
  await mkdir(empty, { recursive: true });
  // A start takes under a second, and on a shared host one start in three can
  // take twice as long as the others: the median of 3 moved the ratio by 0.5×
  // between runs. More rounds cost a few seconds and steady it (all sides alike).
  const rounds = s.smoke ? s.rounds : Math.max(s.rounds, STARTUP_ROUNDS);
  const [petstore, github, bare] = await compareStartup({ ...s, rounds }, [
    { name: 'mockdeck replay (petstore)', args: [MOCKDECK_BIN, 'replay', '--port', '0'], path: '/pets/1', expect: { source: 'cassette' } },
    { name: 'mockdeck replay (GitHub)', args: [MOCKDECK_BIN, 'replay', '--spec', GITHUB_SPEC, '--cassettes', empty, '--port', '0'], path: '/repos/octocat/hello-world', expect: { source: 'spec' } },
    { name: 'bare-fastify', args: [BASELINES.fastify], path: '/' },
  ]);
  const against = 'bare-fastify.js spawn to first answer';
  const peak = (xs: typeof petstore) => ({ peakMB: spread(xs!.map((x) => Math.round(x.memory.peakMB))) });
  return [
    timeEntry('startup (petstore)', 'spawn to first answer, GET /pets/1', against, petstore!.map((x) => x.ms), bare!.map((x) => x.ms), { atMost: 2.5 }),
    { ...memoryEntry('startup (petstore)', 'RSS after the first answer', petstore!.map((x) => x.memory.rssMB), 120), ...peak(petstore) },
    timeEntry('startup (GitHub spec)', 'spawn to first answer, GET /repos/octocat/hello-world', against, github!.map((x) => x.ms), bare!.map((x) => x.ms), { atMost: 5 }),
    { ...memoryEntry('startup (GitHub spec)', 'RSS after the first answer', github!.map((x) => x.memory.rssMB), 200), ...peak(github) },
  ];
}

import { join } from 'node:path';
import { compareStartup, compareThroughput } from '../lib/compare.js';
import { expectAnswer } from '../lib/load.js';
import { BASELINES, MOCKDECK_BIN, PETSTORE_SPEC } from '../lib/paths.js';
import { memoryEntry, throughputEntry, timeEntry, type ResultEntry } from '../lib/results.js';
import { spread } from '../lib/stats.js';
import { ServerProcess, stopAll } from '../lib/server-process.js';
import type { Settings } from '../lib/settings.js';
import { spreadKeys, writeScaleCassette } from '../lib/fixtures.js';

const SMALL = 10;

/**
 * 5. Scale of the cassette: hit throughput with a big cassette vs a 10-interaction
 * one; spawn-to-first-answer with the big one vs the bare Fastify program; its RSS.
 */
export async function cassetteScale(s: Settings): Promise<ResultEntry[]> {
  const dir = join(s.scratch, 'scale');
  const big = s.scaleCount;
  const t0 = performance.now();
  await Promise.all([writeScaleCassette(dir, 'big', big), writeScaleCassette(dir, 'small', SMALL)]);
  s.log(`  wrote a ${big}-interaction cassette in ${Math.round(performance.now() - t0)} ms`);
  const replay = (cassette: string): string[] => [MOCKDECK_BIN, 'replay', '--spec', PETSTORE_SPEC, '--cassettes', dir, '--cassette', cassette, '--port', '0'];
  const bigKeys = spreadKeys(big);
  const smallKeys = spreadKeys(SMALL);

  const [loads, bares] = await compareStartup(s, [
    { name: `mockdeck replay (${big} interactions)`, args: replay('big'), path: bigKeys[5] as string, expect: { source: 'cassette' } },
    { name: 'bare-fastify', args: [BASELINES.fastify], path: '/' },
  ]);
  const label = big.toLocaleString('en-US');
  const entries = [
    timeEntry('cassette scale', `spawn to first answer with ${label} interactions`, 'bare-fastify.js spawn to first answer', loads!.map((x) => x.ms), bares!.map((x) => x.ms), { atMost: 15 }),
    { ...memoryEntry('cassette scale', `RSS after loading ${label} interactions`, loads!.map((x) => x.memory.rssMB), 300), peakMB: spread(loads!.map((x) => Math.round(x.memory.peakMB))) },
  ];

  let large: ServerProcess | undefined;
  let small: ServerProcess | undefined;
  try {
    [large, small] = await Promise.all([ServerProcess.start('mockdeck replay (big)', replay('big')), ServerProcess.start('mockdeck replay (small)', replay('small'))]);
    for (const key of bigKeys) await expectAnswer(large.url + key, { source: 'cassette' });
    for (const key of smallKeys) await expectAnswer(small.url + key, { source: 'cassette' });
    const [mine, base] = await compareThroughput(s, [{ url: large.url, paths: bigKeys }, { url: small.url, paths: smallKeys }]);
    entries.unshift(throughputEntry('cassette scale', `hits over 10 keys of a ${label}-interaction cassette`, `the same over a ${SMALL}-interaction cassette`, mine!, base!, { atLeast: 0.9 }));
  } finally {
    await stopAll([large, small]);
  }
  return entries;
}

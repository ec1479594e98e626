import { compareThroughput } from '../lib/compare.js';
import { expectAnswer } from '../lib/load.js';
import { throughputEntry, type ResultEntry } from '../lib/results.js';
import { stopAll, type ServerProcess } from '../lib/server-process.js';
import type { Settings } from '../lib/settings.js';
import { startBareWithSameBytes, startDefaultMock } from './replay-hit.js';

/**
 * Requests no cassette holds, answered from the spec of the default petstore
 * mock (the cassette is loaded, so each is a real miss first).
 */
const FALLBACKS = [
  { figure: 'example', path: '/pets?status=sold', what: 'GET /pets?status=sold (not recorded): the spec example' },
  { figure: 'schema-generated', path: '/users/alice', what: 'GET /users/alice (not recorded): generated from the schema' },
] as const;

/** 2. Spec fallback, from an example and generated from the schema, vs the same bytes from bare Fastify. */
export async function specFallback(s: Settings): Promise<ResultEntry[]> {
  let mock: ServerProcess | undefined;
  let bare: ServerProcess | undefined;
  try {
    mock = await startDefaultMock();
    const answers = Object.fromEntries(await Promise.all(FALLBACKS.map(async (f) => [f.path, await expectAnswer(mock!.url + f.path, { source: 'spec' })] as const)));
    bare = await startBareWithSameBytes(s, 'spec-fallback-routes.json', answers);
    const entries: ResultEntry[] = [];
    for (const f of FALLBACKS) {
      const [mine, base] = await compareThroughput(s, [{ url: mock.url, paths: [f.path] }, { url: bare.url, paths: [f.path] }]);
      entries.push(throughputEntry(`spec fallback (${f.figure})`, f.what, 'bare-fastify.js', mine!, base!, { atLeast: 0.6 }));
    }
    return entries;
  } finally {
    await stopAll([mock, bare]);
  }
}

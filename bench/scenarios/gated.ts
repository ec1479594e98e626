import { compareThroughput } from '../lib/compare.js';
import { expectAnswer } from '../lib/load.js';
import { throughputEntry, type ResultEntry } from '../lib/results.js';
import { stopAll, type ServerProcess } from '../lib/server-process.js';
import type { Settings } from '../lib/settings.js';
import { startDefaultMock } from './replay-hit.js';

const KEY = 'bench-key-0123456789';

/** 3. Gated: the replay hit through the API-key gate vs the same hit on an ungated mock (same request bytes). */
export async function gated(s: Settings): Promise<ResultEntry[]> {
  const path = '/pets/1';
  const headers = { 'x-api-key': KEY };
  let keyed: ServerProcess | undefined;
  let open: ServerProcess | undefined;
  try {
    [keyed, open] = await Promise.all([startDefaultMock('mockdeck replay --api-key', ['--api-key', KEY]), startDefaultMock()]);
    await expectAnswer(keyed.url + path, { status: 401 });
    await expectAnswer(keyed.url + path, { source: 'cassette' }, headers);
    await expectAnswer(open.url + path, { source: 'cassette' }, headers);
    const [mine, base] = await compareThroughput(s, [{ url: keyed.url, paths: [path], headers }, { url: open.url, paths: [path], headers }]);
    return [throughputEntry('gated', `GET ${path} from the cassette with a valid x-api-key`, 'the same mock without --api-key', mine!, base!, { atLeast: 0.95 })];
  } finally {
    await stopAll([keyed, open]);
  }
}

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CassetteStore } from '../../src/cassette/index.js';
import type { Interaction } from '../../src/types.js';

/** A scratch folder for one bench run; removed by the returned function. */
export async function scratchDir(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'mockdeck-bench-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

const STAMP = Date.UTC(2026, 10, 24, 10, 0, 0);

/** The i-th recording of `GET /pets?limit=<i>` (listPets of the petstore spec). */
export function listPetsInteraction(i: number): Interaction {
  return {
    id: `01BENCH${String(i).padStart(19, '0')}`,
    recordedAt: new Date(STAMP + i).toISOString(),
    durationMs: 3,
    operationId: 'listPets',
    request: { method: 'GET', path: '/pets', pathParams: {}, query: { limit: [String(i)] }, headers: {}, body: null, bodyEncoding: 'utf8' },
    response: {
      status: 200,
      headers: { 'content-type': 'application/json', 'x-total-count': '1' },
      body: [{ id: i + 1, name: `pet-${i}`, status: 'available', tags: ['dog'] }],
      bodyEncoding: 'json',
    },
    alignment: { ok: true, findings: [] },
  };
}

/**
 * Writes a cassette of `count` listPets interactions through mockdeck's own
 * store, so it lies on disk exactly as a recording of that many requests
 * would (4 MiB part files).
 */
export async function writeScaleCassette(cassettesDir: string, name: string, count: number): Promise<void> {
  const store = await CassetteStore.open(join(cassettesDir, name), { name, spec: null, target: null }, { now: () => new Date(STAMP) });
  await store.appendMany(Array.from({ length: count }, (_, i) => listPetsInteraction(i)));
  await store.flush();
}

/** Ten recorded keys spread evenly over a cassette of `count` interactions. */
export function spreadKeys(count: number): string[] {
  const step = Math.max(1, Math.floor(count / 10));
  return Array.from({ length: Math.min(10, count) }, (_, k) => `/pets?limit=${k * step}`);
}

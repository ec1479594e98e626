import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileNameForOperation, serializeCassetteMeta, serializeOperationFile } from '../../src/cassette/index.js';
import type { CassetteMeta, Interaction } from '../../src/types.js';

let counter = 0;

/** A well-formed interaction with sensible defaults; override what the test is about. */
export function interaction(over: { operationId?: string | null; method?: string; path?: string; pathParams?: Record<string, string>; query?: Record<string, string[]>; requestBody?: unknown; status?: number; body?: unknown; headers?: Record<string, string>; durationMs?: number } = {}): Interaction {
  counter++;
  const body = over.body ?? { n: counter };
  return {
    id: `01TEST${String(counter).padStart(20, '0')}`,
    recordedAt: new Date(Date.UTC(2026, 10, 24, 10, 0, 0, counter)).toISOString(),
    durationMs: over.durationMs ?? 1,
    operationId: over.operationId === undefined ? 'getPetById' : over.operationId,
    request: {
      method: over.method ?? 'GET',
      path: over.path ?? '/pets/1',
      pathParams: over.pathParams ?? { petId: '1' },
      query: over.query ?? {},
      headers: {},
      body: over.requestBody === undefined ? null : over.requestBody,
      bodyEncoding: over.requestBody === undefined ? 'utf8' : 'json',
    },
    response: { status: over.status ?? 200, headers: { 'content-type': 'application/json', ...over.headers }, body, bodyEncoding: typeof body === 'string' ? 'utf8' : 'json' },
    alignment: { ok: true, findings: [] },
  };
}

/** Writes a cassette folder directly in the on-disk format. */
export async function writeCassette(cassettesDir: string, name: string, interactions: Interaction[], meta: Partial<CassetteMeta> = {}): Promise<string> {
  const dir = join(cassettesDir, name);
  await mkdir(dir, { recursive: true });
  const now = '2026-11-24T10:00:00.000Z';
  await writeFile(join(dir, 'cassette.json'), serializeCassetteMeta({ name, spec: null, target: null, createdAt: now, updatedAt: now, formatVersion: 1, ...meta }));
  const byFile = new Map<string, Interaction[]>();
  for (const i of interactions) {
    const f = fileNameForOperation(i.operationId);
    const list = byFile.get(f);
    if (list) list.push(i);
    else byFile.set(f, [i]);
  }
  for (const [file, list] of byFile) await writeFile(join(dir, file), serializeOperationFile({ operationId: list[0]!.operationId, interactions: list }));
  return dir;
}

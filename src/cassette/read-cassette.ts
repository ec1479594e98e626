import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { MockdeckError } from '../errors.js';
import type { Cassette, CassetteMeta, Interaction } from '../types.js';
import { META_FILE, partOf } from './file-name.js';
import { assertSchema } from './schema.js';
import { parseCassetteJson, type OperationFile } from './serialize.js';

/** The only cassette format this mockdeck reads and writes. */
export const FORMAT_VERSION = 1;

/** One operation file as read from disk. */
export interface StoredOperationFile extends OperationFile {
  fileName: string;
  /** Size of the file in bytes. */
  bytes: number;
}

/** Everything in a cassette folder, file by file (used by the store). */
export interface CassetteFiles {
  /** `null` when the folder has no cassette.json yet. */
  meta: CassetteMeta | null;
  /** Sorted by file name. */
  files: StoredOperationFile[];
}

// Enough parallel reads to hide latency without running out of file handles
// on a spec with thousands of operations.
const READ_CONCURRENCY = 16;

/**
 * Reads a whole cassette: `cassette.json` and every operation file, each checked
 * against cassette.schema.json. Interactions come back in recorded order
 * (by recordedAt; equal times keep file-name order, then in-file order).
 * A bad file is an error naming it; nothing is ever rewritten.
 *
 * @example
 * const { meta, interactions } = await loadCassette('cassettes/petstore')
 */
export async function loadCassette(dir: string): Promise<Cassette> {
  const { meta, files } = await readCassetteFiles(dir, { requireMeta: true });
  return { meta: meta as CassetteMeta, interactions: sortRecorded(files.flatMap((f) => f.interactions)) };
}

/**
 * Reads and checks only `cassette.json`.
 *
 * @example
 * const meta = await readCassetteMeta('cassettes/petstore') // { name: 'petstore', formatVersion: 1, ... }
 */
export async function readCassetteMeta(dir: string): Promise<CassetteMeta> {
  await assertFolder(dir);
  const meta = await readMetaFile(dir);
  if (meta === null) throw missingMeta(dir);
  return meta;
}

/**
 * Names of the cassettes under `cassettesDir`: its sub-folders that hold a
 * `cassette.json`, sorted by code unit so the order is the same everywhere.
 *
 * @example
 * await listCassetteNames('cassettes') // ['checkout', 'petstore']
 */
export async function listCassetteNames(cassettesDir: string): Promise<string[]> {
  await assertFolder(cassettesDir, 'Create it, or pass --cassettes with the folder that holds your cassette folders.');
  const entries = await readdir(cassettesDir, { withFileTypes: true });
  const names: string[] = [];
  for (const entry of entries) {
    if (entry.isDirectory() && (await isFile(join(cassettesDir, entry.name, META_FILE)))) names.push(entry.name);
  }
  return names.sort();
}

/**
 * Reads and validates every file of a cassette folder. With `requireMeta`, a
 * folder without cassette.json is CASSETTE_NOT_FOUND; without it (the store
 * opening a folder to record into), meta is simply null.
 */
export async function readCassetteFiles(dir: string, options: { requireMeta: boolean }): Promise<CassetteFiles> {
  await assertFolder(dir);
  // Meta first: a newer formatVersion may mean the other files have another shape.
  const meta = await readMetaFile(dir);
  if (meta === null && options.requireMeta) throw missingMeta(dir);
  const names = (await readdir(dir, { withFileTypes: true }))
    .filter((e) => e.isFile() && e.name.endsWith('.json') && e.name !== META_FILE && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
  const files = await mapInOrder(names, (name) => readOperationFile(dir, name));
  assertUniqueOperations(dir, files);
  return { meta, files };
}

/**
 * Stable sort by `recordedAt` (compared as instants, so `...00Z` and
 * `...00.000Z` are equal); equal instants keep their input order.
 *
 * @example
 * sortRecorded([later, earlier]) // [earlier, later]
 */
export function sortRecorded(interactions: readonly Interaction[]): Interaction[] {
  return interactions
    .map((interaction, index) => ({ interaction, index, time: Date.parse(interaction.recordedAt) }))
    .sort((a, b) => a.time - b.time || a.index - b.index)
    .map((entry) => entry.interaction);
}

async function readMetaFile(dir: string): Promise<CassetteMeta | null> {
  const file = join(dir, META_FILE);
  const text = await readTextIfExists(file);
  if (text === null) return null;
  const value = parseCassetteJson(text, file);
  assertFormatVersion(value, file);
  assertSchema('cassetteMeta', value, file);
  return value as CassetteMeta;
}

/** Runs before the schema check, so a newer cassette gets "upgrade", not "invalid". */
function assertFormatVersion(value: unknown, file: string): void {
  const found = (value as { formatVersion?: unknown } | null)?.formatVersion;
  if (typeof found === 'number' && found !== FORMAT_VERSION) {
    throw new MockdeckError('MOCKDECK_ERR_CASSETTE_VERSION', { file, found, supported: FORMAT_VERSION });
  }
}

async function readOperationFile(dir: string, fileName: string): Promise<StoredOperationFile> {
  const file = join(dir, fileName);
  const bytes = await readBytes(file);
  const value = parseCassetteJson(textOf(bytes, file), file);
  assertSchema('operationFile', value, file);
  const content = value as OperationFile;
  content.interactions.forEach((interaction, i) => {
    if (interaction.operationId !== content.operationId) {
      throw new MockdeckError('MOCKDECK_ERR_CASSETTE_SCHEMA', {
        file,
        pointer: `/interactions/${i}/operationId`,
        reason: `is ${JSON.stringify(interaction.operationId)} but this file holds operation ${JSON.stringify(content.operationId)}; move the interaction to its operation's file`,
      });
    }
  });
  return { fileName, operationId: content.operationId, interactions: content.interactions, bytes: bytes.length };
}

/** V8 cannot hold a string this long; the store splits files into parts well below it. */
const MAX_FILE_CHARS = 0x1fffffe8;

async function readBytes(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (err) {
    // Over 2 GiB: more than a Buffer holds.
    if (hasCode(err, 'ERR_FS_FILE_TOO_LARGE')) throw new MockdeckError('MOCKDECK_ERR_CASSETTE_TOO_LARGE', { file, bytes: (await stat(file)).size, limit: MAX_FILE_CHARS }, { cause: err });
    throw err;
  }
}

function textOf(bytes: Buffer, file: string): string {
  if (bytes.length > MAX_FILE_CHARS) {
    throw new MockdeckError('MOCKDECK_ERR_CASSETTE_TOO_LARGE', { file, bytes: bytes.length, limit: MAX_FILE_CHARS });
  }
  return bytes.toString('utf8');
}

/**
 * Two files for one operation would make appends land in only one of them,
 * unless they are parts of one file (`getPet.json`, `getPet~2.json`, ...).
 */
function assertUniqueOperations(dir: string, files: readonly StoredOperationFile[]): void {
  const seen = new Map<string | null, string>();
  for (const f of files) {
    const other = seen.get(f.operationId);
    if (other !== undefined && partOf(other).base !== partOf(f.fileName).base) {
      throw new MockdeckError('MOCKDECK_ERR_CASSETTE_SCHEMA', {
        file: join(dir, f.fileName),
        pointer: '/operationId',
        reason: `operation ${JSON.stringify(f.operationId)} is also stored in ${other}; merge the two files into one`,
      });
    }
    seen.set(f.operationId, f.fileName);
  }
}

async function assertFolder(dir: string, hint = 'Record into it with `mockdeck record --cassette NAME`, or check --cassettes.'): Promise<void> {
  let isDir: boolean;
  try {
    isDir = (await stat(dir)).isDirectory();
  } catch (err) {
    if (!hasCode(err, 'ENOENT', 'ENOTDIR')) throw err;
    isDir = false;
  }
  if (!isDir) throw new MockdeckError('MOCKDECK_ERR_CASSETTE_NOT_FOUND', { file: dir, hint });
}

function missingMeta(dir: string): MockdeckError {
  return new MockdeckError('MOCKDECK_ERR_CASSETTE_NOT_FOUND', {
    file: join(dir, META_FILE),
    hint: 'The folder exists but has no cassette.json, so it is not a cassette; record or import into it to create one.',
  });
}

async function readTextIfExists(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if (hasCode(err, 'ENOENT')) return null;
    throw err;
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch (err) {
    if (hasCode(err, 'ENOENT', 'ENOTDIR')) return false;
    throw err;
  }
}

/**
 * Maps with bounded concurrency; when several items fail, throws the error of
 * the first one in input order, so the same broken folder always gives the
 * same message.
 */
async function mapInOrder<T, R>(items: readonly T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<{ ok: true; value: R } | { ok: false; error: unknown }>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      try {
        results[index] = { ok: true, value: await fn(items[index] as T) };
      } catch (error) {
        results[index] = { ok: false, error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, items.length) }, worker));
  return results.map((r) => {
    if (!r.ok) throw r.error;
    return r.value;
  });
}

/** True for a Node system error with one of `codes` (e.g. ENOENT). */
function hasCode(err: unknown, ...codes: string[]): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && codes.includes(code);
}

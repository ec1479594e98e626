import { join } from 'node:path';
import { MockdeckError } from '../errors.js';
import type { CassetteMeta, CassetteSpecRef, Interaction } from '../types.js';
import { nodeWriteFs, probeWritable, writeFileAtomic, type WriteFs } from './atomic-write.js';
import { fileNameForOperation, META_FILE } from './file-name.js';
import { FORMAT_VERSION, readCassetteFiles, sortRecorded, type StoredOperationFile } from './read-cassette.js';
import { assertSchema } from './schema.js';
import { OperationFileState, prepareEntries } from './operation-file-state.js';
import { serializeCassetteMeta } from './serialize.js';
import { WriteQueue } from './write-queue.js';

/** What a new cassette's meta is made from. */
export interface CassetteInit {
  name: string;
  /** The spec recorded against, or null when recording without --spec. */
  spec: CassetteSpecRef | null;
  /** Upstream URL; only its origin is stored. */
  target: string | null;
}

export interface CassetteStoreOptions {
  /** File-system calls to write through (fault injection in tests). */
  fs?: WriteFs;
  /** Clock for createdAt / updatedAt. */
  now?: () => Date;
  /**
   * Bytes of appended interactions not yet on disk above which waitForRoom()
   * waits (backpressure for a recorder that outruns the disk), or the size of
   * the largest file when that is greater. Default 256 MiB.
   */
  maxPendingBytes?: number;
}

/** Default cap on bytes appended but not yet written (see waitForRoom). */
export const DEFAULT_MAX_PENDING_BYTES = 256 * 1024 * 1024;

export interface AppendOptions {
  /** Existing interactions of the same operation file for which this returns true are removed first. */
  replace?: (existing: Interaction) => boolean;
}

/**
 * A cassette folder open for writing (record, import). Each operation file has
 * its own write queue: writes are atomic (temp file + rename) and serialized
 * per file, appends that arrive during a write share the next one (group
 * commit), and the in-memory state advances only when a write succeeded, so
 * memory and disk agree even after EACCES or ENOSPC. Interactions are
 * serialized once, when appended (a snapshot: changing the object afterwards
 * changes nothing), and each write joins those texts. One process should
 * write a cassette at a time.
 *
 * @example
 * const store = await CassetteStore.open('cassettes/petstore', { name: 'petstore', spec: null, target: 'https://staging.example.com' })
 * await store.append(interaction)
 * await store.flush()
 */
export class CassetteStore {
  readonly #files = new Map<string | null, OperationFileState>();
  readonly #inflight = new Set<Promise<unknown>>();
  readonly #meta: WriteQueue<CassetteMeta>;
  #sorted: readonly Interaction[] | null = null;
  #pendingBytes = 0;
  readonly #roomWaiters: Array<() => void> = [];

  private constructor(
    readonly dir: string,
    private readonly fs: WriteFs,
    private readonly now: () => Date,
    private readonly maxPendingBytes: number,
    meta: CassetteMeta,
    files: readonly StoredOperationFile[],
  ) {
    const metaFile = join(dir, META_FILE);
    this.#meta = new WriteQueue(meta, (next) => this.#write(metaFile, serializeCassetteMeta(next)));
    for (const f of files) this.#addFileState(f.operationId, f.fileName, f.interactions);
  }

  /**
   * Opens (creating when missing) a cassette folder: checks that it can be
   * written (CASSETTE_WRITE naming the folder otherwise), loads and validates the
   * files already there, and writes cassette.json if there is none. An existing
   * cassette keeps its createdAt (and its spec/target when `init` gives null).
   *
   * @example
   * const store = await CassetteStore.open('cassettes/checkout', { name: 'checkout', spec: null, target: null })
   */
  static async open(dir: string, init: CassetteInit, options: CassetteStoreOptions = {}): Promise<CassetteStore> {
    const fs = options.fs ?? nodeWriteFs;
    const now = options.now ?? (() => new Date());
    await ensureWritableFolder(fs, dir);
    const existing = await readCassetteFiles(dir, { requireMeta: false });
    const meta = metaFor(existing.meta, init, now());
    assertSchema('cassetteMeta', meta, join(dir, META_FILE));
    const store = new CassetteStore(dir, fs, now, options.maxPendingBytes ?? DEFAULT_MAX_PENDING_BYTES, meta, existing.files);
    if (existing.meta === null) await store.#meta.submit((m) => m);
    return store;
  }

  /** The meta as it will be (or was last) written. */
  meta(): CassetteMeta {
    return structuredClone(this.#meta.state);
  }

  /**
   * Interactions whose writes completed, in recorded order (as loadCassette
   * would return them). The array is frozen and shared: do not mutate.
   */
  interactions(): readonly Interaction[] {
    this.#sorted ??= Object.freeze(sortRecorded([...this.#files.values()].sort(byFileName).flatMap((f) => f.interactions)));
    return this.#sorted;
  }

  /** Bytes of appended interactions whose write has not settled yet. */
  get pendingBytes(): number {
    return this.#pendingBytes;
  }

  /**
   * Resolves at once while fewer than `maxPendingBytes` wait to be written,
   * else once writes brought them under it. A recorder awaits this before
   * taking new work, so a disk slower than the traffic slows the traffic
   * instead of growing memory without bound; nothing is ever dropped.
   *
   * @example
   * await store.waitForRoom(); // then forward the next request
   */
  waitForRoom(): Promise<void> {
    if (this.#hasRoom()) return Promise.resolve();
    return new Promise((resolve) => this.#roomWaiters.push(resolve));
  }

  /**
   * Under the cap, or under the size of the largest file: every write rewrites
   * a whole file, so while a big file is written the next batch may grow as
   * big as the file itself (memory then stays within twice what the store
   * already holds). A fixed cap alone would shrink each batch relative to
   * its file and make throughput fall as the file grows.
   */
  #hasRoom(): boolean {
    return this.#pendingBytes < this.maxPendingBytes || this.#pendingBytes < this.#largestFileBytes();
  }

  #largestFileBytes(): number {
    let largest = 0;
    for (const file of this.#files.values()) largest = Math.max(largest, file.committedBytes);
    return largest;
  }

  /** Writes per operation file: submitted-and-unsettled appends, and commits (each may hold many appends). */
  writeCounts(): Map<string, { pending: number; committed: number }> {
    return new Map([...this.#files.values()].map((f) => [f.fileName, f.writes]));
  }

  /**
   * Appends one interaction to its operation's file (`_unmatched.json` when
   * operationId is null) and resolves once it and the new updatedAt are on
   * disk. Rejects with CASSETTE_SCHEMA (nothing written) for an interaction
   * the reader would refuse, and CASSETTE_WRITE (cause kept) when a write fails.
   *
   * @example
   * await store.append(interaction, { replace: (old) => requestKey(old) === requestKey(interaction) })
   */
  append(interaction: Interaction, options: AppendOptions = {}): Promise<void> {
    return this.appendMany([interaction], options);
  }

  /**
   * Appends several interactions, writing each touched file once. Everything is
   * checked in memory before anything is written, so a bad interaction writes
   * nothing. Files are written independently: if one write fails, the others
   * may have landed; memory always matches disk file by file.
   */
  appendMany(interactions: readonly Interaction[], options: AppendOptions = {}): Promise<void> {
    return this.#track(this.#appendMany(interactions, options));
  }

  /**
   * Resolves when every write started so far is on disk (or has failed; each
   * failure is reported by the append call it belongs to).
   */
  async flush(): Promise<void> {
    while (this.#inflight.size > 0) await Promise.allSettled([...this.#inflight]);
  }

  async #appendMany(interactions: readonly Interaction[], options: AppendOptions): Promise<void> {
    if (interactions.length === 0) return;
    const groups = this.#prepare(interactions);
    const bytes = [...groups.values()].reduce((sum, g) => sum + g.bytes, 0);
    this.#pendingBytes += bytes;
    try {
      const results = await Promise.allSettled([...groups].map(([file, prepared]) => file.add(prepared, options.replace)));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    } finally {
      this.#release(bytes);
    }
    const stamp = this.now().toISOString();
    await this.#meta.submit((meta) => ({ ...meta, updatedAt: stamp }));
  }

  #release(bytes: number): void {
    this.#pendingBytes -= bytes;
    while (this.#roomWaiters.length > 0 && this.#hasRoom()) this.#roomWaiters.shift()!();
  }

  /** Validates, groups by file and serializes: all before the first write. */
  #prepare(interactions: readonly Interaction[]): Map<OperationFileState, ReturnType<typeof prepareEntries>> {
    for (const interaction of interactions) {
      const fileName = this.#files.get(interaction.operationId)?.fileName ?? fileNameForOperation(interaction.operationId);
      // Validate what would be written, so the store never writes a file its reader rejects.
      assertSchema('interaction', interaction, join(this.dir, fileName), '/interactions/-');
    }
    const groups = new Map<OperationFileState, Interaction[]>();
    for (const interaction of interactions) {
      const file = this.#files.get(interaction.operationId) ?? this.#newFileState(interaction.operationId);
      const list = groups.get(file);
      if (list) list.push(interaction);
      else groups.set(file, [interaction]);
    }
    return new Map([...groups].map(([file, list]) => [file, prepareEntries(list)]));
  }

  #newFileState(operationId: string | null): OperationFileState {
    const fileName = fileNameForOperation(operationId);
    for (const [otherId, other] of this.#files) {
      if (other.fileName.toLowerCase() !== fileName.toLowerCase()) continue;
      const reason =
        other.fileName === fileName
          ? `this file already holds operation ${JSON.stringify(otherId)}; rename the file back to ${fileNameForOperation(otherId)}`
          : `operations ${JSON.stringify(operationId)} and ${JSON.stringify(otherId)} would share this file on case-insensitive file systems (macOS, Windows); rename one operationId`;
      throw new MockdeckError('MOCKDECK_ERR_CASSETTE_WRITE', { file: join(this.dir, fileName), reason });
    }
    return this.#addFileState(operationId, fileName, []);
  }

  #addFileState(operationId: string | null, fileName: string, interactions: Interaction[]): OperationFileState {
    const file = join(this.dir, fileName);
    const state = new OperationFileState(operationId, fileName, interactions, (chunks) => this.#write(file, chunks), () => {
      this.#sorted = null;
    });
    this.#files.set(operationId, state);
    return state;
  }

  async #write(file: string, content: string | readonly Buffer[]): Promise<void> {
    try {
      await writeFileAtomic(this.fs, file, content);
    } catch (err) {
      throw new MockdeckError('MOCKDECK_ERR_CASSETTE_WRITE', { file, reason: describe(err) }, { cause: err });
    }
  }

  #track<T>(work: Promise<T>): Promise<T> {
    this.#inflight.add(work);
    const forget = (): void => {
      this.#inflight.delete(work);
    };
    work.then(forget, forget);
    return work;
  }
}

const byFileName = (a: OperationFileState, b: OperationFileState): number => (a.fileName < b.fileName ? -1 : a.fileName > b.fileName ? 1 : 0);

async function ensureWritableFolder(fs: WriteFs, dir: string): Promise<void> {
  try {
    await fs.mkdir(dir, { recursive: true });
  } catch (err) {
    throw new MockdeckError('MOCKDECK_ERR_CASSETTE_WRITE', { file: dir, reason: `cannot create the cassette folder (${describe(err)})` }, { cause: err });
  }
  try {
    await probeWritable(fs, dir);
  } catch (err) {
    throw new MockdeckError('MOCKDECK_ERR_CASSETTE_WRITE', { file: dir, reason: `the cassette folder is not writable (${describe(err)})` }, { cause: err });
  }
}

/** Keeps createdAt (and spec/target when not given again) of an existing cassette. */
function metaFor(existing: CassetteMeta | null, init: CassetteInit, now: Date): CassetteMeta {
  const target = init.target === null ? null : originOf(init.target);
  if (existing) {
    return { ...existing, name: init.name, spec: init.spec ?? existing.spec, target: target ?? existing.target };
  }
  const stamp = now.toISOString();
  return { name: init.name, spec: init.spec, target, createdAt: stamp, updatedAt: stamp, formatVersion: FORMAT_VERSION };
}

/** Origin only: a target URL may carry a path or credentials that must not be stored. */
function originOf(target: string): string {
  try {
    const origin = new URL(target).origin;
    return origin === 'null' ? target : origin;
  } catch (err) {
    // Left as given: the schema check right after names cassette.json#/target.
    if (err instanceof TypeError) return target;
    throw err;
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

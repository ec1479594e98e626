import { join } from 'node:path';
import { MockdeckError } from '../errors.js';
import type { CassetteMeta, CassetteSpecRef, Interaction } from '../types.js';
import { nodeWriteFs, probeWritable, writeFileAtomic, type WriteFs } from './atomic-write.js';
import { fileNameForOperation, META_FILE, partFileName, partOf } from './file-name.js';
import { FORMAT_VERSION, readCassetteFiles, sortRecorded, type StoredOperationFile } from './read-cassette.js';
import { assertSchema } from './schema.js';
import { joinPrepared, OperationFileState, prepareEntries, type PreparedEntries } from './operation-file-state.js';
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
  /**
   * Size past which an operation's file is closed and its next appends start
   * a new part (`getPet~2.json`, ...). Every write rewrites one whole file, so
   * this bounds the cost of an append however long a recording runs, and
   * keeps each file readable. Default 4 MiB.
   */
  partBytes?: number;
  /**
   * Least time between two writes of one file (see WriteQueue). Appends that
   * arrive meanwhile share the next write, so a busy recording rewrites each
   * file at most about 1000 / commitGapMs times a second. Default 20 ms.
   */
  commitGapMs?: number;
  /**
   * Bytes per second one busy file may be rewritten at: a file of 4 MiB is
   * then written at most every 4 MiB / rate, a small one every commitGapMs.
   * Bounds the cost of whole-file writes however big the part has grown.
   * Default 32 MiB/s.
   */
  rewriteBytesPerSecond?: number;
  /**
   * Size from which one interaction gets a part of its own, and the part is
   * closed behind it. A whole-file write of a part holding a few such
   * interactions copies each of them again every time one is added: recording
   * 1 MB answers wrote 1.3 bytes per byte kept. Default 512 KiB.
   */
  ownPartBytes?: number;
}

/** One interaction checked and serialized, waiting for its turn's commit. */
interface QueuedEntry {
  operationId: string | null;
  prepared: PreparedEntries;
}

/** One append or appendMany call waiting for its turn's commit. */
interface QueuedCall {
  entries: readonly QueuedEntry[];
  bytes: number;
  replace: ((existing: Interaction) => boolean) | undefined;
  resolve: () => void;
  reject: (err: unknown) => void;
}

type StoreLimits = Required<Pick<CassetteStoreOptions, 'maxPendingBytes' | 'partBytes' | 'commitGapMs' | 'rewriteBytesPerSecond' | 'ownPartBytes'>>;

/** Default cap on bytes appended but not yet written (see waitForRoom). */
export const DEFAULT_MAX_PENDING_BYTES = 256 * 1024 * 1024;

/** Default size past which an operation file continues in a new part (see partBytes). */
export const DEFAULT_PART_BYTES = 4 * 1024 * 1024;

/**
 * Default least time between two writes of one file. Under steady traffic
 * each fsync then carries a batch instead of a handful of interactions: at
 * 20 ms the store's CPU per recorded small interaction fell by a fifth.
 */
export const DEFAULT_COMMIT_GAP_MS = 20;

/** Default size from which an interaction gets a part file of its own (see ownPartBytes). */
export const DEFAULT_OWN_PART_BYTES = 512 * 1024;

/** Default bound on how fast one file is rewritten (see rewriteBytesPerSecond). */
export const DEFAULT_REWRITE_BYTES_PER_SECOND = 32 * 1024 * 1024;

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
  /** Parts of each operation's file, in part order; appends go to the last. */
  readonly #files = new Map<string | null, OperationFileState[]>();
  readonly #inflight = new Set<Promise<unknown>>();
  readonly #meta: WriteQueue<CassetteMeta>;
  #sorted: readonly Interaction[] | null = null;
  #pendingBytes = 0;
  readonly #roomWaiters: Array<() => void> = [];
  /** Calls made in this turn of the event loop, committed together in the next (see appendMany). */
  #turn: QueuedCall[] | null = null;

  private constructor(
    readonly dir: string,
    private readonly fs: WriteFs,
    private readonly now: () => Date,
    private readonly limits: StoreLimits,
    meta: CassetteMeta,
    files: readonly StoredOperationFile[],
  ) {
    const metaFile = join(dir, META_FILE);
    this.#meta = new WriteQueue(meta, (next) => this.#write(metaFile, serializeCassetteMeta(next)), undefined, limits.commitGapMs);
    const byPart = [...files].sort((a, b) => partOf(a.fileName).part - partOf(b.fileName).part);
    for (const f of byPart) {
      const part = this.#addFileState(f.operationId, f.fileName, f.interactions, f.bytes);
      // A part that stood alone behind one big interaction stays closed across a restart (the size on disk tells).
      if (f.interactions.length === 1 && f.bytes >= limits.ownPartBytes) part.full = true;
    }
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
    const limits: StoreLimits = {
      maxPendingBytes: options.maxPendingBytes ?? DEFAULT_MAX_PENDING_BYTES,
      partBytes: options.partBytes ?? DEFAULT_PART_BYTES,
      commitGapMs: options.commitGapMs ?? DEFAULT_COMMIT_GAP_MS,
      rewriteBytesPerSecond: options.rewriteBytesPerSecond ?? DEFAULT_REWRITE_BYTES_PER_SECOND,
      ownPartBytes: options.ownPartBytes ?? DEFAULT_OWN_PART_BYTES,
    };
    const store = new CassetteStore(dir, fs, now, limits, meta, existing.files);
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
    this.#sorted ??= Object.freeze(sortRecorded(this.#parts().sort(byFileName).flatMap((f) => f.interactions)));
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
    return this.#pendingBytes < this.limits.maxPendingBytes || this.#pendingBytes < this.#largestFileBytes();
  }

  #largestFileBytes(): number {
    let largest = 0;
    for (const file of this.#parts()) largest = Math.max(largest, file.committedBytes);
    return largest;
  }

  /** Writes per operation file: submitted-and-unsettled appends, and commits (each may hold many appends). */
  writeCounts(): Map<string, { pending: number; committed: number }> {
    return new Map(this.#parts().map((f) => [f.fileName, f.writes]));
  }

  /**
   * Appends one interaction to its operation's file (`_unmatched.json` when
   * operationId is null) and resolves once it and the new updatedAt are on
   * disk. Rejects with CASSETTE_SCHEMA (nothing written) for an interaction
   * the reader would refuse, and CASSETTE_WRITE (cause kept) when a write fails.
   * The interaction is checked and serialized before this returns (a
   * snapshot: changing it afterwards changes nothing).
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
   *
   * Appends made in one turn of the event loop are committed together, in
   * call order: one pass over the parts, one submission to each file's queue
   * and one meta update for all of them. A recorder finishing several
   * exchanges per turn otherwise paid that overhead once per interaction,
   * which was about as much as serializing it.
   */
  appendMany(interactions: readonly Interaction[], options: AppendOptions = {}): Promise<void> {
    if (interactions.length === 0) return Promise.resolve();
    let entries: QueuedEntry[];
    try {
      entries = this.#prepare(interactions);
    } catch (err) {
      return Promise.reject(err);
    }
    let bytes = 0;
    for (const e of entries) bytes += e.prepared.bytes;
    // Counted at once, so that waitForRoom sees what this turn is about to write.
    this.#pendingBytes += bytes;
    return new Promise((resolve, reject) => this.#enqueue({ entries, bytes, replace: options.replace, resolve, reject }));
  }

  /**
   * Resolves when every write started so far is on disk (or has failed; each
   * failure is reported by the append call it belongs to).
   */
  async flush(): Promise<void> {
    while (this.#inflight.size > 0) await Promise.allSettled([...this.#inflight]);
  }

  /**
   * Checks and serializes, before anything is queued. Every operation gets its
   * file state now, so that a file name clashing with another operation's is
   * refused here, for the call that brings it, and never in a shared commit.
   */
  #prepare(interactions: readonly Interaction[]): QueuedEntry[] {
    assertAppendable(this.dir, interactions, (id) => this.#files.get(id)?.at(-1)?.fileName);
    const entries: QueuedEntry[] = [];
    for (const interaction of interactions) {
      const { operationId } = interaction;
      if (!this.#files.has(operationId)) this.#newFileState(operationId);
      entries.push({ operationId, prepared: prepareEntries([interaction]) });
    }
    return entries;
  }

  #enqueue(call: QueuedCall): void {
    if (this.#turn === null) {
      const turn: QueuedCall[] = [];
      this.#turn = turn;
      this.#track(
        new Promise<void>((settled) =>
          setImmediate(() => {
            this.#turn = null;
            // A fault of the store itself still settles every call, so that no caller (nor flush) waits forever.
            void this.#commit(turn)
              .catch((err: unknown) => {
                for (const call of turn) call.reject(err);
              })
              .then(settled);
          }),
        ),
      );
    }
    this.#turn.push(call);
  }

  /**
   * Writes one turn's calls and settles each. Calls without `replace` share
   * one add per part; a call with `replace` is added on its own, in its
   * place, so that it removes only what was recorded before it. Never
   * rejects: every failure goes to the calls it concerns.
   */
  async #commit(calls: readonly QueuedCall[]): Promise<void> {
    const failures = new Map<QueuedCall, unknown>();
    let bytes = 0;
    for (const call of calls) bytes += call.bytes;
    try {
      const writes: Promise<void>[] = [];
      let shared: QueuedCall[] = [];
      for (const call of calls) {
        if (!call.replace) {
          shared.push(call);
          continue;
        }
        writes.push(...this.#submit(shared, failures));
        shared = [];
        writes.push(...this.#submit([call], failures, call.replace));
      }
      writes.push(...this.#submit(shared, failures));
      await Promise.all(writes);
    } finally {
      this.#release(bytes);
    }
    const written = calls.filter((call) => !failures.has(call));
    if (written.length > 0) {
      const stamp = this.now().toISOString();
      try {
        await this.#meta.submit((meta) => ({ ...meta, updatedAt: stamp }));
      } catch (err) {
        for (const call of written) failures.set(call, err);
      }
    }
    for (const call of calls) {
      if (failures.has(call)) call.reject(failures.get(call));
      else call.resolve();
    }
  }

  /**
   * Hands the entries of `calls` to their parts' queues, one add per part
   * (parts are chosen as the entries go, so a big batch fills parts in turn).
   * The promises returned never reject: a failed write is noted for every
   * call that had an entry in it.
   */
  #submit(calls: readonly QueuedCall[], failures: Map<QueuedCall, unknown>, replace?: (existing: Interaction) => boolean): Promise<void>[] {
    if (calls.length === 0) return [];
    const groups = new Map<OperationFileState, { prepared: PreparedEntries; calls: Set<QueuedCall> }>();
    for (const call of calls) {
      for (const { operationId, prepared } of call.entries) {
        const part = this.#openPart(operationId, prepared.bytes, (p) => groups.get(p)?.prepared.bytes ?? 0);
        const group = groups.get(part);
        if (group) {
          group.prepared = joinPrepared(group.prepared, prepared);
          group.calls.add(call);
        } else groups.set(part, { prepared: joinPrepared(undefined, prepared), calls: new Set([call]) });
      }
    }
    const noteFailure = (held: Iterable<QueuedCall>) => (err: unknown) => {
      for (const call of held) if (!failures.has(call)) failures.set(call, err);
    };
    const writes = [...groups].map(([part, group]) => part.add(group.prepared, replace).catch(noteFailure(group.calls)));
    if (replace) writes.push(...this.#removeFromEarlierParts(groups.keys(), replace).map((removal) => removal.catch(noteFailure(calls))));
    return writes;
  }

  /** `replace` reaches recordings in every part of a file, not only the one appended to. */
  #removeFromEarlierParts(appendedTo: Iterable<OperationFileState>, replace: (existing: Interaction) => boolean): Promise<void>[] {
    const removals: Promise<void>[] = [];
    for (const file of appendedTo) {
      for (const part of this.#files.get(file.operationId) ?? []) if (part !== file) removals.push(part.remove(replace));
    }
    return removals;
  }

  #release(bytes: number): void {
    this.#pendingBytes -= bytes;
    while (this.#roomWaiters.length > 0 && this.#hasRoom()) this.#roomWaiters.shift()!();
  }

  /**
   * The part appends of this operation go to: its last, or a new one once
   * that is full (`batched` = bytes of this batch already headed for a part).
   * An entry of ownPartBytes or more goes into a part of its own (the last
   * one if that is still empty), which is then full.
   */
  #openPart(operationId: string | null, entryBytes: number, batched: (part: OperationFileState) => number): OperationFileState {
    const own = entryBytes >= this.limits.ownPartBytes;
    const parts = this.#files.get(operationId);
    const last = parts?.at(-1);
    const chosen = !parts || !last ? this.#newFileState(operationId) : this.#hasRoomFor(last, own, batched(last)) ? last : this.#nextPart(parts, last);
    if (own) chosen.full = true;
    return chosen;
  }

  #hasRoomFor(part: OperationFileState, own: boolean, batched: number): boolean {
    const used = part.plannedBytes + batched;
    return !part.full && used < this.limits.partBytes && !(own && used > 0);
  }

  #nextPart(parts: readonly OperationFileState[], last: OperationFileState): OperationFileState {
    const next = partFileName(partOf(parts[0]!.fileName).base, partOf(last.fileName).part + 1);
    return this.#addFileState(last.operationId, next, []);
  }

  #parts(): OperationFileState[] {
    return [...this.#files.values()].flat();
  }

  #newFileState(operationId: string | null): OperationFileState {
    const fileName = fileNameForOperation(operationId);
    for (const other of this.#parts()) {
      if (other.fileName.toLowerCase() !== fileName.toLowerCase()) continue;
      if (other.fileName !== fileName) throw caseClash(this.dir, fileName, operationId, other.operationId);
      const reason = `this file already holds operation ${JSON.stringify(other.operationId)}; rename the file back to ${fileNameForOperation(other.operationId)}`;
      throw new MockdeckError('MOCKDECK_ERR_CASSETTE_WRITE', { file: join(this.dir, fileName), reason });
    }
    return this.#addFileState(operationId, fileName, []);
  }

  #addFileState(operationId: string | null, fileName: string, interactions: Interaction[], bytes = 0): OperationFileState {
    const file = join(this.dir, fileName);
    const onCommit = (): void => {
      this.#sorted = null;
    };
    const state = new OperationFileState(operationId, fileName, interactions, (chunks) => this.#write(file, chunks), onCommit, bytes, this.limits.commitGapMs, this.limits.rewriteBytesPerSecond / 1000);
    const parts = this.#files.get(operationId);
    if (parts) parts.push(state);
    else this.#files.set(operationId, [state]);
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

/**
 * The checks an append makes before writing anything, for callers that must
 * know before they even open the store (an import that is all or nothing):
 * every interaction passes the cassette schema, and no two of their
 * operations would share a file on a case-insensitive file system.
 * `fileNameOf` gives the file an operation already has, if any.
 *
 * @example
 * assertAppendable('cassettes/checkout', interactions) // throws CASSETTE_SCHEMA or CASSETTE_WRITE
 */
export function assertAppendable(dir: string, interactions: readonly Interaction[], fileNameOf: (operationId: string | null) => string | undefined = () => undefined): void {
  const byLowerName = new Map<string, string | null>();
  for (const interaction of interactions) {
    const id = interaction.operationId;
    const fileName = fileNameOf(id) ?? fileNameForOperation(id);
    // Validate what would be written, so the store never writes a file its reader rejects.
    assertSchema('interaction', interaction, join(dir, fileName), '/interactions/-');
    const lower = fileName.toLowerCase();
    const other = byLowerName.get(lower);
    if (other !== undefined && other !== id) throw caseClash(dir, fileName, id, other);
    byLowerName.set(lower, id);
  }
}

function caseClash(dir: string, fileName: string, operationId: string | null, otherId: string | null): MockdeckError {
  const reason = `operations ${JSON.stringify(operationId)} and ${JSON.stringify(otherId)} would share this file on case-insensitive file systems (macOS, Windows); rename one operationId`;
  return new MockdeckError('MOCKDECK_ERR_CASSETTE_WRITE', { file: join(dir, fileName), reason });
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

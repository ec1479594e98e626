import type { Interaction } from '../types.js';
import { interactionEntryChunks, operationFileChunks } from './serialize.js';
import { WriteQueue } from './write-queue.js';

/**
 * One interaction of a file. An appended one starts as the bytes of its entry
 * (serialized once, when appended: a snapshot the caller cannot change) and
 * is parsed back only if someone asks for the object; one read from disk
 * starts as the object and is serialized on the first write of its file. The
 * store holds no second copy of a recorded body on the heap.
 */
class StoredEntry {
  constructor(
    private bytes: readonly Buffer[] | undefined,
    private value: Interaction | undefined,
  ) {}

  /** The entry's text as pieces (a big body the recorder parsed is its own piece, shared, not copied). */
  get entry(): readonly Buffer[] {
    return (this.bytes ??= entryBytes(this.value as Interaction));
  }

  get length(): number {
    let n = 0;
    for (const chunk of this.entry) n += chunk.length;
    return n;
  }

  get interaction(): Interaction {
    return (this.value ??= JSON.parse(Buffer.concat(this.entry).toString('utf8')) as Interaction);
  }
}

/**
 * The entries of one file as a view (the first `length` items of a backing
 * array), so that an append extends the array in place instead of copying
 * every entry before it: a part of 5 000 interactions would otherwise copy
 * 5 000 pointers per append. Only the newest list may be extended; the write
 * queue guarantees it (one write at a time, and the list a failed write made
 * is dropped, so extending the committed one again first cuts off what the
 * failed write had added).
 */
class EntryList {
  constructor(
    private readonly backing: StoredEntry[],
    readonly length: number,
  ) {}

  static of(items: StoredEntry[]): EntryList {
    return new EntryList(items, items.length);
  }

  /** This list with `more` after it; shares the backing array. */
  concat(more: readonly StoredEntry[]): EntryList {
    if (this.backing.length !== this.length) this.backing.length = this.length;
    for (const item of more) this.backing.push(item);
    return new EntryList(this.backing, this.backing.length);
  }

  /** A new list of the items `keep` accepts (a removal copies; appends never do). */
  filter(keep: (item: StoredEntry) => boolean): EntryList {
    return EntryList.of(this.items().filter(keep));
  }

  some(test: (item: StoredEntry) => boolean): boolean {
    for (let i = 0; i < this.length; i++) if (test(this.backing[i] as StoredEntry)) return true;
    return false;
  }

  items(): StoredEntry[] {
    return this.backing.slice(0, this.length);
  }
}

/** Interactions ready to be added to one file, serialized. */
export interface PreparedEntries {
  readonly items: readonly StoredEntry[];
  readonly bytes: number;
}

const SEPARATOR = Buffer.from(',\n');

/**
 * One operation file: its committed content and the queue that writes it.
 * Appends that arrive while a write is in flight are applied together in the
 * next write (group commit), and every write joins the entries serialized when
 * each interaction was appended: an interaction is serialized once, however
 * often its file is rewritten.
 *
 * @example
 * const file = new OperationFileState('getPetById', 'getPetById.json', [], (chunks) => writeFileAtomic(fs, path, chunks), onCommit)
 * await file.add(prepareEntries([interaction]))
 */
export class OperationFileState {
  readonly #queue: WriteQueue<EntryList>;
  /** Set by the store when no further append should come here (a part closed behind a big entry); in memory only. */
  full = false;
  #committedBytes: number;
  #plannedBytes: number;

  constructor(
    readonly operationId: string | null,
    readonly fileName: string,
    interactions: Interaction[],
    write: (chunks: Buffer[]) => Promise<void>,
    onCommit: () => void,
    /** Size of the file as read from disk (0 for a new one). */
    bytes = 0,
    /** Least time between two writes of the file (see WriteQueue). */
    minGapMs = 0,
    /**
     * Every write rewrites the whole file: past this many bytes per
     * millisecond of rewriting, the gap grows with the file (0: no bound).
     */
    rewriteBytesPerMs = 0,
  ) {
    this.#committedBytes = bytes;
    this.#plannedBytes = bytes;
    this.#queue = new WriteQueue<EntryList>(
      EntryList.of(interactions.map((i) => new StoredEntry(undefined, i))),
      async (next) => {
        const chunks = this.#chunks(next);
        await write(chunks);
        this.#committedBytes = chunks.reduce((sum, c) => sum + c.length, 0);
      },
      onCommit,
      rewriteBytesPerMs > 0 ? () => Math.max(minGapMs, this.#committedBytes / rewriteBytesPerMs) : minGapMs,
    );
  }

  /** Size of the file as last written by this store (0 before its first write). */
  get committedBytes(): number {
    return this.#committedBytes;
  }

  /**
   * About how big the file will be once every append submitted so far is
   * written (removals not subtracted): the store starts a new part past its
   * part size.
   */
  get plannedBytes(): number {
    return this.#plannedBytes;
  }

  /** Interactions on disk, in file order (appended ones are parsed from their entry on first use). */
  get interactions(): Interaction[] {
    return this.#queue.state.items().map((item) => item.interaction);
  }

  /** Writes submitted so far and not yet settled (group commit makes them share writes). */
  get writes(): { pending: number; committed: number } {
    return { pending: this.#queue.pending, committed: this.#queue.commits };
  }

  /**
   * Adds prepared entries (after removing those `replace` selects) and
   * resolves once they are on disk; rejects with the error of the write that
   * held them, which then did not change the file.
   */
  add(prepared: PreparedEntries, replace?: (existing: Interaction) => boolean): Promise<void> {
    this.#plannedBytes += prepared.bytes;
    return this.#queue.submit((items) => (replace ? items.filter((old) => !replace(old.interaction)) : items).concat(prepared.items));
  }

  /** Removes the interactions `select` picks; writes only when it picks one. */
  remove(select: (existing: Interaction) => boolean): Promise<void> {
    // With writes pending the match may be in one of them: let the queue decide on the latest state.
    if (this.#queue.pending === 0 && !this.#queue.state.some((item) => select(item.interaction))) return Promise.resolve();
    return this.#queue.submit((items) => items.filter((old) => !select(old.interaction)));
  }

  #chunks(list: EntryList): Buffer[] {
    const out: Buffer[] = [];
    for (const c of operationFileChunks(this.operationId, list.items().map((item) => item.entry))) {
      if (typeof c !== 'string') out.push(...c);
      else out.push(c === ',\n' ? SEPARATOR : Buffer.from(c, 'utf8'));
    }
    return out;
  }
}

/**
 * Serializes interactions for one file, taking a snapshot: the store writes
 * what the interaction was when it was appended.
 */
export function prepareEntries(interactions: readonly Interaction[]): PreparedEntries {
  const items = interactions.map((i) => new StoredEntry(entryBytes(i), undefined));
  return { items, bytes: items.reduce((sum, item) => sum + item.length, 0) };
}

/** Extends the batch being built (`base`, owned by the caller) with `more`. */
export function joinPrepared(base: PreparedEntries | undefined, more: PreparedEntries): PreparedEntries {
  if (!base) return { items: [...more.items], bytes: more.bytes };
  (base.items as StoredEntry[]).push(...more.items);
  return { items: base.items, bytes: base.bytes + more.bytes };
}

const entryBytes = (interaction: Interaction): Buffer[] =>
  interactionEntryChunks(interaction).map((chunk) => (typeof chunk === 'string' ? encodeEntryText(chunk) : chunk));

/**
 * Size of the shared slabs small entry texts are encoded into. Buffer.from
 * takes them from Node's 8 KiB pool, which meant a new ArrayBuffer every
 * eight or so small entries, and making it cost about half as much as
 * encoding the text. A slab lives as long as any entry in it: 64 KiB bounds
 * what one kept entry can hold on to.
 */
const SLAB_BYTES = 64 * 1024;
let slab = Buffer.alloc(0);
let slabUsed = 0;

function encodeEntryText(text: string): Buffer {
  // UTF-8 takes at most 3 bytes per UTF-16 code unit: reserving that much, the write is never cut short.
  const most = text.length * 3;
  if (most > SLAB_BYTES / 4) return Buffer.from(text, 'utf8');
  if (slab.length - slabUsed < most) {
    slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
    slabUsed = 0;
  }
  const written = slab.write(text, slabUsed, 'utf8');
  const bytes = slab.subarray(slabUsed, slabUsed + written);
  slabUsed += written;
  return bytes;
}

import { EventEmitter } from 'node:events';

export type Source = 'cassette' | 'spec' | 'proxy' | 'mockdeck';

/** One served request, as the admin API and dashboard show it. Never holds keys. */
export interface JournalEntry {
  id: number;
  time: string;
  mock: string;
  method: string;
  path: string;
  status: number;
  source: Source;
  operation: string | null;
  cassette: string | null;
  interaction: string | null;
  ms: number;
  request: { headers: Record<string, string | string[]>; body: string | null; bodyEncoding: 'utf8' | 'base64' | null };
  response: { headers: Record<string, string | string[]>; body: string | null; bodyEncoding: 'utf8' | 'base64' | null };
  nearMisses?: unknown[];
}

type EntryInput = Omit<JournalEntry, 'id'>;

/** A line recorded before it was built (see `Journal.add`). */
class Deferred {
  constructor(
    readonly id: number,
    readonly build: () => EntryInput,
  ) {}
}

/** What every served request announces at once (event `served`), without its line being built. */
export interface Served {
  source: Source;
  operation: string | null;
}

/**
 * A bounded ring buffer of recent requests that also announces each new one.
 * Adding is O(1) (it runs once per served request): the oldest slot is
 * overwritten instead of shifting the whole array. Two events: `served`
 * (source and operation of every request, cheap: for counters) and `entry`
 * (the whole line; listening to it makes every line be built at once).
 */
export class Journal extends EventEmitter {
  private entries: Array<JournalEntry | Deferred> = [];
  /** Index of the oldest entry once the buffer is full. */
  private head = 0;
  private nextId = 1;

  constructor(private readonly capacity = 500) {
    super();
    this.setMaxListeners(0);
  }

  /**
   * Records a line. Given a function, the line is built only when it is read
   * (or at once when someone listens for new entries), so serving a request
   * does not pay for a line nobody looks at.
   */
  add(entry: EntryInput): void;
  add(entry: () => EntryInput, served: Served): void;
  add(entry: EntryInput | (() => EntryInput), served?: Served): void {
    const id = this.nextId++;
    if (typeof entry === 'function' && this.listenerCount('entry') === 0) {
      this.store(new Deferred(id, entry));
      this.emit('served', served);
      return;
    }
    const full = { ...(typeof entry === 'function' ? entry() : entry), id };
    this.store(full);
    this.emit('served', served ?? { source: full.source, operation: full.operation });
    this.emit('entry', full);
  }

  /** Most recent first. */
  list(limit = 100): JournalEntry[] {
    const size = this.entries.length;
    const n = Math.min(Math.max(limit, 0), size);
    const out: JournalEntry[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = this.built((this.head - 1 - i + 2 * size) % size);
    return out;
  }

  clear(): void {
    this.entries = [];
    this.head = 0;
  }

  private store(slot: JournalEntry | Deferred): void {
    if (this.entries.length < this.capacity) this.entries.push(slot);
    else {
      this.entries[this.head] = slot;
      this.head = (this.head + 1) % this.capacity;
    }
  }

  /** The entry at `index`, built (once) if it was deferred. */
  private built(index: number): JournalEntry {
    const slot = this.entries[index] as JournalEntry | Deferred;
    if (!(slot instanceof Deferred)) return slot;
    const full = { ...slot.build(), id: slot.id };
    this.entries[index] = full;
    return full;
  }
}

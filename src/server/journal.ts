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

/** A bounded ring buffer of recent requests that also announces each new one. */
export class Journal extends EventEmitter {
  private entries: JournalEntry[] = [];
  private nextId = 1;

  constructor(private readonly capacity = 500) {
    super();
    this.setMaxListeners(0);
  }

  add(entry: Omit<JournalEntry, 'id'>): JournalEntry {
    const full = { ...entry, id: this.nextId++ };
    this.entries.push(full);
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
    this.emit('entry', full);
    return full;
  }

  /** Most recent first. */
  list(limit = 100): JournalEntry[] {
    return this.entries.slice(-limit).reverse();
  }

  clear(): void {
    this.entries = [];
  }
}

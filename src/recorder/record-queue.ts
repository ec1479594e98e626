import { shedParsedBody, type AppendOptions, type CassetteStore } from '../cassette/index.js';
import type { Interaction } from '../types.js';
import type { RecordingStats } from './recording-stats.js';

/** How long a recorded interaction may wait before it is handed to the store with the others. */
export const RECORD_BATCH_MS = 10;

/** Interactions waiting past which they are handed over at once, however recent the first. */
export const RECORD_BATCH_MAX = 256;

/**
 * Recorded interactions on their way to the cassette store, handed over
 * together every RECORD_BATCH_MS. Checking and serializing them one after
 * the other, in one batch, cost about a quarter less of the main thread per
 * recorded small request than doing it as each exchange ended, interleaved
 * with relaying the others (bench/README.md has the figures). Nothing waits
 * on this but the write itself: the client has its answer already, and the
 * replay index holds the interaction before it gets here.
 *
 * @example
 * const queue = new RecordQueue(store, stats)
 * queue.add(interaction) // appended within RECORD_BATCH_MS
 * await queue.flush()    // everything added so far is on disk (or reported failed)
 */
export class RecordQueue {
  #waiting: Array<{ interaction: Interaction; options: AppendOptions | undefined }> = [];
  #timer: NodeJS.Timeout | null = null;
  readonly #writing = new Set<Promise<void>>();

  constructor(
    private readonly store: CassetteStore,
    private readonly stats: RecordingStats,
    private readonly delayMs = RECORD_BATCH_MS,
    private readonly maxWaiting = RECORD_BATCH_MAX,
  ) {}

  /** Interactions added and not yet handed to the store. */
  get waiting(): number {
    return this.#waiting.length;
  }

  /**
   * Queues one interaction. The caller must not change it afterwards: it is
   * serialized when its batch is handed over (the store then takes its snapshot).
   */
  add(interaction: Interaction, options?: AppendOptions): void {
    if (this.#waiting.push({ interaction, options }) >= this.maxWaiting) this.drain();
    // Keeps the process alive until handed over: a recording is never left behind in memory.
    else this.#timer ??= setTimeout(() => this.drain(), this.delayMs);
  }

  /** Hands every waiting interaction to the store now, in the order they were added. */
  drain(): void {
    if (this.#timer !== null) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
    const batch = this.#waiting;
    if (batch.length === 0) return;
    this.#waiting = [];
    const writes: Promise<void>[] = [];
    for (const { interaction, options } of batch) {
      writes.push(this.store.append(interaction, options).then(() => this.stats.recorded(interaction), (err: unknown) => this.stats.failed(err as Error, interaction)));
      // append serialized it: the index need not keep a big parsed body.
      shedParsedBody(interaction.response);
    }
    const written: Promise<void> = Promise.allSettled(writes).then(() => {
      this.#writing.delete(written);
    });
    this.#writing.add(written);
  }

  /** Resolves once everything added so far is on disk, or reported failed in the stats. */
  async flush(): Promise<void> {
    this.drain();
    while (this.#writing.size > 0) await Promise.all([...this.#writing]);
    await this.store.flush();
  }
}

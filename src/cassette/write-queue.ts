interface PendingChange<T> {
  change: (state: T) => T;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * One file's state and the writes that change it, one at a time. Changes that
 * arrive while a write is in flight are applied together in the next write
 * (group commit), so 200 concurrent appends cost a handful of writes, and the
 * state only advances once a write succeeded: after a failed write the state
 * still equals what is on disk.
 *
 * @example
 * const queue = new WriteQueue<Interaction[]>([], (list) => writeFileAtomic(fs, file, serialize(list)))
 * await queue.submit((list) => [...list, interaction])
 */
export class WriteQueue<T> {
  #state: T;
  #pending: PendingChange<T>[] = [];
  #busy = false;
  #running: Promise<void> = Promise.resolve();
  #inBatch = 0;
  #commits = 0;
  #lastWriteEnd = Number.NEGATIVE_INFINITY;

  constructor(
    initial: T,
    private readonly persist: (next: T) => Promise<void>,
    private readonly onCommit: () => void = () => undefined,
    /**
     * Least time between the end of one write and the start of the next. A
     * change after a quiet spell is written at once; under steady traffic
     * changes gather for this long and share one write, so a busy file is
     * rewritten a bounded number of times per second instead of once per
     * fsync. 0 writes as soon as the previous write ends. A function is asked
     * before each write (a gap that grows with the file, say).
     */
    private readonly minGapMs: number | (() => number) = 0,
  ) {
    this.#state = initial;
  }

  /** What is on disk (as far as this process wrote it). */
  get state(): T {
    return this.#state;
  }

  /** Changes submitted and not settled yet: waiting, or in the write in flight. */
  get pending(): number {
    return this.#pending.length + this.#inBatch;
  }

  /** Writes that succeeded so far (each may hold many changes). */
  get commits(): number {
    return this.#commits;
  }

  /** Resolves once a write that includes `change` is on disk; rejects with that write's error. */
  submit(change: (state: T) => T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#pending.push({ change, resolve, reject });
      if (!this.#busy) {
        this.#busy = true;
        this.#running = this.#drain();
      }
    });
  }

  /** Resolves when nothing is pending or being written. */
  async idle(): Promise<void> {
    while (this.#busy) await this.#running;
  }

  async #drain(): Promise<void> {
    try {
      while (this.#pending.length > 0) {
        const gap = typeof this.minGapMs === 'number' ? this.minGapMs : this.minGapMs();
        const wait = this.#lastWriteEnd + gap - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        await this.#writeBatch(this.#pending.splice(0));
      }
    } finally {
      this.#busy = false;
    }
  }

  async #writeBatch(batch: PendingChange<T>[]): Promise<void> {
    this.#inBatch = batch.length;
    try {
      await this.#applyAndWrite(batch);
    } finally {
      this.#inBatch = 0;
      this.#lastWriteEnd = performance.now();
    }
  }

  async #applyAndWrite(batch: PendingChange<T>[]): Promise<void> {
    let next = this.#state;
    const included: PendingChange<T>[] = [];
    for (const item of batch) {
      try {
        next = item.change(next);
        included.push(item);
      } catch (err) {
        // A change that throws (e.g. a bad replace predicate) fails alone; the
        // others in the batch are still written.
        item.reject(err);
      }
    }
    if (included.length === 0) return;
    try {
      await this.persist(next);
    } catch (err) {
      for (const item of included) item.reject(err);
      return;
    }
    this.#state = next;
    this.#commits++;
    this.onCommit();
    for (const item of included) item.resolve();
  }
}

import type { Reply } from './spec-reply.js';

/** Bounds of the memo: answers kept, and their body bytes in all (generated bodies can be large). */
const ENTRIES_MAX = 2000;
const BYTES_MAX = 32 * 1024 * 1024;

/**
 * Spec answers remembered by everything that decides them: operation, method,
 * path (the seed of generated data), Accept and the `Prefer` code and
 * example. Only deterministic answers come here (never `Prefer: dynamic=true`),
 * so a remembered answer is byte-equal to a fresh one; it saves choosing,
 * negotiating and serializing on every request. Bounded by count and by
 * bytes, oldest out first. One memo per loaded state: a reload starts empty.
 * Remembered replies are frozen and shared: never mutate one.
 *
 * @example
 * const reply = memo.get(key) ?? memo.set(key, build())
 */
export class ReplyMemo {
  private readonly entries = new Map<string, Reply>();
  private bytes = 0;

  get(key: string): Reply | undefined {
    return this.entries.get(key);
  }

  /** Remembers (a frozen copy of) `reply` when it fits, and returns what to send. */
  set(key: string, reply: Reply): Reply {
    const size = reply.body.length;
    if (size > BYTES_MAX / 8) return reply;
    const frozen = Object.freeze({ status: reply.status, headers: Object.freeze({ ...reply.headers }), body: reply.body });
    const old = this.entries.get(key);
    if (old) this.forget(key, old);
    while (this.entries.size >= ENTRIES_MAX || (this.entries.size > 0 && this.bytes + size > BYTES_MAX)) {
      const [oldestKey, oldest] = this.entries.entries().next().value as [string, Reply];
      this.forget(oldestKey, oldest);
    }
    this.entries.set(key, frozen);
    this.bytes += size;
    return frozen;
  }

  get size(): number {
    return this.entries.size;
  }

  private forget(key: string, reply: Reply): void {
    this.entries.delete(key);
    this.bytes -= reply.body.length;
  }
}

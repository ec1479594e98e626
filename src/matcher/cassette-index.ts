import type { Interaction } from '../types.js';
import { canonicalRequest, indexKey, partsOfInteraction, type KeyParts, type MatchRules } from './request-key.js';
import { nearMisses, SCAN_LIMIT, type NearMiss } from './near-miss.js';

export interface CassetteLayer {
  name: string;
  interactions: readonly Interaction[];
}

export interface Hit {
  kind: 'hit';
  cassette: string;
  interaction: Interaction;
}

export interface Miss {
  kind: 'miss';
  /**
   * Up to three closest recordings with the dimensions that differed, among
   * the first `scan` recordings of the same operation. Computed on demand.
   */
  nearMisses: (scan?: number) => NearMiss[];
}

interface Bucket {
  cassette: string;
  interactions: Interaction[];
  /** Replay position: hits served since `epoch`; a reset bumps the index's epoch instead of visiting every bucket. */
  served: number;
  epoch: number;
}

/** A bucket holding its first interaction: an array literal of one, not an empty one grown by push (which reserves 17 slots). */
const newBucket = (cassette: string, first: Interaction): Bucket => ({ cassette, interactions: [first], served: 0, epoch: 0 });

/**
 * The key as one flat string. A key is built by concatenation, which V8 keeps
 * as a tree of pieces; reading a character flattens it in place, so a stored
 * key costs its characters, not the tree (100 000 keys: 53 MB down to 9 MB).
 */
const stored = (key: string): string => {
  key.charCodeAt(0);
  return key;
};

const scopeOf = (p: { operationId: string | null; path: string; method: string }): string =>
  p.operationId !== null ? `op:${p.operationId}` : `path:${p.method.toUpperCase()} ${p.path}`;

/**
 * The replay index: normalized request key → recorded interactions, built
 * once at start. Lookup is a Map hit; equal keys replay in recorded order,
 * then repeat the last. Later layers win on equal keys.
 */
export class CassetteIndex {
  private readonly merged = new Map<string, Bucket>();
  private readonly perCassette = new Map<string, Map<string, Bucket>>();
  /** Per operation (or raw path), for near-miss explanations only. */
  private readonly byScope = new Map<string, Interaction[]>();
  /** Keys of recent requests by their request line (see `lookup`): oldest out first. */
  private readonly keyMemo = new Map<string, string>();
  /** Bumped by reset(): a bucket whose epoch is older starts again from its first recording. */
  private epoch = 0;
  private count = 0;

  constructor(layers: readonly CassetteLayer[], private readonly rules: MatchRules) {
    for (const layer of layers) {
      const own = new Map<string, Bucket>();
      for (const interaction of layer.interactions) {
        const parts = partsOfInteraction(interaction);
        const key = stored(indexKey(parts, rules));
        const bucket = own.get(key);
        if (bucket) bucket.interactions.push(interaction);
        else own.set(key, newBucket(layer.name, interaction));
        const scope = scopeOf(parts);
        const list = this.byScope.get(scope);
        if (list) list.push(interaction);
        else this.byScope.set(scope, [interaction]);
      }
      for (const [key, bucket] of own) this.merged.set(key, bucket);
      this.perCassette.set(layer.name, own);
    }
    for (const b of this.merged.values()) this.count += b.interactions.length;
  }

  get cassettes(): string[] {
    return [...this.perCassette.keys()];
  }

  /** Interactions reachable through the merged index (a key shadowed by a later layer counts the later one's). Kept up to date, since spec fallbacks ask on every request. */
  get size(): number {
    return this.count;
  }

  /** Number of interactions per operation id (null id counted under ''). */
  countsByOperation(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const list of this.byScope.values()) {
      for (const i of list) counts.set(i.operationId ?? '', (counts.get(i.operationId ?? '') ?? 0) + 1);
    }
    return counts;
  }

  /**
   * Looks a request up. `only` restricts the lookup to one cassette (the
   * `x-mockdeck-cassette` request header). `active` (scenario switch) limits
   * it to some layers. `requestLine` (e.g. `GET /pets?limit=5`) may be given
   * when it alone determines `parts` (no body, and rules that list no
   * headers): the key is then remembered for it, so a client repeating a
   * request does not rebuild its key each time.
   */
  lookup(parts: KeyParts, options: { only?: string; active?: readonly string[]; requestLine?: string } = {}): Hit | Miss {
    const key = options.requestLine === undefined ? indexKey(parts, this.rules) : this.rememberedKey(options.requestLine, parts);
    const bucket = this.bucketFor(key, options);
    if (bucket) {
      if (bucket.epoch !== this.epoch) {
        bucket.epoch = this.epoch;
        bucket.served = 0;
      }
      const n = bucket.served++;
      const interaction = bucket.interactions[Math.min(n, bucket.interactions.length - 1)] as Interaction;
      return { kind: 'hit', cassette: bucket.cassette, interaction };
    }
    // The recorder appends to these lists; a miss explains itself against the recordings there were when it missed.
    const candidates = this.byScope.get(scopeOf(parts)) ?? [];
    const seen = candidates.length;
    return {
      kind: 'miss',
      nearMisses: (scan = SCAN_LIMIT) => nearMisses(canonicalRequest(parts, this.rules), parts, candidates, this.rules, 3, Math.min(scan, seen)),
    };
  }

  /**
   * Adds one interaction to a layer (the recorder calls this after each write,
   * so `--mode new` replays what it just recorded). A key held by a later
   * layer keeps answering from that layer.
   */
  add(cassette: string, interaction: Interaction): void {
    const parts = partsOfInteraction(interaction);
    const key = stored(indexKey(parts, this.rules));
    let own = this.perCassette.get(cassette);
    if (!own) this.perCassette.set(cassette, (own = new Map()));
    let bucket = own.get(key);
    if (bucket) bucket.interactions.push(interaction);
    else own.set(key, (bucket = newBucket(cassette, interaction)));
    const names = [...this.perCassette.keys()];
    const holder = this.merged.get(key);
    if (!holder || names.indexOf(holder.cassette) <= names.indexOf(cassette)) {
      this.count += bucket.interactions.length - (holder ? (holder === bucket ? bucket.interactions.length - 1 : holder.interactions.length) : 0);
      this.merged.set(key, bucket);
    }
    const scope = scopeOf(parts);
    const list = this.byScope.get(scope);
    if (list) list.push(interaction);
    else this.byScope.set(scope, [interaction]);
  }

  /** Request lines remembered, and the longest one remembered (a bound on the memo's memory). */
  static readonly KEY_MEMO_SIZE = 1000;
  static readonly KEY_MEMO_LINE_MAX = 512;

  private rememberedKey(requestLine: string, parts: KeyParts): string {
    let key = this.keyMemo.get(requestLine);
    if (key === undefined) {
      key = indexKey(parts, this.rules);
      if (requestLine.length <= CassetteIndex.KEY_MEMO_LINE_MAX) {
        if (this.keyMemo.size >= CassetteIndex.KEY_MEMO_SIZE) this.keyMemo.delete(this.keyMemo.keys().next().value as string);
        this.keyMemo.set(requestLine, key);
      }
    }
    return key;
  }

  /** Rewinds replay order: every key starts again from its first recording. */
  reset(): void {
    this.epoch++;
  }

  private bucketFor(key: string, options: { only?: string; active?: readonly string[] }): Bucket | undefined {
    if (options.only !== undefined) return this.perCassette.get(options.only)?.get(key);
    if (options.active === undefined) return this.merged.get(key);
    for (let i = options.active.length - 1; i >= 0; i--) {
      const b = this.perCassette.get(options.active[i] as string)?.get(key);
      if (b) return b;
    }
    return undefined;
  }
}

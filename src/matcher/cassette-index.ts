import type { Interaction } from '../types.js';
import { canonicalRequest, indexKey, partsOfInteraction, type KeyParts, type MatchRules } from './request-key.js';
import { nearMisses, type NearMiss } from './near-miss.js';

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
}

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
  private readonly cursors = new Map<string, number>();

  constructor(layers: readonly CassetteLayer[], private readonly rules: MatchRules) {
    for (const layer of layers) {
      const own = new Map<string, Bucket>();
      for (const interaction of layer.interactions) {
        const parts = partsOfInteraction(interaction);
        const key = indexKey(parts, rules);
        let bucket = own.get(key);
        if (!bucket) own.set(key, (bucket = { cassette: layer.name, interactions: [] }));
        bucket.interactions.push(interaction);
        const scope = scopeOf(parts);
        const list = this.byScope.get(scope);
        if (list) list.push(interaction);
        else this.byScope.set(scope, [interaction]);
      }
      for (const [key, bucket] of own) this.merged.set(key, bucket);
      this.perCassette.set(layer.name, own);
    }
  }

  get cassettes(): string[] {
    return [...this.perCassette.keys()];
  }

  get size(): number {
    let n = 0;
    for (const b of this.merged.values()) n += b.interactions.length;
    return n;
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
   * `x-mockdeck-cassette` request header). `active` (scenario switch) limits it to some layers.
   */
  lookup(parts: KeyParts, options: { only?: string; active?: readonly string[] } = {}): Hit | Miss {
    const key = indexKey(parts, this.rules);
    const bucket = this.bucketFor(key, options);
    if (bucket) {
      const cursorKey = `${bucket.cassette}\u0000${key}`;
      const n = this.cursors.get(cursorKey) ?? 0;
      this.cursors.set(cursorKey, n + 1);
      const interaction = bucket.interactions[Math.min(n, bucket.interactions.length - 1)] as Interaction;
      return { kind: 'hit', cassette: bucket.cassette, interaction };
    }
    return {
      kind: 'miss',
      nearMisses: (scan?: number) => nearMisses(canonicalRequest(parts, this.rules), parts, this.byScope.get(scopeOf(parts)) ?? [], this.rules, 3, scan),
    };
  }

  /**
   * Adds one interaction to a layer (the recorder calls this after each write,
   * so `--mode new` replays what it just recorded). A key held by a later
   * layer keeps answering from that layer.
   */
  add(cassette: string, interaction: Interaction): void {
    const parts = partsOfInteraction(interaction);
    const key = indexKey(parts, this.rules);
    let own = this.perCassette.get(cassette);
    if (!own) this.perCassette.set(cassette, (own = new Map()));
    let bucket = own.get(key);
    if (!bucket) own.set(key, (bucket = { cassette, interactions: [] }));
    bucket.interactions.push(interaction);
    const names = [...this.perCassette.keys()];
    const holder = this.merged.get(key);
    if (!holder || names.indexOf(holder.cassette) <= names.indexOf(cassette)) this.merged.set(key, bucket);
    const scope = scopeOf(parts);
    const list = this.byScope.get(scope);
    if (list) list.push(interaction);
    else this.byScope.set(scope, [interaction]);
  }

  /** Rewinds replay order: every key starts again from its first recording. */
  reset(): void {
    this.cursors.clear();
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

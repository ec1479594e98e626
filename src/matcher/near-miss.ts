import type { Interaction } from '../types.js';
import { canonicalRequest, partsOfInteraction, type KeyParts, type MatchRules } from './request-key.js';

export interface NearMiss {
  interactionId: string;
  operationId: string | null;
  method: string;
  path: string;
  /** 0 = identical; each differing dimension adds its weight. */
  distance: number;
  /** One line per dimension that differed, e.g. `query.limit: expected ["10"], got ["5"]`. */
  reasons: string[];
}

/** Default bound on recordings compared on a miss, so a miss stays cheap on huge cassettes. */
export const SCAN_LIMIT = 2000;

/**
 * Explains a miss the way WireMock does: the closest recordings of the same
 * operation, each with the dimensions that differed. Pure.
 */
export function nearMisses(live: ReturnType<typeof canonicalRequest>, liveParts: KeyParts, candidates: readonly Interaction[], rules: MatchRules, limit = 3, scan = SCAN_LIMIT): NearMiss[] {
  const ranked: NearMiss[] = [];
  for (const interaction of candidates.slice(0, scan)) {
    const parts = partsOfInteraction(interaction);
    const rec = canonicalRequest(parts, rules);
    const reasons: string[] = [];
    let distance = 0;
    if (parts.method.toUpperCase() !== liveParts.method.toUpperCase()) {
      reasons.push(`method: expected ${parts.method}, got ${liveParts.method}`);
      distance += 3;
    }
    if (rec.target !== live.target) {
      reasons.push(`path: expected ${parts.path}, got ${liveParts.path}`);
      distance += 2;
    }
    const recQuery = new Map(rec.query);
    const liveQuery = new Map(live.query);
    for (const name of new Set([...recQuery.keys(), ...liveQuery.keys()])) {
      const a = JSON.stringify(recQuery.get(name) ?? null);
      const b = JSON.stringify(liveQuery.get(name) ?? null);
      if (a !== b) {
        reasons.push(`query.${name}: expected ${a}, got ${b}`);
        distance += 1;
      }
    }
    if (JSON.stringify(rec.body) !== JSON.stringify(live.body)) {
      reasons.push(`body: expected ${preview(rec.body)}, got ${preview(live.body)}`);
      distance += 2;
    }
    rec.headers.forEach(([name, value], i) => {
      const got = live.headers[i]?.[1] ?? '';
      if (value !== got) {
        reasons.push(`header.${name}: expected ${JSON.stringify(value)}, got ${JSON.stringify(got)}`);
        distance += 1;
      }
    });
    ranked.push({ interactionId: interaction.id, operationId: interaction.operationId, method: parts.method, path: parts.path, distance, reasons });
  }
  return ranked.sort((a, b) => a.distance - b.distance).slice(0, limit);
}

function preview(value: unknown): string {
  const text = JSON.stringify(value ?? null);
  return text.length > 120 ? text.slice(0, 117) + '...' : text;
}

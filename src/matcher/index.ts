export { requestKey, indexKey, canonicalRequest, sortKeys, DEFAULT_MATCH_RULES, REDACTED, type KeyParts, type MatchRules } from './request-key.js';
export { partsOfInteraction } from './request-key.js';
export { CassetteIndex, type CassetteLayer, type Hit, type Miss } from './cassette-index.js';
export { nearMisses, type NearMiss } from './near-miss.js';

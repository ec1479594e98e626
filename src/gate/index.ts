export { checkAccess, challenge, keyMatches, presentedKey, keyLocation, bearerToken, ApiKeyGate, type KeySource } from './api-key-gate.js';

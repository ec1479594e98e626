export { checkAccess, challenge, keyMatches, presentedKey, keyLocation, bearerToken, type KeySource } from './api-key-gate.js';

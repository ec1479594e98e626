export { checkAccess, challenge, keyMatches, presentedKey, keyLocation, type KeySource } from './api-key-gate.js';

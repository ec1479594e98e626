/**
 * Cassettes on disk: the reviewable format (sorted keys, JSON bodies as JSON),
 * schema-checked reads, atomic and serialized writes, body encoding and
 * redaction. Everything other folders need comes through this file.
 */
export { CassetteStore, assertAppendable, DEFAULT_MAX_PENDING_BYTES, DEFAULT_PART_BYTES, DEFAULT_COMMIT_GAP_MS, DEFAULT_REWRITE_BYTES_PER_SECOND, type AppendOptions, type CassetteInit, type CassetteStoreOptions } from './cassette-store.js';
export { loadCassette, listCassetteNames, readCassetteMeta, sortRecorded, FORMAT_VERSION } from './read-cassette.js';
export { serializeOperationFile, serializeInteractionEntry, serializeCassetteMeta, parseCassetteJson, type OperationFile } from './serialize.js';
export { fileNameForOperation, META_FILE, UNMATCHED_FILE } from './file-name.js';
export { encodeBody, decodeBody, isJsonMediaType, isTextMediaType, type BodyHeaders, type EncodedBody } from './body-encoding.js';
export {
  redactInteraction,
  parseRedactOption,
  mergeRedactRules,
  DEFAULT_REDACTED_HEADERS,
  DEFAULT_REDACT_RULES,
  REDACTED,
  type RedactRules,
} from './redact.js';
export { cassetteSchemaPath } from './schema.js';
export { shedParsedBody } from './body-text.js';
export type { WriteFs, WriteHandle } from './atomic-write.js';

/**
 * Spec alignment: `verify` (cassettes against the spec as it is now) and the
 * bridges to the tools teams already use: HAR (browser devtools) and Postman,
 * in and out. Imports go through the recorder's own buildInteraction, so an
 * imported interaction is tagged and redacted exactly like a recorded one.
 */
export { verifyCassettes, verifyFiles, type VerifyInput } from './verify.js';
export { FINDING_KINDS, UNTAGGED, type FindingKind, type VerifyFinding, type VerifyReport, type CoverageCount, type OperationReport, type CassetteReport } from './verify-report.js';
export { formatVerifyText } from './verify-text.js';
export { formatVerifyJunit } from './verify-junit.js';
export { importHar, exportHar, readHar, cassetteToHar, DEFAULT_BASE_URL } from './har.js';
export { importPostman, exportPostman, readPostman, cassetteToPostman, specToPostman } from './postman.js';
export { importIntoCassette, type ImportOptions, type ImportSummary } from './import-into-cassette.js';
export { BODY_ENCODING_HEADER } from './postman-read.js';
export { createProgress, type Progress } from './progress.js';
export type { ReadResult, SkipNote, SourcedExchange } from './exchange.js';

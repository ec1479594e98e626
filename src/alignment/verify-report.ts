/**
 * The shape `mockdeck verify --format json` prints. Stable: fields are only
 * ever added, and every finding has every field (null where it does not
 * apply), so a CI script can read it without guessing. Documented in the
 * README ("Spec alignment").
 */

/** What kind of drift a finding is. */
export type FindingKind =
  /** An operation of the spec no selected cassette has a recording of. */
  | 'uncovered-operation'
  /** A recording whose request matches no operation of the current spec. */
  | 'unmatched-recording'
  /** A recorded response whose status is not documented, or whose headers/body break the documented response. */
  | 'response-drift'
  /** A recorded request whose parameters or body break the operation's request schema. */
  | 'request-drift'
  /** A recording older than `--max-age`. */
  | 'stale-recording';

export const FINDING_KINDS: readonly FindingKind[] = ['uncovered-operation', 'unmatched-recording', 'response-drift', 'request-drift', 'stale-recording'];

export interface VerifyFinding {
  kind: FindingKind;
  /** One line a person can act on. */
  message: string;
  /** The operation concerned; null for unmatched recordings. */
  operationId: string | null;
  method: string;
  /** Path template for uncovered operations, the recorded path otherwise. */
  path: string;
  cassette: string | null;
  interactionId: string | null;
  /** JSON pointer into the request (`/query/limit`, `/body/name`) or response (`/status`, `/body/id`). */
  pointer: string | null;
  /** Recorded response status; null for uncovered operations. */
  status: number | null;
  recordedAt: string | null;
}

export interface CoverageCount {
  covered: number;
  total: number;
  /** covered / total in percent, one decimal; 100 when total is 0. */
  percent: number;
}

export interface OperationReport {
  operationId: string;
  method: string;
  path: string;
  tags: string[];
  /** Recordings (across the selected cassettes) that route to this operation. */
  recordings: number;
  /** Findings about this operation (uncovered, response, request, stale). */
  findings: number;
}

export interface CassetteReport {
  name: string;
  interactions: number;
  /** The spec the cassette says it was recorded against. */
  recordedAgainst: { title: string; version: string; sha256: string } | null;
  /** True when that spec is byte-identical to the one verified against. */
  sameSpec: boolean;
}

export interface VerifyReport {
  formatVersion: 1;
  /** False when drift was found (the command exits 1). */
  ok: boolean;
  checkedAt: string;
  spec: { file: string; title: string; version: string; sha256: string };
  cassettes: CassetteReport[];
  options: { maxAgeMs: number | null; minCoverage: number };
  coverage: { overall: CoverageCount; byTag: Record<string, CoverageCount> };
  operations: OperationReport[];
  findings: VerifyFinding[];
  counts: Record<FindingKind, number> & { total: number };
}

/** The tag operations without tags are counted under. */
export const UNTAGGED = '(untagged)';

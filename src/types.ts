/** Shared data shapes: what lands on disk and travels between modules. */

/** How a body is stored: JSON as JSON, text as utf8, anything else as base64. */
export type BodyEncoding = 'json' | 'utf8' | 'base64';

/** Header values as stored: one string, or several for repeated headers. */
export type StoredHeaders = Record<string, string | string[]>;

export interface StoredBody {
  /** `null` with `utf8` means "no body"; a JSON `null` body is `null` with `json`. */
  body: unknown;
  bodyEncoding: BodyEncoding;
}

export interface RecordedRequest extends StoredBody {
  method: string;
  /** Path as sent by the client, relative to the spec's base path, without query. */
  path: string;
  pathParams: Record<string, string>;
  query: Record<string, string[]>;
  headers: StoredHeaders;
}

export interface RecordedResponse extends StoredBody {
  status: number;
  headers: StoredHeaders;
}

export interface AlignmentFinding {
  /** JSON pointer into the response (`/status`, `/headers/x`, `/body/...`). */
  pointer: string;
  message: string;
}

export interface Alignment {
  ok: boolean;
  findings: AlignmentFinding[];
}

export interface Interaction {
  id: string;
  recordedAt: string;
  durationMs: number;
  /** `null` when the request matches no operation of the spec (stored in `_unmatched.json`). */
  operationId: string | null;
  request: RecordedRequest;
  response: RecordedResponse;
  alignment: Alignment;
}

export interface CassetteSpecRef {
  title: string;
  version: string;
  sha256: string;
}

export interface CassetteMeta {
  name: string;
  spec: CassetteSpecRef | null;
  /** Origin only (scheme://host:port), never a path with credentials. */
  target: string | null;
  createdAt: string;
  updatedAt: string;
  formatVersion: 1;
}

/** A whole cassette in memory. */
export interface Cassette {
  meta: CassetteMeta;
  /** Interactions in recorded order, across all operation files. */
  interactions: Interaction[];
}

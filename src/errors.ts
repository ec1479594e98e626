/**
 * The one error registry. Every expected failure has a stable code, an HTTP
 * status (used when it reaches a client as problem+json) and a message
 * template. Callers branch on `code`; codes are never reused or renamed.
 * A test keeps this table and the README's error table identical.
 */
export const ERRORS = {
  // spec: loading and understanding an OpenAPI document
  MOCKDECK_ERR_SPEC_NOT_FOUND: { status: 500, title: 'Spec file not found', template: '{file}: no such file. Pass --spec with the path of an OpenAPI 2.0/3.x document.' },
  MOCKDECK_ERR_SPEC_PARSE: { status: 500, title: 'Spec is not valid YAML or JSON', template: '{file}:{line}:{column}: {reason}' },
  MOCKDECK_ERR_SPEC_VERSION: { status: 500, title: 'Unsupported OpenAPI version', template: '{file}: {reason}. Expected `openapi: 3.0.x`, `openapi: 3.1.x` or `swagger: "2.0"`.' },
  MOCKDECK_ERR_SPEC_INVALID: { status: 500, title: 'Spec breaks the OpenAPI structure', template: '{file}#{pointer}: {reason}' },
  MOCKDECK_ERR_SPEC_REF: { status: 500, title: 'Spec has a $ref that does not resolve', template: '{file}#{pointer}: $ref "{ref}" does not resolve: {reason}' },
  MOCKDECK_ERR_SPEC_DUPLICATE_OPERATION_ID: { status: 500, title: 'Spec repeats an operationId', template: '{file}#{pointer}: operationId "{operationId}" is already used at #{other}. Each operationId must be unique.' },

  // requests to a mock
  MOCKDECK_ERR_REQ_UNKNOWN_PATH: { status: 404, title: 'No operation for this path', template: '{method} {path} matches no path of the spec "{spec}".' },
  MOCKDECK_ERR_REQ_METHOD_NOT_ALLOWED: { status: 405, title: 'Method not allowed', template: '{method} is not defined for {pathTemplate}; allowed: {allow}.' },
  MOCKDECK_ERR_REQ_NOT_ACCEPTABLE: { status: 406, title: 'Not acceptable', template: 'Accept "{accept}" matches none of the media types {operationId} answers with: {available}.' },
  MOCKDECK_ERR_REQ_UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported media type', template: 'Content-Type "{contentType}" is not accepted by {operationId}; expected one of: {available}.' },
  MOCKDECK_ERR_REQ_UNAUTHENTICATED: { status: 401, title: 'Credentials required by the spec', template: '{operationId} requires {schemes}; the request carries none of them.' },
  MOCKDECK_ERR_REQ_INVALID: { status: 422, title: 'Request does not match the spec', template: '{count} violation(s) of {operationId}; see errors[] for each JSON pointer.' },
  MOCKDECK_ERR_REQ_MALFORMED_BODY: { status: 400, title: 'Request body does not parse', template: 'The body is declared as {contentType} but does not parse: {reason}' },
  MOCKDECK_ERR_REQ_BODY_TOO_LARGE: { status: 413, title: 'Request body too large', template: 'The body is larger than the limit of {limit} bytes.' },
  MOCKDECK_ERR_REQ_HEADERS_TOO_LARGE: { status: 431, title: 'Request headers too large', template: 'The request headers are larger than the server accepts.' },
  MOCKDECK_ERR_REQ_PREFER_UNSATISFIABLE: { status: 400, title: 'Prefer header cannot be satisfied', template: 'Prefer {preference} cannot be met by {operationId}: {reason}' },
  MOCKDECK_ERR_REQ_NO_RECORDING: { status: 404, title: 'No recorded interaction matches', template: '{method} {path} was not recorded in {cassettes}; see nearMisses for the closest recordings.' },
  MOCKDECK_ERR_REQ_UNKNOWN_CASSETTE: { status: 400, title: 'Unknown cassette requested', template: 'x-mockdeck-cassette names "{cassette}", which this mock does not load; loaded: {loaded}.' },
  MOCKDECK_ERR_REQ_BAD_URL: { status: 400, title: 'Request URL does not decode', template: '{reason}. Percent-encode every byte outside the URL alphabet (`%25` for a literal `%`).' },

  // access
  MOCKDECK_ERR_GATE_KEY_MISSING: { status: 401, title: 'API key required', template: 'This mock needs an API key in {where}.' },
  MOCKDECK_ERR_GATE_KEY_INVALID: { status: 403, title: 'API key not accepted', template: 'The API key sent in {where} is not one of this mock\'s keys.' },

  // cassettes on disk
  MOCKDECK_ERR_CASSETTE_NOT_FOUND: { status: 500, title: 'Cassette not found', template: '{file}: no such cassette folder. {hint}' },
  MOCKDECK_ERR_CASSETTE_PARSE: { status: 500, title: 'Cassette file is not valid JSON', template: '{file}:{line}:{column}: {reason}. The file was left untouched; fix or delete it.' },
  MOCKDECK_ERR_CASSETTE_SCHEMA: { status: 500, title: 'Cassette file breaks the cassette schema', template: '{file}#{pointer}: {reason}. The file was left untouched; see cassette.schema.json.' },
  MOCKDECK_ERR_CASSETTE_VERSION: { status: 500, title: 'Unknown cassette format version', template: '{file}: formatVersion {found} is not supported (this mockdeck reads {supported}).' },
  MOCKDECK_ERR_CASSETTE_WRITE: { status: 500, title: 'Cassette could not be written', template: '{file}: {reason}. Check that the folder exists, is writable and the disk has space.' },
  MOCKDECK_ERR_CASSETTE_TOO_LARGE: { status: 500, title: 'Cassette file too large to read', template: '{file}: {bytes} bytes, more than the {limit} one file may hold. mockdeck writes big operations as part files (name~2.json, ...) well below that; split this one the same way.' },

  // upstream, while recording or proxying
  MOCKDECK_ERR_UPSTREAM_REFUSED: { status: 502, title: 'Upstream refused the connection', template: '{target} refused the connection ({cause}). Is the target running and the URL right?' },
  MOCKDECK_ERR_UPSTREAM_RESET: { status: 502, title: 'Upstream closed the connection', template: '{target} closed the connection before answering ({cause}).' },
  MOCKDECK_ERR_UPSTREAM_TIMEOUT: { status: 504, title: 'Upstream timed out', template: '{target} did not answer within {timeout} ms. Raise --timeout if it is just slow.' },
  MOCKDECK_ERR_UPSTREAM_TLS: { status: 502, title: 'Upstream certificate not trusted', template: '{target} presented a TLS certificate that is not trusted ({cause}). Fix the certificate, trust its CA with NODE_EXTRA_CA_CERTS=ca.pem, or pass --insecure (insecure: true in the config file) to skip the check.' },
  MOCKDECK_ERR_UPSTREAM_FAILED: { status: 502, title: 'Upstream request failed', template: '{target}: {cause}' },
  MOCKDECK_ERR_RECORD_NOT_RECORDED: { status: 404, title: 'Not recorded and recording is off', template: '{method} {path} is not in cassette "{cassette}" and --mode none never forwards to the target.' },

  // configuration and usage
  MOCKDECK_ERR_CONFIG_PARSE: { status: 500, title: 'Config file is not valid YAML or JSON', template: '{file}:{line}:{column}: {reason}' },
  MOCKDECK_ERR_CONFIG_INVALID: { status: 500, title: 'Config breaks the config schema', template: '{file}: {path}: {reason}' },
  MOCKDECK_ERR_CONFIG_ENV_UNSET: { status: 500, title: 'Config names an unset environment variable', template: '{path}: env var {name} is not set. Export it or put the value in the file.' },
  MOCKDECK_ERR_PORT_IN_USE: { status: 500, title: 'Port already in use', template: 'mock "{mock}": {host}:{port} is already in use. Pick another port or stop the other process.' },
  MOCKDECK_ERR_CLI_USAGE: { status: 500, title: 'Bad command-line usage', template: '{reason}' },

  // import / export
  MOCKDECK_ERR_IMPORT_INVALID: { status: 500, title: 'Import file is not valid', template: '{file}#{pointer}: {reason}. Nothing was written.' },
  MOCKDECK_ERR_IMPORT_NOT_FOUND: { status: 500, title: 'Import file not found', template: '{file}: no such file. Pass the path of a HAR 1.2 file or a Postman v2.1 collection.' },
  MOCKDECK_ERR_EXPORT_FAILED: { status: 500, title: 'Export could not be produced', template: '{what}: {reason}' },

  MOCKDECK_ERR_INTERNAL_UNEXPECTED: { status: 500, title: 'Internal error', template: 'mockdeck failed unexpectedly: {reason}' },
} as const satisfies Record<string, { status: number; title: string; template: string }>;

export type ErrorCode = keyof typeof ERRORS;

export interface PointerFinding {
  pointer: string;
  message: string;
}

export const ERROR_TYPE_BASE = 'https://mockdeck.dev/errors/';

/**
 * A typed, expected failure. `params` fill the message template and are kept
 * for programmatic use; `extra` travels into the problem+json body.
 *
 * @example
 * throw new MockdeckError('MOCKDECK_ERR_SPEC_PARSE', { file, line: 3, column: 1, reason: 'bad indent' })
 */
export class MockdeckError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly params: Readonly<Record<string, unknown>>;
  readonly extra: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, params: Record<string, unknown> = {}, options: { cause?: unknown; extra?: Record<string, unknown> } = {}) {
    super(formatMessage(code, params), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MockdeckError';
    this.code = code;
    this.status = ERRORS[code].status;
    this.params = params;
    this.extra = options.extra ?? {};
  }
}

export function formatMessage(code: ErrorCode, params: Record<string, unknown>): string {
  return ERRORS[code].template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

export function isMockdeckError(err: unknown, code?: ErrorCode): err is MockdeckError {
  return err instanceof MockdeckError && (code === undefined || err.code === code);
}

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  [key: string]: unknown;
}

/** Renders an error as an RFC 9457 problem+json body. */
export function toProblem(err: MockdeckError): ProblemDetails {
  return {
    type: ERROR_TYPE_BASE + err.code,
    title: ERRORS[err.code].title,
    status: err.status,
    detail: err.message,
    code: err.code,
    ...err.extra,
  };
}

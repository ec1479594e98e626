import { join } from 'node:path';
import { assertAppendable, CassetteStore, readCassetteMeta } from '../cassette/index.js';
import { resolveMockConfig } from '../config.js';
import { isMockdeckError } from '../errors.js';
import { DEFAULT_MATCH_RULES, partsOfInteraction, requestKey, sortKeys, type MatchRules } from '../matcher/index.js';
import { buildInteraction, type BuildContext } from '../recorder/index.js';
import { redactionRules } from '../server/mock-runtime.js';
import { emptySpec, loadSpec, SchemaValidator, type Spec } from '../spec/index.js';
import type { CassetteMeta, Interaction, RecordedResponse } from '../types.js';
import type { ReadResult, SkipNote } from './exchange.js';

export interface ImportOptions {
  /** Folder holding one sub-folder per cassette. */
  cassettesDir: string;
  cassette: string;
  /** Spec to tag interactions with; null puts every interaction in `_unmatched.json`. */
  spec: string | null;
  /** Extra header/query names or JSON pointers to redact, as `--redact` takes them. */
  redact?: readonly string[];
  /** Called while interactions are built (for a progress bar). */
  onProgress?: (done: number, total: number) => void;
}

export interface ImportSummary {
  cassette: string;
  dir: string;
  /** Exchanges read from the file (after skips). */
  read: number;
  /** Interactions written. */
  added: number;
  /** Equal to one already in the cassette (or earlier in the file): same request key and same response. */
  duplicates: number;
  /** Interactions written per operation; `null` key = `_unmatched.json`, listed as "(unmatched)". */
  byOperation: Record<string, number>;
  skipped: SkipNote[];
  warnings: string[];
}

/** Yield to the event loop this often, so a progress bar can draw during a big import. */
const YIELD_EVERY = 200;

/**
 * Writes what a reader produced into a cassette, all or nothing: every
 * exchange goes through `buildInteraction` (the recorder's own tagging,
 * encoding, alignment check and redaction) in memory first, then the new ones
 * are appended in one `appendMany`. Interactions equal to one already there
 * (same request key and same response: status, content type, location and
 * body) are not added again; existing interactions are never removed.
 * Checks the store would make only after creating the cassette folder run
 * before it opens, so a refused import leaves no folder behind.
 *
 * @example
 * await importIntoCassette(await readHar('session.har'), { cassettesDir: 'cassettes', cassette: 'checkout', spec: 'specs/petstore.yaml' })
 */
export async function importIntoCassette(read: ReadResult, options: ImportOptions): Promise<ImportSummary> {
  const spec = options.spec === null ? emptySpec() : await loadSpec(options.spec);
  const config = resolveMockConfig({ spec: options.spec, cassettesDir: options.cassettesDir, redact: [...(options.redact ?? [])] });
  const ctx: BuildContext = { spec, redaction: redactionRules(config, spec), validator: new SchemaValidator() };
  const built: Interaction[] = [];
  for (const [n, { exchange }] of read.exchanges.entries()) {
    built.push(buildInteraction(exchange, ctx));
    if ((n + 1) % YIELD_EVERY === 0) {
      options.onProgress?.(n + 1, read.exchanges.length);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  options.onProgress?.(read.exchanges.length, read.exchanges.length);

  const dir = join(config.cassettesDir, options.cassette);
  assertAppendable(dir, built);
  const existing = await existingMeta(dir);
  const warnings = [...read.warnings, ...specWarnings(existing, spec, options.spec)];
  const store = await CassetteStore.open(dir, {
    name: options.cassette,
    spec: options.spec === null ? null : { title: spec.info.title, version: spec.info.apiVersion, sha256: spec.info.sha256 },
    target: existing?.target ? null : (read.origins[0] ?? null),
  });
  const rules: MatchRules = { ...DEFAULT_MATCH_RULES, redacted: ctx.redaction };
  const seen = new Set(store.interactions().map((i) => identity(i, rules)));
  const fresh = built.filter((i) => {
    const id = identity(i, rules);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
  await store.appendMany(fresh);
  await store.flush();
  const byOperation: Record<string, number> = {};
  for (const i of fresh) byOperation[i.operationId ?? '(unmatched)'] = (byOperation[i.operationId ?? '(unmatched)'] ?? 0) + 1;
  return { cassette: options.cassette, dir, read: built.length, added: fresh.length, duplicates: built.length - fresh.length, byOperation, skipped: read.skipped, warnings };
}

/**
 * What makes two interactions "the same" for an import: the request key the
 * mock matches on, plus the parts of the response a client sees as content.
 * Volatile headers (date, etag, request ids) are left out on purpose, or the
 * same HAR imported twice would never be recognized.
 */
function identity(i: Interaction, rules: MatchRules): string {
  return `${requestKey(partsOfInteraction(i), rules)} ${responseIdentity(i.response)}`;
}

function responseIdentity(r: RecordedResponse): string {
  const header = (name: string): string | null => {
    const v = r.headers[name];
    return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
  };
  const contentType = header('content-type')?.split(';')[0]?.trim().toLowerCase() ?? null;
  return JSON.stringify([r.status, contentType, header('location'), r.bodyEncoding, r.bodyEncoding === 'json' ? sortKeys(r.body) : r.body]);
}

async function existingMeta(dir: string): Promise<CassetteMeta | null> {
  try {
    return await readCassetteMeta(dir);
  } catch (err) {
    if (isMockdeckError(err, 'MOCKDECK_ERR_CASSETTE_NOT_FOUND')) return null;
    throw err;
  }
}

function specWarnings(meta: CassetteMeta | null, spec: Spec, specFile: string | null): string[] {
  if (!meta?.spec) return [];
  if (specFile === null) return [`cassette "${meta.name}" was recorded against ${meta.spec.title} ${meta.spec.version}; without --spec the imported interactions are not tagged and all land in _unmatched.json`];
  if (meta.spec.sha256 !== spec.info.sha256) return [`cassette "${meta.name}" was recorded against another version of the spec (${meta.spec.title} ${meta.spec.version}); run mockdeck verify to see the drift`];
  return [];
}

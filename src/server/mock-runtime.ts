import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { MockdeckError } from '../errors.js';
import type { MockConfig } from '../config.js';
import { listCassetteNames, loadCassette, parseRedactOption, DEFAULT_REDACTED_HEADERS } from '../cassette/index.js';
import { CassetteIndex, type CassetteLayer, type MatchRules } from '../matcher/index.js';
import { GenerationCache } from '../responder/index.js';
import { emptySpec, loadSpec, SchemaValidator, type Spec } from '../spec/index.js';
import type { Cassette } from '../types.js';
import { Journal } from './journal.js';
import { specDriftWarning } from './spec-drift.js';

/** Everything one mock needs to answer, loaded once and swapped whole on reload. */
export interface MockState {
  readonly spec: Spec;
  readonly layers: readonly CassetteLayer[];
  readonly cassettes: readonly Cassette[];
  readonly index: CassetteIndex;
  readonly rules: MatchRules;
  readonly paramValidator: SchemaValidator;
  readonly bodyValidator: SchemaValidator;
  readonly cache: GenerationCache;
  readonly warnings: readonly string[];
}

/** Header, query and pointer names never written to disk, derived from config and spec. */
export function redactionRules(config: MockConfig, spec: Spec): { headers: string[]; query: string[]; pointers: string[] } {
  const extra = parseRedactOption([...config.redact]);
  const headers = new Set([...DEFAULT_REDACTED_HEADERS, ...extra.headers.map((h) => h.toLowerCase())]);
  const query = new Set(extra.query);
  for (const scheme of Object.values(spec.securitySchemes)) {
    if (scheme.kind === 'apiKey') {
      if (scheme.in === 'header') headers.add(scheme.paramName.toLowerCase());
      else if (scheme.in === 'query') query.add(scheme.paramName);
      else headers.add('cookie');
    } else if (scheme.kind === 'http' || scheme.kind === 'oauth2' || scheme.kind === 'openIdConnect') headers.add('authorization');
  }
  if (config.access.kind === 'apiKey') {
    if (config.access.in === 'header') headers.add(config.access.name);
    if (config.access.in === 'query') query.add(config.access.name);
  }
  return { headers: [...headers], query: [...query], pointers: [...extra.pointers] };
}

/** Loads spec and cassette layers for a mock; throws typed errors naming file and pointer. */
export async function loadMockState(config: MockConfig): Promise<MockState> {
  const spec = config.spec === null ? emptySpec() : await loadSpec(config.spec);
  const names = await cassetteNames(config);
  const cassettes = await Promise.all(names.map((n) => loadCassette(join(config.cassettesDir, n))));
  const layers = cassettes.map((c, i) => ({ name: names[i] as string, interactions: c.interactions }));
  const redacted = redactionRules(config, spec);
  const rules: MatchRules = Object.freeze({ ...config.match, redacted });
  const paramValidator = new SchemaValidator({ coerce: true });
  const bodyValidator = new SchemaValidator();
  const warnings = cassettes.flatMap((c, i) => specDriftWarning(names[i] as string, c, spec, { params: paramValidator, bodies: bodyValidator }));
  return Object.freeze({
    spec,
    layers,
    cassettes,
    index: new CassetteIndex(layers, rules),
    rules,
    paramValidator,
    bodyValidator,
    cache: new GenerationCache(),
    warnings,
  });
}

async function cassetteNames(config: MockConfig): Promise<string[]> {
  if (config.record) {
    // Recording replays from, and writes to, its one cassette; it may not exist yet.
    const dir = join(config.cassettesDir, config.record.cassette);
    return (await stat(join(dir, 'cassette.json')).then(() => true, () => false)) ? [config.record.cassette] : [];
  }
  const exists = await stat(config.cassettesDir).then((s) => s.isDirectory(), () => false);
  if (!exists) {
    if (config.requireCassettesDir || config.cassettes !== 'all') {
      throw new MockdeckError('MOCKDECK_ERR_CASSETTE_NOT_FOUND', { file: config.cassettesDir, hint: 'Create it, or point --cassettes at the folder holding your cassettes.' });
    }
    return [];
  }
  if (config.cassettes === 'all') {
    const all = await listCassetteNames(config.cassettesDir);
    // The cassette being recorded into is opened by the recorder, not layered twice.
    return all;
  }
  return [...config.cassettes];
}

/**
 * A running mock's mutable shell: the current state (swapped atomically on
 * reload, so in-flight requests finish on the state they started with), the
 * journal, and the scenario switch.
 */
export class MockRuntime {
  readonly journal = new Journal();
  /** Active cassette layers chosen through the admin API; undefined = all. */
  activeCassettes: readonly string[] | undefined;

  private constructor(readonly config: MockConfig, private current: MockState) {}

  static async create(config: MockConfig): Promise<MockRuntime> {
    return new MockRuntime(config, await loadMockState(config));
  }

  get state(): MockState {
    return this.current;
  }

  /** Reloads spec and cassettes; on failure the last good state stays and the error is thrown. */
  async reload(): Promise<MockState> {
    const next = await loadMockState(this.config);
    if (this.activeCassettes) this.activeCassettes = this.activeCassettes.filter((n) => next.layers.some((l) => l.name === n));
    this.current = next;
    return next;
  }

  /** Swaps in a state built elsewhere (the recorder adds interactions as it writes them). */
  replaceIndex(layers: readonly CassetteLayer[]): void {
    this.current = Object.freeze({ ...this.current, layers, index: new CassetteIndex(layers, this.current.rules) });
  }
}

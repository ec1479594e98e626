import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CassetteStore } from '../../src/cassette/index.js';
import { resolveMockConfig } from '../../src/config.js';
import { buildInteraction, type RawExchange } from '../../src/recorder/index.js';
import { redactionRules } from '../../src/server/mock-runtime.js';
import { loadSpec, SchemaValidator } from '../../src/spec/index.js';
import type { Interaction } from '../../src/types.js';
import { fromRoot } from '../helpers/paths.js';

export const PETSTORE = fromRoot('specs/petstore.yaml');
export const CLI = fromRoot('bin/mockdeck.js');

/** A valid 1×1 PNG; its bytes are not UTF-8, so text mangling shows. */
export const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI through bin/ (as a user would), never throwing on a non-zero exit. */
export function runCli(args: string[], options: { cwd?: string } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd: options.cwd, env: { ...process.env, MOCKDECK_LOG_LEVEL: 'silent' }, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 99) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** An exchange as the recorder would see it; override what the test is about. */
export function exchange(over: Partial<RawExchange> & { json?: unknown; requestJson?: unknown }): RawExchange {
  const { json, requestJson, ...rest } = over;
  return {
    method: 'GET',
    path: '/',
    query: {},
    requestHeaders: requestJson === undefined ? {} : { 'content-type': 'application/json' },
    requestBody: requestJson === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(requestJson)),
    status: 200,
    responseHeaders: json === undefined ? {} : { 'content-type': 'application/json' },
    responseBody: json === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(json)),
    startedAt: new Date(),
    durationMs: 3,
    ...rest,
  };
}

/** Builds interactions through the recorder's own path and writes them as a cassette. */
export async function writeCassetteFrom(cassettesDir: string, name: string, exchanges: RawExchange[], specFile: string | null = PETSTORE): Promise<Interaction[]> {
  const spec = specFile ? await loadSpec(specFile) : (await import('../../src/spec/index.js')).emptySpec();
  const config = resolveMockConfig({ spec: specFile, cassettesDir });
  const ctx = { spec, redaction: redactionRules(config, spec), validator: new SchemaValidator() };
  const interactions = exchanges.map((e) => buildInteraction(e, ctx));
  const store = await CassetteStore.open(join(cassettesDir, name), { name, spec: specFile ? { title: spec.info.title, version: spec.info.apiVersion, sha256: spec.info.sha256 } : null, target: 'http://127.0.0.1:8080' });
  await store.appendMany(interactions);
  await store.flush();
  return interactions;
}

/** Every file under a folder with its bytes, keyed by relative path: compare before and after. */
export async function snapshot(dir: string, prefix = ''): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return out;
    throw err;
  }
  for (const e of entries) {
    const rel = join(prefix, e.name);
    if (e.isDirectory()) Object.assign(out, await snapshot(join(dir, e.name), rel));
    else out[rel] = (await readFile(join(dir, e.name))).toString('base64');
  }
  return out;
}

/** The operations of the petstore, each with one request and a response that matches the spec. */
export function cleanPetstoreExchanges(startedAt = new Date()): RawExchange[] {
  const pet = { id: 1, name: 'Rex', status: 'available', tags: ['dog'] };
  const order = { id: '7c9e6679-7425-40de-944b-e07fc1f90ae7', petId: 1, quantity: 2, status: 'placed' };
  const at = (n: number) => new Date(startedAt.getTime() + n);
  return [
    exchange({ path: '/pets', query: { status: ['available'], limit: ['5'] }, json: [pet], responseHeaders: { 'content-type': 'application/json', 'x-total-count': '1' }, startedAt: at(0) }),
    exchange({ method: 'POST', path: '/pets', requestJson: { name: 'Nala' }, status: 201, json: { id: 42, name: 'Nala' }, startedAt: at(1) }),
    exchange({ path: '/pets/mine', requestHeaders: { 'x-petstore-key': 'pk_secret_in_test' }, json: [], startedAt: at(2) }),
    exchange({ path: '/pets/1', json: pet, startedAt: at(3) }),
    exchange({ method: 'DELETE', path: '/pets/1', status: 204, startedAt: at(4) }),
    exchange({ path: '/pets/1/photo', responseHeaders: { 'content-type': 'image/png' }, responseBody: PNG, startedAt: at(5) }),
    exchange({ path: '/store/inventory', json: { available: 3, sold: 1 }, startedAt: at(6) }),
    exchange({ method: 'POST', path: '/store/orders', requestJson: { petId: 1, quantity: 2 }, json: order, startedAt: at(7) }),
    exchange({ path: `/store/orders/${order.id}`, json: order, startedAt: at(8) }),
    exchange({ path: '/users/alice', json: { username: 'alice', email: 'alice@example.com' }, startedAt: at(9) }),
    exchange({ path: '/categories', json: [{ name: 'dogs', children: [{ name: 'terriers' }] }], startedAt: at(10) }),
  ];
}

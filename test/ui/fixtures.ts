import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { loadConfigFile } from '../../src/config-file/index.js';
import { serveMany, type ServedMock } from '../../src/server/serve-many.js';
import { fromRoot } from '../helpers/paths.js';

export const SHIPPED_CONFIG = fromRoot('mockdeck.config.yaml');
/** The demo key documented in the shipped config for `petstore-keyed`. */
export const DEMO_KEY = 'petstore-demo-key';

interface FileMock {
  name: string;
  spec: string;
  cassettes?: string[];
  onMiss?: string;
  access?: { in?: string; name?: string };
}

/** What the overview must show for one mock, computed from the files themselves (not from the admin API). */
export interface ExpectedMock {
  name: string;
  title: string;
  version: string;
  access: string;
  onMiss: string;
  layers: Array<{ name: string; interactions: number }>;
  operations: Array<{ id: string; tags: string[]; recorded: number }>;
  undocumented: Map<string, number>;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

export function expectedMock(mock: FileMock, base: string, cassettesDir: string): ExpectedMock {
  const doc = yaml.load(readFileSync(join(base, mock.spec), 'utf8')) as { info: { title: string; version: string }; paths: Record<string, Record<string, { operationId?: string; tags?: string[] }>> };
  const recorded = new Map<string, number>();
  const undocumented = new Map<string, number>();
  const layers: Array<{ name: string; interactions: number }> = [];
  const names = mock.cassettes ?? readdirSync(cassettesDir);
  for (const name of names) {
    let n = 0;
    for (const file of readdirSync(join(cassettesDir, name)).filter((f) => f.endsWith('.json') && f !== 'cassette.json')) {
      const { interactions } = JSON.parse(readFileSync(join(cassettesDir, name, file), 'utf8')) as { interactions: Array<{ operationId: string | null; request: { method: string; path: string } }> };
      for (const i of interactions) {
        n++;
        if (i.operationId) recorded.set(i.operationId, (recorded.get(i.operationId) ?? 0) + 1);
        else undocumented.set(`${i.request.method} ${i.request.path}`, (undocumented.get(`${i.request.method} ${i.request.path}`) ?? 0) + 1);
      }
    }
    layers.push({ name, interactions: n });
  }
  const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((m) => {
      const op = item[m]!;
      const id = op.operationId ?? `${m.toUpperCase()} ${path}`;
      return { id, tags: op.tags?.length ? op.tags : ['untagged'], recorded: recorded.get(id) ?? 0 };
    }),
  );
  const access = mock.access ? `API key in ${mock.access.in === 'bearer' ? 'Authorization: Bearer' : mock.access.in === 'query' ? `query parameter ${mock.access.name}` : `header ${mock.access.name ?? 'x-api-key'}`}` : 'public (no key)';
  return { name: mock.name, title: doc.info.title, version: String(doc.info.version), access, onMiss: String(mock.onMiss ?? 'spec'), layers, operations, undocumented };
}

export interface ShippedDeck {
  mocks: readonly ServedMock[];
  expected: ExpectedMock[];
  close(): Promise<void>;
}

/**
 * The shipped config (`mockdeck.config.yaml`) served on free ports, with an
 * admin key so one dashboard shows every mock; falls back to the embedded
 * default (petstore + `cassettes/`) when the repo has no config file.
 */
export async function startShippedDeck(adminKey: string): Promise<ShippedDeck> {
  if (!existsSync(SHIPPED_CONFIG)) {
    const deck = await serveMany({ mocks: [{ input: { name: 'default', spec: fromRoot('specs/petstore.yaml'), cassettesDir: fromRoot('cassettes'), adminKey, port: 0 } }] });
    const mocks = await deck.listen();
    return { mocks, expected: [expectedMock({ name: 'default', spec: 'specs/petstore.yaml' }, fromRoot(), fromRoot('cassettes'))], close: () => deck.close() };
  }
  const file = yaml.load(readFileSync(SHIPPED_CONFIG, 'utf8')) as { cassettesDir?: string; mocks: FileMock[] };
  const plan = await loadConfigFile(SHIPPED_CONFIG, { env: { MOCKDECK_ADMIN_KEY: adminKey } });
  const deck = await serveMany({ mocks: plan.mocks.map((m) => ({ ...m, input: { ...m.input, port: 0 } })) });
  const mocks = await deck.listen();
  const expected = file.mocks.map((m) => expectedMock(m, fromRoot(), fromRoot(file.cassettesDir ?? 'cassettes')));
  return { mocks, expected, close: () => deck.close() };
}

import { createServer } from 'node:net';
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { interaction, writeCassette } from '../helpers/cassettes.js';

/** Ports free right now: listen on 0, note the port, close. */
export async function freePorts(n: number): Promise<number[]> {
  const ports: number[] = [];
  const servers = await Promise.all(
    Array.from({ length: n }, () => new Promise<ReturnType<typeof createServer>>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => resolve(s));
    })),
  );
  for (const s of servers) {
    const address = s.address();
    if (address && typeof address === 'object') ports.push(address.port);
  }
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

export const sha256Hex = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');

/** A small OpenAPI 3.1 document with one `GET <path>` operation per entry. */
export function miniSpec(title: string, operations: Array<{ id: string; path: string; example: unknown }>): string {
  const paths = operations.map((op) => {
    const params = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => `        - { name: ${m[1]}, in: path, required: true, schema: { type: string } }\n`).join('');
    return `  ${op.path}:\n    get:\n      operationId: ${op.id}\n${params ? `      parameters:\n${params}` : ''}      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: { type: object }\n              example: ${JSON.stringify(op.example)}\n`;
  });
  return `openapi: 3.1.0\ninfo: { title: ${title}, version: 1.0.0 }\npaths:\n${paths.join('')}`;
}

/**
 * Three specs, each with its own cassette: `pets` (GET /pets/{petId}),
 * `billing` (GET /invoices/{invoiceId}) and `inventory` (GET /items), so a
 * test can tell which mock answered from the body alone.
 */
export async function writeDeckFixtures(dir: string): Promise<{ specs: Record<'pets' | 'billing' | 'inventory', string>; cassettesDir: string }> {
  const specsDir = join(dir, 'specs');
  const cassettesDir = join(dir, 'cassettes');
  await mkdir(specsDir, { recursive: true });
  const specs = {
    pets: join(specsDir, 'pets.yaml'),
    billing: join(specsDir, 'billing.yaml'),
    inventory: join(specsDir, 'inventory.yaml'),
  };
  await writeFile(specs.pets, miniSpec('Pets', [{ id: 'getPet', path: '/pets/{petId}', example: { from: 'pets-spec' } }]));
  await writeFile(specs.billing, miniSpec('Billing', [{ id: 'getInvoice', path: '/invoices/{invoiceId}', example: { from: 'billing-spec' } }]));
  await writeFile(specs.inventory, miniSpec('Inventory', [{ id: 'listItems', path: '/items', example: { from: 'inventory-spec' } }]));
  await writeCassette(cassettesDir, 'pets', [interaction({ operationId: 'getPet', path: '/pets/1', pathParams: { petId: '1' }, body: { from: 'pets-cassette' } })]);
  await writeCassette(cassettesDir, 'billing', [interaction({ operationId: 'getInvoice', path: '/invoices/7', pathParams: { invoiceId: '7' }, body: { from: 'billing-cassette' } })]);
  await writeCassette(cassettesDir, 'inventory', [interaction({ operationId: 'listItems', path: '/items', pathParams: {}, body: { from: 'inventory-cassette' } })]);
  return { specs, cassettesDir };
}

/** A writable stream that keeps every byte written to it (for log capture). */
export function captureStream(): PassThrough & { bytes: () => Buffer; lines: () => Array<Record<string, unknown>> } {
  const chunks: Buffer[] = [];
  const stream = new PassThrough() as PassThrough & { bytes: () => Buffer; lines: () => Array<Record<string, unknown>> };
  stream.on('data', (c: Buffer) => chunks.push(Buffer.from(c)));
  stream.bytes = () => Buffer.concat(chunks);
  stream.lines = () => stream.bytes().toString('utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
  return stream;
}

/** Resolves once `predicate` holds, polling every 10 ms, or rejects after `ms`. */
export async function until(predicate: () => boolean, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

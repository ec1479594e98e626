import t, { type Test } from 'tap';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createMock, type MockInput } from '../../src/index.js';
import { loadCassette } from '../../src/cassette/index.js';
import { loadConfigFile } from '../../src/config-file/index.js';
import { call } from '../helpers/http.js';
import { fromRoot } from '../helpers/paths.js';

const spec = fromRoot('specs/petstore.yaml');
const PET = { id: 1, name: 'Rex', status: 'available', tags: ['dog'] };

/** An HTTPS upstream with the self-signed test certificate from test/fixtures/tls/. */
async function startHttpsUpstream(): Promise<{ url: string; seen: string[]; close(): Promise<void> }> {
  const seen: string[] = [];
  const tls = { key: readFileSync(fromRoot('test/fixtures/tls/key.pem')), cert: readFileSync(fromRoot('test/fixtures/tls/cert.pem')) };
  const server: Server = createServer(tls, (req, res) => {
    seen.push(req.url ?? '/');
    const body = JSON.stringify(PET);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const close = () => new Promise<void>((r) => {
    server.closeAllConnections();
    server.close(() => r());
  });
  return { url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, close };
}

const interactionsIn = async (dir: string, name: string) =>
  (await readdir(dir)).includes(name) ? (await loadCassette(join(dir, name))).interactions : [];

/** GET /pets/1 through a mock built from `input`; the mock is closed before returning. */
async function throughMock(input: MockInput) {
  const mock = await createMock({ ...input, port: 0 });
  const answer = await call(`${await mock.listen()}/pets/1`);
  await mock.close();
  return answer;
}

t.test('an untrusted certificate is refused by default: 502 naming the target and the cause, nothing recorded', async (t) => {
  const upstream = await startHttpsUpstream();
  t.teardown(() => upstream.close());
  const dir = t.testdir({});
  // [what, mock input without insecure]
  const table: Array<[string, MockInput]> = [
    ['record', { spec, cassettesDir: dir, target: upstream.url, record: { cassette: 'c' } }],
    ['replay --on-miss proxy', { spec, cassettesDir: dir, target: upstream.url, onMiss: 'proxy' }],
  ];
  for (const [what, input] of table) {
    const r = await throughMock(input);
    t.equal(r.status, 502, `${what}: 502`);
    t.match(r.headers['content-type'], /application\/problem\+json/, `${what}: problem+json`);
    const problem = r.json() as { code: string; detail: string };
    t.equal(problem.code, 'MOCKDECK_ERR_UPSTREAM_TLS', `${what}: typed`);
    t.match(problem.detail, upstream.url, `${what}: names the target`);
    t.match(problem.detail, /DEPTH_ZERO_SELF_SIGNED_CERT/, `${what}: and the certificate cause`);
    t.match(problem.detail, /--insecure/, `${what}: and the way out`);
  }
  t.same(upstream.seen, [], 'no request got past the handshake');
  t.same(await interactionsIn(dir, 'c'), [], 'nothing recorded');
});

t.test('insecure: true skips the check, for record and for replay --on-miss proxy', async (t) => {
  const upstream = await startHttpsUpstream();
  t.teardown(() => upstream.close());
  const dir = t.testdir({ empty: {} });
  const recorded = await throughMock({ spec, cassettesDir: dir, target: upstream.url, insecure: true, record: { cassette: 'c' } });
  t.same([recorded.status, recorded.headers['x-mockdeck-source'], recorded.json()], [200, 'proxy', PET], 'record: forwarded');
  const proxied = await throughMock({ spec, cassettesDir: join(dir, 'empty'), target: upstream.url, insecure: true, onMiss: 'proxy' });
  t.same([proxied.status, proxied.headers['x-mockdeck-source']], [200, 'proxy'], 'replay: forwarded');
  t.same((await interactionsIn(dir, 'c')).map((i) => [i.operationId, i.response.body]), [['getPetById', PET]], 'recorded');
});

t.test('insecure: true in the config file reaches the forwarder', async (t) => {
  const upstream = await startHttpsUpstream();
  t.teardown(() => upstream.close());
  const dir = t.testdir({});
  const file = join(dir, 'mockdeck.config.yaml');
  await writeFile(file, `mocks:\n  - name: staging\n    spec: ${spec}\n    onMiss: proxy\n    target: ${upstream.url}\n    insecure: true\n`);
  const plan = await loadConfigFile(file, { env: {} });
  t.equal(plan.mocks[0]?.input.insecure, true, 'carried into the mock input');
  t.equal((await throughMock(plan.mocks[0]!.input)).status, 200, 'forwarded to the self-signed target');
});

/** Runs the built CLI until its banner shows a url, sends GET /pets/1, then stops it. */
async function viaCli(t: Test, args: string[]): Promise<number> {
  const child = spawn(process.execPath, [fromRoot('bin/mockdeck.js'), ...args, '--port', '0'], { env: { ...process.env, MOCKDECK_LOG_LEVEL: 'silent' } });
  t.teardown(() => child.kill('SIGKILL'));
  let stdout = '';
  child.stdout.on('data', (d) => (stdout += d));
  for (let i = 0; i < 100 && !/url:\s+http/.test(stdout); i++) await new Promise((r) => setTimeout(r, 50));
  const url = /url:\s+(\S+)/.exec(stdout)?.[1];
  if (!url) throw new Error(`no banner; stdout: ${stdout}`);
  const { status } = await call(`${url}/pets/1`);
  child.kill('SIGTERM');
  await new Promise((r) => child.on('close', r));
  return status;
}

t.test('mockdeck record --insecure and replay --insecure (built CLI)', async (t) => {
  const upstream = await startHttpsUpstream();
  t.teardown(() => upstream.close());
  const dir = t.testdir({ empty: {} });
  t.equal(await viaCli(t, ['record', '--target', upstream.url, '--spec', spec, '--cassettes', dir, '--cassette', 'cli', '--insecure']), 200, 'record --insecure forwards');
  t.equal((await interactionsIn(dir, 'cli')).length, 1, 'and records');
  t.equal(await viaCli(t, ['replay', '--spec', spec, '--cassettes', join(dir, 'empty'), '--on-miss', 'proxy', '--target', upstream.url, '--insecure']), 200, 'replay --insecure forwards');
  t.equal(await viaCli(t, ['record', '--target', upstream.url, '--spec', spec, '--cassettes', dir, '--cassette', 'strict']), 502, 'record without it refuses');
});

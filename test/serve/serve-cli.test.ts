import t from 'tap';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { call } from '../helpers/http.js';
import { fromRoot } from '../helpers/paths.js';
import { freePorts, until, writeDeckFixtures } from './fixtures.js';

const bin = fromRoot('bin/mockdeck.js');
const KEY = 'cli-SECRET-key-42';
const ADMIN = 'cli-SECRET-admin-43';

interface Run {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function run(args: string[], env: Record<string, string> = {}, cwd?: string): Run {
  const child = spawn(process.execPath, [bin, ...args], { cwd, env: { ...process.env, MOCKDECK_LOG_LEVEL: 'info', MOCKDECK_API_KEYS: '', MOCKDECK_ADMIN_KEY: '', ...env } });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  void exit.then(() => clearTimeout(killer));
  return { child, out: () => out, err: () => err, exit };
}

async function deckConfig(dir: string, shared: number, own: number): Promise<string> {
  await writeDeckFixtures(dir);
  const file = join(dir, 'mockdeck.config.yaml');
  await writeFile(file, `
port: ${shared}
admin: { key: env:DECK_ADMIN }
mocks:
  - { name: pets, spec: specs/pets.yaml, cassettes: [pets], basePath: /pets-api, latency: 400 }
  - { name: inventory, spec: specs/inventory.yaml, cassettes: [inventory], port: ${own}, access: { apiKeys: [env:DECK_KEYS], in: bearer } }
`);
  return file;
}

t.test('mockdeck serve: start, answer, SIGTERM finishes the request in flight, exit 0', async (t) => {
  const dir = t.testdir({});
  const [shared, own] = await freePorts(2);
  const file = await deckConfig(dir, shared!, own!);
  const cli = run(['serve', '--config', file], { DECK_KEYS: KEY, DECK_ADMIN: ADMIN });
  t.teardown(() => cli.child.kill('SIGKILL'));
  await until(() => cli.out().includes('mockdeck serve:') || cli.child.exitCode !== null, 20_000);
  t.match(cli.out(), new RegExp(`pets\\s+http://127\\.0\\.0\\.1:${shared}/pets-api`), 'banner names each mock and URL');
  t.match(cli.out(), new RegExp(`inventory\\s+http://127\\.0\\.0\\.1:${own}`));
  t.match(cli.out(), /API key in Authorization: Bearer/);
  t.match(cli.out(), /admin key \(from admin\.key\)/);

  const ok = await call(`http://127.0.0.1:${own}/items`, { headers: { authorization: `Bearer ${KEY}` } });
  t.equal(ok.status, 200);
  t.equal(ok.headers['x-mockdeck-cassette'], 'inventory');
  t.equal((await call(`http://127.0.0.1:${own}/__mockdeck/health`, { headers: { 'x-mockdeck-admin-key': ADMIN } })).status, 200);

  const inFlight = call(`http://127.0.0.1:${shared}/pets-api/pets/1`);
  await new Promise((r) => setTimeout(r, 150));
  cli.child.kill('SIGTERM');
  const answer = await inFlight;
  t.equal(answer.status, 200, 'the request in flight at SIGTERM is answered');
  t.same(answer.json(), { from: 'pets-cassette' });
  t.same(await cli.exit, { code: 0, signal: null }, 'exit 0');
  const logLines = cli.out().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l['msg'] === 'request');
  t.match(logLines, [{ mock: 'inventory', source: 'cassette', operation: 'listItems', status: 200 }, { mock: 'pets', source: 'cassette', operation: 'getPet', status: 200 }], 'one log line per request');
  t.notMatch(cli.out() + cli.err(), /SECRET/, 'no key in stdout or stderr');
});

t.test('mockdeck serve: a port in use is exit 2 naming the mock and the port', async (t) => {
  const dir = t.testdir({});
  const [shared, own] = await freePorts(2);
  const file = await deckConfig(dir, shared!, own!);
  const blocker = createServer();
  await new Promise<void>((r) => blocker.listen(own, '127.0.0.1', r));
  t.teardown(() => new Promise((r) => blocker.close(r)));
  const cli = run(['serve', '--config', file], { DECK_KEYS: KEY, DECK_ADMIN: ADMIN });
  t.same(await cli.exit, { code: 2, signal: null });
  t.equal(cli.err(), `mockdeck: MOCKDECK_ERR_PORT_IN_USE: mock "inventory": 127.0.0.1:${own} is already in use. Pick another port or stop the other process.\n`);
  await t.rejects(call(`http://127.0.0.1:${shared}/pets-api/pets/1`), 'the other listener did not stay open');
});

t.test('mockdeck serve: bad input is exit 2 with the key path, never a stack', async (t) => {
  const dir = t.testdir({});
  const [shared, own] = await freePorts(2);
  const file = await deckConfig(dir, shared!, own!);
  const cases: Array<[string, string[], Record<string, string>, string]> = [
    ['unset env var', ['serve', '--config', file], { DECK_ADMIN: ADMIN }, 'mockdeck: MOCKDECK_ERR_CONFIG_ENV_UNSET: mocks[1].access.apiKeys[0]: env var DECK_KEYS is not set. Export it or put the value in the file.\n'],
    ['no config file', ['serve', '--config', join(dir, 'nope.yaml')], {}, `mockdeck: MOCKDECK_ERR_CLI_USAGE: ${join(dir, 'nope.yaml')}: no such config file. Pass --config with the path of a mockdeck.config.yaml (see README "Many mocks and access").\n`],
    ['bad --port', ['serve', '--config', file, '--port', '70000'], {}, 'mockdeck: MOCKDECK_ERR_CLI_USAGE: --port must be a whole number from 0 to 65535, got 70000\n'],
  ];
  for (const [what, args, env, stderr] of cases) {
    const cli = run(args, env);
    t.same(await cli.exit, { code: 2, signal: null }, `${what}: exit 2`);
    t.equal(cli.err(), stderr, what);
  }
  const unknownFlag = run(['serve', '--config', file, '--prot', '1']);
  t.equal((await unknownFlag.exit).code, 2, 'unknown flag: exit 2');
  t.match(unknownFlag.err(), /Unknown argument: prot/);
});

t.test('mockdeck serve --help shows examples and no key, whatever the environment', async (t) => {
  const cli = run(['serve', '--help'], { MOCKDECK_API_KEYS: KEY, MOCKDECK_ADMIN_KEY: ADMIN });
  t.equal((await cli.exit).code, 0);
  t.match(cli.out(), /--config/);
  t.match(cli.out(), /Examples:/);
  t.notMatch(cli.out() + cli.err(), /SECRET/);
});

import t from 'tap';
import { spawn } from 'node:child_process';
import { writeFile, readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { createMock, isMockdeckError } from '../../src/index.js';
import { call } from '../helpers/http.js';
import { interaction, writeCassette } from '../helpers/cassettes.js';
import { fromRoot } from '../helpers/paths.js';
import { exited, startCli } from '../cli/run-cli.js';

const spec = fromRoot('specs/petstore.yaml');
const bin = fromRoot('bin/mockdeck.js');

function runCli(args: string[], timeoutMs = 15_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, MOCKDECK_LOG_LEVEL: 'silent' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

t.test('bad cassettes stop the start with exit 2, naming file and pointer', async (t) => {
  const cases: Array<[string, (dir: string) => Promise<void>, RegExp]> = [
    ['invalid JSON', async (dir) => writeFile(join(dir, 'c', 'getPetById.json'), '{\n  "interactions": [\n    {,\n  ]\n}\n'), /MOCKDECK_ERR_CASSETTE_PARSE: .*getPetById\.json:3:\d+/],
    ['unknown formatVersion', async (dir) => {
      const meta = JSON.parse(await readFile(join(dir, 'c', 'cassette.json'), 'utf8'));
      await writeFile(join(dir, 'c', 'cassette.json'), JSON.stringify({ ...meta, formatVersion: 9 }));
    }, /MOCKDECK_ERR_CASSETTE_VERSION: .*cassette\.json: formatVersion 9/],
    ['interaction that fails the schema', async (dir) => {
      const file = JSON.parse(await readFile(join(dir, 'c', 'getPetById.json'), 'utf8'));
      file.interactions[0].response.status = 'two hundred';
      await writeFile(join(dir, 'c', 'getPetById.json'), JSON.stringify(file));
    }, /MOCKDECK_ERR_CASSETTE_SCHEMA: .*getPetById\.json#\/interactions\/0\/response\/status/],
  ];
  for (const [name, corrupt, expected] of cases) {
    const dir = t.testdir({});
    await writeCassette(dir, 'c', [interaction()]);
    await corrupt(dir);
    const before = await readFile(join(dir, 'c', 'getPetById.json'));
    const r = await runCli(['replay', '--spec', spec, '--cassettes', dir, '--port', '0']);
    t.equal(r.code, 2, `${name}: exit 2`);
    t.match(r.stderr, expected, `${name}: message names file and position`);
    t.notMatch(r.stderr, /\n\s+at /, `${name}: no stack trace`);
    t.ok(before.equals(await readFile(join(dir, 'c', 'getPetById.json'))), `${name}: the bad file was not rewritten`);
  }
});

t.test('a cassette recorded against another spec version warns, naming what changed', async (t) => {
  const dir = t.testdir({});
  await writeCassette(dir, 'old', [interaction(), interaction({ operationId: 'getPetByOldId', path: '/old/1', pathParams: {} })], { spec: { title: 'Petstore', version: '0.9.0', sha256: 'a'.repeat(64) } });
  const mock = await createMock({ spec, cassettesDir: dir, port: 0 });
  t.equal(mock.runtime.state.warnings.length, 1);
  t.match(mock.runtime.state.warnings[0], /recorded against Petstore 0\.9\.0.*getPetByOldId/);
  await mock.close();
});

t.test('a changed spec: the replay warning names still-existing operations whose recordings no longer validate', async (t) => {
  const dir = t.testdir({});
  const original = await readFile(spec, 'utf8');
  // getPetById's 200 now requires ownerId; listPets' limit now stops at 10. Both operations still exist.
  const getPet200 = "              schema: { $ref: '#/components/schemas/Pet' }\n        '404':\n          description: No such pet";
  const limit = 'schema: { type: integer, minimum: 1, maximum: 100, default: 20 }';
  t.ok(original.includes(getPet200) && original.includes(limit), 'the fixture spec still has the lines this test edits');
  const changed = original
    .replace(getPet200, "              schema: { type: object, required: [id, ownerId], properties: { id: { type: integer }, ownerId: { type: string } } }\n        '404':\n          description: No such pet")
    .replace(limit, 'schema: { type: integer, minimum: 1, maximum: 10, default: 5 }');
  const changedSpec = join(dir, 'petstore-v2.yaml');
  await writeFile(changedSpec, changed);
  const sha256 = createHash('sha256').update(original).digest('hex');
  await writeCassette(join(dir, 'cassettes'), 'old', [
    interaction({ body: { id: 1, name: 'Rex', status: 'available', tags: [] } }),
    interaction({ operationId: 'listPets', path: '/pets', pathParams: {}, query: { limit: ['50'] }, headers: { 'x-total-count': '1' }, body: [{ id: 1, name: 'Rex' }] }),
    interaction({ operationId: 'deletePet', method: 'DELETE', status: 204, body: '' }),
  ], { spec: { title: 'Petstore', version: '1.2.0', sha256 } });
  const { child, url, output } = await startCli(['replay', '--spec', changedSpec, '--cassettes', join(dir, 'cassettes'), '--port', '0'], { env: { MOCKDECK_LOG_LEVEL: 'silent' } });
  t.teardown(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  t.equal((await call(`${url}/pets/1`)).headers['x-mockdeck-source'], 'cassette', 'the old cassette is still served');
  child.kill('SIGTERM');
  await exited(child);
  const warning = output().stderr.split('\n').filter((l) => l.startsWith('mockdeck: warning:')).join('\n');
  t.match(warning, /recorded against Petstore 1\.2\.0/, 'a spec-version warning');
  t.match(warning, /no longer validate against the spec: .*getPetById \(200 response \/body\/ownerId: is required\)/, 'names the operation whose response schema changed, with the first finding');
  t.match(warning, /listPets \(request \/query\/limit: must be <= 10\)/, 'names the operation whose request parameters changed');
  t.notMatch(warning, /deletePet/, 'an operation whose recordings still validate is not named');
  t.notMatch(warning, /no longer in the spec/, 'no operation is gone');
});

t.test('reload with a bad file keeps the last good state and says why', async (t) => {
  const dir = t.testdir({});
  await writeCassette(dir, 'c', [interaction({ body: { good: true } })]);
  const mock = await createMock({ spec, cassettesDir: dir, port: 0 });
  const url = await mock.listen();
  await writeFile(join(dir, 'c', 'getPetById.json'), '{ nope');
  const reload = await call(`${url}/__mockdeck/reload`, { method: 'POST' });
  t.equal(reload.status, 422);
  t.match(reload.text, /last good state is kept.*getPetById\.json/);
  t.same((await call(`${url}/pets/1`)).json(), { good: true }, 'still serving the last good state');
  await mock.close();
});

t.test('--watch reloads on change and survives a bad file', async (t) => {
  const dir = t.testdir({});
  await writeCassette(dir, 'c', [interaction({ body: { v: 1 } })]);
  const child = spawn(process.execPath, [bin, 'replay', '--spec', spec, '--cassettes', dir, '--port', '0', '--watch'], { env: { ...process.env, MOCKDECK_LOG_LEVEL: 'silent' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  t.teardown(() => child.kill('SIGKILL'));
  const until = async (check: () => boolean, what: string) => {
    for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
    t.ok(check(), what);
  };
  await until(() => /url:\s+http/.test(stdout), 'started');
  const url = /url:\s+(\S+)/.exec(stdout)![1]!;
  t.same((await call(`${url}/pets/1`)).json(), { v: 1 });
  await writeFile(join(dir, 'c', 'getPetById.json'), '{ broken');
  await until(() => /reload failed, keeping the last good state: MOCKDECK_ERR_CASSETTE_PARSE/.test(stderr), 'logs the failed reload with its code');
  t.match(stderr, /getPetById\.json/, 'and the file');
  t.same((await call(`${url}/pets/1`)).json(), { v: 1 }, 'last good state served');
  await writeCassette(dir, 'c', [interaction({ body: { v: 2 } })]);
  await until(() => /reloaded default/.test(stderr), 'reloads once fixed');
  t.same((await call(`${url}/pets/1`)).json(), { v: 2 });
  child.kill('SIGTERM');
  const code = await new Promise((r) => child.on('close', r));
  t.equal(code, 0, 'SIGTERM exits 0');
});

t.test('createMock rejects a bad cassette with a typed error', async (t) => {
  const dir = t.testdir({});
  await writeCassette(dir, 'c', [interaction()]);
  await writeFile(join(dir, 'c', 'getPetById.json'), '[]');
  const err = await createMock({ spec, cassettesDir: dir, port: 0 }).catch((e: unknown) => e);
  t.ok(isMockdeckError(err, 'MOCKDECK_ERR_CASSETTE_SCHEMA'));
});

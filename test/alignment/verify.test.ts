import t from 'tap';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { PassThrough } from 'node:stream';
import { createProgress, verifyFiles, type VerifyReport } from '../../src/alignment/index.js';
import { cleanPetstoreExchanges, exchange, PETSTORE, runCli, writeCassetteFrom } from './helpers.js';

const DAY = 86_400_000;

/** A cassette with exactly one known case of every finding kind (plus an uncovered pair). */
async function driftCassette(dir: string): Promise<void> {
  const now = Date.now();
  const keep = cleanPetstoreExchanges(new Date(now - 1000)).filter((e) => e.path !== '/categories' && !e.path.startsWith('/users/'));
  await writeCassetteFrom(dir, 'drift', [
    ...keep,
    exchange({ path: '/health', responseHeaders: { 'content-type': 'text/plain' }, responseBody: Buffer.from('ok'), startedAt: new Date(now - 900) }),
    exchange({ path: '/pets/2', json: { id: 'two', name: 'Tom' }, startedAt: new Date(now - 800) }),
    exchange({ path: '/pets/3', status: 418, json: { teapot: true }, startedAt: new Date(now - 700) }),
    exchange({ path: '/pets', query: { limit: ['500'] }, json: [], responseHeaders: { 'content-type': 'application/json', 'x-total-count': '0' }, startedAt: new Date(now - 600) }),
    exchange({ path: '/store/inventory', query: { old: ['1'] }, json: { available: 1 }, startedAt: new Date(now - 90 * DAY) }),
  ]);
}

t.test('verify finds each kind of drift, and coverage per tag', async (t) => {
  const dir = t.testdir({});
  await driftCassette(dir);
  const report = await verifyFiles({ specFile: PETSTORE, cassettesDir: dir, names: [], maxAgeMs: 30 * DAY });
  t.equal(report.ok, false);
  const byKind = (kind: string) => report.findings.filter((f) => f.kind === kind);
  t.same(byKind('uncovered-operation').map((f) => f.operationId), ['getUserByName', 'listCategories']);
  t.same(byKind('unmatched-recording').map((f) => `${f.method} ${f.path}`), ['GET /health']);
  t.match(byKind('response-drift'), [
    { operationId: 'getPetById', path: '/pets/2', pointer: '/body/id', status: 200, cassette: 'drift' },
    { operationId: 'getPetById', path: '/pets/3', pointer: '/status', status: 418, message: /418 is not documented/ },
  ]);
  t.match(byKind('request-drift'), [{ operationId: 'listPets', pointer: '/query/limit', message: /<= 100/ }]);
  t.match(byKind('stale-recording'), [{ operationId: 'getInventory', path: '/store/inventory', message: /90 day\(s\) ago/ }]);
  t.same(report.counts, { 'uncovered-operation': 2, 'unmatched-recording': 1, 'response-drift': 2, 'request-drift': 1, 'stale-recording': 1, total: 7 });
  t.same(report.coverage.overall, { covered: 9, total: 11, percent: 81.8 });
  t.same(report.coverage.byTag['users'], { covered: 0, total: 1, percent: 0 });
  t.same(report.coverage.byTag['store'], { covered: 3, total: 3, percent: 100 });
  t.match(report.operations.find((o) => o.operationId === 'getPetById'), { recordings: 3, findings: 2 });
  for (const f of report.findings) t.same(Object.keys(f).sort(), ['cassette', 'interactionId', 'kind', 'message', 'method', 'operationId', 'path', 'pointer', 'recordedAt', 'status'], 'every finding has every field');
});

t.test('verify re-checks responses with the current spec instead of trusting stored alignment', async (t) => {
  const dir = t.testdir({});
  // Recorded without a spec: everything unmatched and stored alignment says ok.
  await writeCassetteFrom(dir, 'nospec', [exchange({ path: '/pets/5', json: { id: 5 } })], null);
  const report = await verifyFiles({ specFile: PETSTORE, cassettesDir: dir, names: ['nospec'], maxAgeMs: null });
  t.match(report.findings.filter((f) => f.kind === 'response-drift'), [{ operationId: 'getPetById', pointer: '/body/name', message: /required/ }]);
  t.equal(report.findings.filter((f) => f.kind === 'unmatched-recording').length, 0, 'routed again: /pets/5 is getPetById now');
});

t.test('a clean cassette passes; --min-coverage lets uncovered operations through', async (t) => {
  const dir = t.testdir({});
  await writeCassetteFrom(dir, 'clean', cleanPetstoreExchanges());
  const clean = await verifyFiles({ specFile: PETSTORE, cassettesDir: dir, names: ['clean'], maxAgeMs: 30 * DAY });
  t.same(clean.findings, []);
  t.equal(clean.ok, true);
  t.same(clean.coverage.overall, { covered: 11, total: 11, percent: 100 });

  await writeCassetteFrom(dir, 'partial', cleanPetstoreExchanges().slice(0, 9));
  const strict = await verifyFiles({ specFile: PETSTORE, cassettesDir: dir, names: ['partial'], maxAgeMs: null });
  t.equal(strict.ok, false, 'uncovered operations fail at the default 100%');
  const lenient = await verifyFiles({ specFile: PETSTORE, cassettesDir: dir, names: ['partial'], maxAgeMs: null, minCoverage: 80 });
  t.equal(lenient.ok, true, '9/11 = 81.8% passes --min-coverage 80');
  t.equal(lenient.counts['uncovered-operation'], 2, 'and is still reported');
});

t.test('the CLI: exit codes and all three formats', async (t) => {
  const dir = t.testdir({});
  await driftCassette(dir);
  await writeCassetteFrom(dir, 'clean', cleanPetstoreExchanges());
  const base = ['verify', '--spec', PETSTORE, '--cassettes', dir];

  const text = await runCli([...base, '--cassette', 'clean']);
  t.equal(text.code, 0, text.stderr);
  t.match(text.stdout, /listPets\s+GET\s+\/pets\s+1\s+ok/);
  t.match(text.stdout, /overall 11\/11 \(100%\)/);
  t.match(text.stdout, /ok: no drift/);

  const drift = await runCli([...base, '--cassette', 'drift', '--max-age', '30d']);
  t.equal(drift.code, 1, 'drift exits 1');
  t.match(drift.stdout, /getPetById\s+GET\s+\/pets\/\{petId\}\s+3\s+2 response/);
  t.match(drift.stdout, /unmatched\s+drift\s+-\s+GET \/health matches no operation/);
  t.match(drift.stdout, /drift found: 2 uncovered, 1 unmatched, 2 response, 1 request, 1 stale/);

  const json = await runCli([...base, '--cassette', 'drift', '--max-age', '30d', '--format', 'json']);
  t.equal(json.code, 1);
  const report = JSON.parse(json.stdout) as VerifyReport;
  t.equal(report.formatVersion, 1);
  t.equal(report.counts.total, 7);
  t.same(report.options, { maxAgeMs: 30 * DAY, minCoverage: 100 });
  t.match(json.stderr, /drift found: 7 finding\(s\)/);
  const cleanJson = await runCli([...base, '--cassette', 'clean', '--format', 'json']);
  t.equal(cleanJson.code, 0);
  t.equal((JSON.parse(cleanJson.stdout) as VerifyReport).ok, true);

  const junit = await runCli([...base, '--cassette', 'drift', '--max-age', '30d', '--format', 'junit']);
  t.equal(junit.code, 1);
  t.equal(XMLValidator.validate(junit.stdout), true, 'well-formed XML');
  const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => name === 'testsuite' || name === 'testcase' }).parse(junit.stdout) as {
    testsuites: { tests: string; failures: string; testsuite: Array<{ name: string; tests: string; failures: string; testcase: Array<{ name: string; classname: string; failure?: { type: string; '#text': string } }> }> };
  };
  const [ops, outside] = xml.testsuites.testsuite;
  t.equal(ops?.testcase.length, 11, 'one testcase per operation');
  t.equal(ops?.failures, '5', 'getPetById, listPets, getInventory, and the two uncovered');
  const getPet = ops?.testcase.find((c) => c.name === 'getPetById (GET /pets/{petId})');
  t.equal(getPet?.classname, 'pets');
  t.equal(getPet?.failure?.type, 'response-drift');
  t.match(getPet?.failure?.['#text'], /\/body\/id/);
  t.notOk(ops?.testcase.find((c) => c.name.startsWith('createPet'))?.failure, 'a clean operation passes');
  t.equal(outside?.testcase[0]?.name, 'GET /health');
  t.equal(xml.testsuites.tests, '12');

  const cleanJunit = await runCli([...base, '--cassette', 'clean', '--format', 'junit']);
  t.equal(cleanJunit.code, 0);
  t.match(cleanJunit.stdout, /<testsuites name="mockdeck verify" tests="11" failures="0"/);
});

t.test('bad input exits 2 with a message naming what is wrong', async (t) => {
  const dir = t.testdir({ notacassette: {} });
  const cases: Array<[string, string[], RegExp]> = [
    ['missing spec', ['verify', '--spec', 'nope.yaml', '--cassettes', dir], /MOCKDECK_ERR_SPEC_NOT_FOUND/],
    ['unknown cassette', ['verify', '--spec', PETSTORE, '--cassettes', dir, '--cassette', 'ghost'], /MOCKDECK_ERR_CASSETTE_NOT_FOUND/],
    ['missing cassettes folder', ['verify', '--spec', PETSTORE, '--cassettes', `${dir}/none`], /MOCKDECK_ERR_CASSETTE_NOT_FOUND/],
    ['bad --max-age', ['verify', '--spec', PETSTORE, '--cassettes', dir, '--max-age', 'soon'], /--max-age expects a duration/],
    ['bad --min-coverage', ['verify', '--spec', PETSTORE, '--cassettes', dir, '--min-coverage', '120'], /--min-coverage expects a percentage/],
    ['bad --format', ['verify', '--spec', PETSTORE, '--cassettes', dir, '--format', 'xml'], /Invalid values/],
    ['unknown flag', ['verify', '--spec', PETSTORE, '--cassettes', dir, '--colour'], /Unknown argument/],
  ];
  for (const [name, args, message] of cases) {
    const r = await runCli(args);
    t.equal(r.code, 2, `${name}: exit 2`);
    t.match(r.stderr, message, name);
  }
});

t.test('progress shows only on a TTY, and only after a second', async (t) => {
  let clock = 0;
  const tty = Object.assign(new PassThrough(), { isTTY: true, columns: 80, cursorTo: () => true, clearLine: () => true, moveCursor: () => true });
  let written = '';
  tty.on('data', (c: Buffer) => (written += c.toString()));
  const progress = createProgress(tty as unknown as NodeJS.WriteStream, 'verify', 1000, () => clock);
  progress.update(10, 100);
  t.equal(written, '', 'quiet during the first second');
  clock = 1500;
  progress.update(20, 100);
  progress.stop();
  t.match(written, /verify/, 'drawn once the work took over a second');

  const pipe = new PassThrough();
  let piped = '';
  pipe.on('data', (c: Buffer) => (piped += c.toString()));
  const quiet = createProgress(pipe, 'verify', 0, () => 5000);
  quiet.update(1, 100);
  quiet.stop();
  t.equal(piped, '', 'never on a pipe or a CI log');
});

/**
 * The built CLI, run the way a user runs it: `node bin/mockdeck.js replay
 * --port 0`, banner on stdout, one request, SIGTERM, exit 0.
 */
import t from 'tap';
import { call } from '../helpers/http.js';
import { exited, startCli } from './run-cli.js';

t.test('bin/mockdeck.js replay serves the embedded default and stops cleanly on SIGTERM', async (t) => {
  const cassettes = t.testdir({});
  const { child, url, output } = await startCli(['replay', '--port', '0', '--cassettes', cassettes], { env: { MOCKDECK_LOG_LEVEL: 'silent' } });
  t.teardown(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  t.match(url, /^http:\/\/127\.0\.0\.1:\d+$/, 'url line with the picked port');
  const banner = output().stdout;
  t.match(banner, /Petstore 1\.2\.0/, 'banner names the spec');
  t.match(banner, /access:\s+public/, 'banner names the access mode');
  t.match(banner, /operations: 11 \(0 recorded, 11 spec-only\)/, 'banner counts the operations');
  t.match(banner, /GET \/pets\/\{petId\}\s+getPetById\s+spec/, 'banner lists operations');

  const r = await call(`${url}/pets/1`);
  t.equal(r.status, 200);
  t.equal(r.headers['x-mockdeck-source'], 'spec');
  t.equal(r.headers['x-mockdeck-operation'], 'getPetById');
  t.ok((r.json() as { id?: unknown }).id !== undefined, 'a generated pet');

  child.kill('SIGTERM');
  const end = await exited(child);
  t.same(end, { code: 0, signal: null }, 'exit 0 on SIGTERM');
  t.equal(output().stderr, '', 'nothing on stderr');
});

t.test('with no flags, outside a checkout, replay serves the spec and cassettes shipped in the package', async (t) => {
  const elsewhere = t.testdir({});
  const { child, url, output } = await startCli(['replay', '--port', '0'], { cwd: elsewhere, env: { MOCKDECK_LOG_LEVEL: 'silent' } });
  t.teardown(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  t.match(output().stdout, /Petstore 1\.2\.0/);
  t.match(output().stdout, /cassettes:\s+petstore/, 'the shipped cassette is loaded');
  const r = await call(`${url}/pets/1`);
  t.equal(r.headers['x-mockdeck-source'], 'cassette', 'the recorded pet');
  t.equal(r.headers['x-mockdeck-cassette'], 'petstore');
  child.kill('SIGTERM');
  t.same(await exited(child), { code: 0, signal: null });
});

/**
 * Bad input through the built CLI (bin/mockdeck.js → dist): exit code 2, a
 * message naming the file, the line or JSON pointer, and what was expected;
 * no stack trace unless MOCKDECK_LOG_LEVEL=debug.
 */
import t from 'tap';
import { fromRoot } from '../helpers/paths.js';
import { runCli, type CliResult } from './run-cli.js';

const broken = (...p: string[]): string => fromRoot('test/fixtures/specs/broken', ...p);
const STACK = /\n\s+at .+:\d+:\d+/;

// [case, spec file, expected stderr]
const SPEC_CASES: Array<[string, string, RegExp]> = [
  ['not YAML', broken('not-yaml.yaml'), /MOCKDECK_ERR_SPEC_PARSE: .*broken\/not-yaml\.yaml:11:7: bad indentation of a mapping entry/],
  ['not JSON', broken('not-json.json'), /MOCKDECK_ERR_SPEC_PARSE: .*broken\/not-json\.json:5:\d+: \S.*/],
  ['broken internal $ref', broken('bad-internal-ref.yaml'), /MOCKDECK_ERR_SPEC_REF: .*broken\/bad-internal-ref\.yaml#\/paths\/~1pets\/get\/responses\/200\/content\/application~1json\/schema\/\$ref: \$ref "#\/components\/schemas\/Pett" does not resolve: nothing exists at that JSON pointer/],
  ['broken external $ref (split file, missing file)', broken('split', 'main.yaml'), /MOCKDECK_ERR_SPEC_REF: .*broken\/split\/main\.yaml#\/paths\/~1pets\/get\/responses\/200\/content\/application~1json\/schema\/\$ref: \$ref "\.\/missing-schemas\.yaml#\/Pet" does not resolve: the file missing-schemas\.yaml does not exist/],
  ['broken external $ref (split file, missing pointer)', broken('split', 'missing-pointer.yaml'), /MOCKDECK_ERR_SPEC_REF: .*missing-pointer\.yaml#\/paths\/~1pets\/get\/responses\/200\/content\/application~1json\/schema\/\$ref: \$ref "\.\/schemas\.yaml#\/Pett" does not resolve: schemas\.yaml has nothing at #\/Pett/],
  ['duplicate operationId', broken('duplicate-operation-id.yaml'), /MOCKDECK_ERR_SPEC_DUPLICATE_OPERATION_ID: .*duplicate-operation-id\.yaml#\/paths\/~1animals\/get\/operationId: operationId "getPets" is already used at #\/paths\/~1pets\/get\/operationId\. Each operationId must be unique\./],
  ['openapi: 4.0.0', broken('openapi-4.yaml'), /MOCKDECK_ERR_SPEC_VERSION: .*openapi-4\.yaml: openapi: "4\.0\.0" is not supported\. Expected `openapi: 3\.0\.x`, `openapi: 3\.1\.x` or `swagger: "2\.0"`/],
  ['swagger: 1.2', broken('swagger-1.2.json'), /MOCKDECK_ERR_SPEC_VERSION: .*swagger-1\.2\.json: swagger: "1\.2" is not supported\. Expected/],
  ['neither openapi nor swagger', broken('no-version.yaml'), /MOCKDECK_ERR_SPEC_VERSION: .*no-version\.yaml: neither an `openapi` nor a `swagger` field was found\. Expected/],
  ['missing spec file', fromRoot('test/fixtures/specs/nope.yaml'), /MOCKDECK_ERR_SPEC_NOT_FOUND: .*nope\.yaml: no such file\. Pass --spec/],
];

t.test('bad specs: exit 2, file + position + expectation, no stack trace', async (t) => {
  // A few at a time: each is a whole node start, and CI machines are small.
  const results: CliResult[] = [];
  for (let i = 0; i < SPEC_CASES.length; i += 3) {
    results.push(...(await Promise.all(SPEC_CASES.slice(i, i + 3).map(([, file]) => runCli(['replay', '--spec', file, '--port', '0'])))));
  }
  SPEC_CASES.forEach(([what, , expected], i) => {
    const r = results[i]!;
    t.equal(r.code, 2, `${what}: exit 2`);
    t.match(r.stderr, expected, `${what}: message`);
    t.notMatch(r.stderr, STACK, `${what}: no stack trace`);
    t.notMatch(r.stdout, /url:/, `${what}: never started listening`);
  });
});

t.test('MOCKDECK_LOG_LEVEL=debug adds the stack trace of the cause', async (t) => {
  const r = await runCli(['replay', '--spec', broken('split', 'main.yaml'), '--port', '0'], { env: { MOCKDECK_LOG_LEVEL: 'debug' } });
  t.equal(r.code, 2);
  t.match(r.stderr, /MOCKDECK_ERR_SPEC_REF/);
  t.match(r.stderr, STACK, 'stack trace in debug');
});

t.test('usage errors: --cassettes given but missing, unknown flag', async (t) => {
  const missing = fromRoot('test/fixtures/specs/no-such-cassettes-dir');
  const [cassettes, unknownFlag, badChoice] = await Promise.all([
    runCli(['replay', '--spec', fromRoot('specs/petstore.yaml'), '--cassettes', missing, '--port', '0']),
    runCli(['replay', '--spec', fromRoot('specs/petstore.yaml'), '--port', '0', '--bogus-flag']),
    runCli(['replay', '--port', '0', '--on-miss', 'maybe']),
  ]);
  t.equal(cassettes.code, 2, '--cassettes missing: exit 2');
  t.match(cassettes.stderr, /MOCKDECK_ERR_CASSETTE_NOT_FOUND: .*no-such-cassettes-dir: no such cassette folder\. Create it, or point --cassettes/, 'names the folder and the fix');
  t.notMatch(cassettes.stderr, STACK);

  t.equal(unknownFlag.code, 2, 'unknown flag: exit 2');
  t.match(unknownFlag.stderr, /Unknown arguments?: bogus-flag/, 'names the flag');
  t.match(unknownFlag.stderr, /mockdeck --help/, 'points at --help');
  t.notMatch(unknownFlag.stderr, STACK);

  t.equal(badChoice.code, 2, 'bad --on-miss value: exit 2');
  t.match(badChoice.stderr, /on-miss.*maybe|maybe.*on-miss/s, 'names the flag and value');
});

t.test('no command at all is bad usage', async (t) => {
  const r = await runCli([]);
  t.equal(r.code, 2);
  t.match(r.stderr, /Name a command/);
});

import t from 'tap';
import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { loadConfigFile } from '../../src/config-file/index.js';
import { isMockdeckError, type ErrorCode } from '../../src/errors.js';
import { writeDeckFixtures } from '../serve/fixtures.js';

const one = (extra = ''): string => `mocks:\n  - name: a\n    spec: specs/pets.yaml\n${extra}`;
const second = (extra = ''): string => `  - name: b\n    spec: specs/pets.yaml\n${extra}`;

/** [what, config text, code, message with {file} and {dir} placeholders] */
const CASES: Array<[string, string, ErrorCode, string]> = [
  // YAML
  ['bad indentation', 'mocks:\n  - name: a\n   spec: x\n', 'MOCKDECK_ERR_CONFIG_PARSE', '{file}:3:1: Sequence item without - indicator'],
  ['duplicate key', 'mocks:\n  - name: a\n    name: b\n    spec: specs/pets.yaml\n', 'MOCKDECK_ERR_CONFIG_PARSE', '{file}:3:5: Map keys must be unique'],
  ['tab indentation', 'mocks:\n\t- name: a\n', 'MOCKDECK_ERR_CONFIG_PARSE', '{file}:2:1: Tabs are not allowed as indentation'],
  // schema
  ['empty file', '', 'MOCKDECK_ERR_CONFIG_INVALID', '{file}: (top level): must be a mapping with a mocks: list; got nothing (null)'],
  ['a list at the top', '- a\n', 'MOCKDECK_ERR_CONFIG_INVALID', '{file}: (top level): must be a mapping with a mocks: list; got a list (line 1)'],
  ['unknown top-level key', 'mock:\n  - name: a\n', 'MOCKDECK_ERR_CONFIG_INVALID', '{file}: (top level): unknown key "mock"; did you mean "mocks"? (line 1)'],
  ['unknown mock key, close to a known one', one('    prot: 4011\n'), 'MOCKDECK_ERR_CONFIG_INVALID', '{file}: mocks[0]: unknown key "prot"; did you mean "port"? (line 4)'],
  ['unknown mock key', one('    colour: red\n'), 'MOCKDECK_ERR_CONFIG_INVALID', '{file}: mocks[0]: unknown key "colour"; allowed keys: name, spec, cassettes, port, basePath, onMiss, target, insecure, access, latency, validateRequests, match (line 4)'],
  ['unknown access key', one('    access:\n      apiKeys: [k]\n      header: x-key\n'), 'MOCKDECK_ERR_CONFIG_INVALID', '{file}: mocks[0].access: unknown key "header"; allowed keys: apiKeys, in, name (line 6)'],
  ['no mocks', 'mocks: []\n', 'MOCKDECK_ERR_CONFIG_INVALID', '{file}: mocks: must be a non-empty list of mocks; got an empty list (line 1)'],
  ['missing spec', 'mocks:\n  - name: a\n', 'MOCKDECK_ERR_CONFIG_INVALID', '{file}: mocks[0]: missing required key "spec"; expected a mapping describing one mock (name, spec, ...) (line 2)'],
  ['bad name', 'mocks:\n  - name: Checkout\n    spec: specs/pets.yaml\n', 'MOCKDECK_ERR_CONFIG_INVALID', '{file}: mocks[0].name: must be lowercase letters, digits and single dashes, e.g. checkout-happy-path; got "Checkout" (line 2)'],
  ['port as a string', one('    port: "4011"\n'), 'MOCKDECK_ERR_CONFIG_INVALID', '{file}: mocks[0].port: must be a TCP port from 0 to 65535 (0 picks a free one); got "4011" (line 4)'],
  ['port out of range', one('    port: 70000\n'), 'MOCKDECK_ERR_CONFIG_INVALID', '{file}: mocks[0].port: must be a TCP port from 0 to 65535 (0 picks a free one); got 70000 (line 4)'],
  ['unknown onMiss', one('    onMiss: proxi\n'), 'MOCKDECK_ERR_CONFIG_INVALID', '{file}: mocks[0].onMiss: must be one of spec, 404, proxy; got "proxi" (line 4)'],
  ['insecure not a boolean', one('    target: https://x.example\n    insecure: "yes"\n'), 'MOCKDECK_ERR_CONFIG_INVALID', '{file}: mocks[0].insecure: must be true or false; got "yes" (line 5)'],
  ['bad latency', one('    latency: slow\n'), 'MOCKDECK_ERR_CONFIG_INVALID', '{file}: mocks[0].latency: must be none, recorded, or a whole number of milliseconds; got "slow" (line 4)'],
  ['base path without /', one('    basePath: checkout\n'), 'MOCKDECK_ERR_CONFIG_INVALID', '{file}: mocks[0].basePath: must be a path prefix such as /checkout (starts with /, no trailing /); got "checkout" (line 4)'],
  ['a cassette listed twice', one('    cassettes: [pets, pets]\n'), 'MOCKDECK_ERR_CONFIG_INVALID', '{file}: mocks[0].cassettes: lists "pets" twice; list each name once (line 4)'],
  ['access without keys', one('    access:\n      in: header\n'), 'MOCKDECK_ERR_CONFIG_INVALID', '{file}: mocks[0].access: missing required key "apiKeys"; expected a mapping with apiKeys (leave access out for a public mock) (line 5)'],
  ['unknown key location', one('    access:\n      apiKeys: [k]\n      in: cookie\n'), 'MOCKDECK_ERR_CONFIG_INVALID', '{file}: mocks[0].access.in: must be one of header, query, bearer; got "cookie" (line 6)'],
  ['a key YAML reads as a number is not echoed', one('    access:\n      apiKeys: [12345]\n'), 'MOCKDECK_ERR_CONFIG_INVALID', '{file}: mocks[0].access.apiKeys[0]: must be a key written as a literal, env:NAME or sha256:<64 hex digits>; got a number, not shown as it is a key; quote it in YAML (line 5)'],
  ['unknown log level', 'logLevel: loud\n' + one(), 'MOCKDECK_ERR_CONFIG_INVALID', '{file}: logLevel: must be one of fatal, error, warn, info, debug, trace, silent; got "loud" (line 1)'],
  // rules beyond the schema
  ['duplicate names', one() + '  - name: a\n    spec: specs/pets.yaml\n    port: 4999\n', 'MOCKDECK_ERR_CONFIG_INVALID', '{file}: mocks[1].name: "a" is already the name of mocks[0]; give each mock a unique name (line 4)'],
  ['port and basePath', one('    port: 4011\n    basePath: /a\n'), 'MOCKDECK_ERR_CONFIG_INVALID', '{file}: mocks[0]: has both port and basePath; use port for a port of its own, or basePath to share the top-level port (line 5)'],
  ['reserved base path', one('    basePath: /__mockdeck\n'), 'MOCKDECK_ERR_CONFIG_INVALID', '{file}: mocks[0].basePath: /__mockdeck is reserved for the admin API; pick another base path (line 4)'],
  ['proxy without target', one('    onMiss: proxy\n'), 'MOCKDECK_ERR_CONFIG_INVALID', '{file}: mocks[0].onMiss: proxy needs a target; add target: https://… to this mock, or use onMiss: spec (line 4)'],
  ['target not http', one('    target: ftp://x\n'), 'MOCKDECK_ERR_CONFIG_INVALID', '{file}: mocks[0].target: must be an absolute http(s) URL such as https://staging.example.com; got "ftp://x" (line 4)'],
  ['insecure without a target', one('    insecure: true\n'), 'MOCKDECK_ERR_CONFIG_INVALID', '{file}: mocks[0].insecure: only applies to an https target; add target: https://… to this mock, or remove insecure (line 4)'],
  ['insecure with an http target', one('    target: http://x.example\n    insecure: true\n'), 'MOCKDECK_ERR_CONFIG_INVALID', '{file}: mocks[0].insecure: only applies to an https target; add target: https://… to this mock, or remove insecure (line 5)'],
  ['name with bearer', one('    access:\n      apiKeys: [k]\n      in: bearer\n      name: x-key\n'), 'MOCKDECK_ERR_CONFIG_INVALID', '{file}: mocks[0].access.name: is not used with in: bearer (the key goes in Authorization: Bearer <key>); remove it (line 7)'],
  ['duplicate ports', one('    port: 4011\n') + second('    port: 4011\n'), 'MOCKDECK_ERR_CONFIG_INVALID', '{file}: mocks[1].port: 4011 is already the port of mocks[0]; give each mock its own port, or a basePath on the shared port 4010 (line 7)'],
  ['own port equal to the shared port', 'port: 4010\n' + one('    port: 4010\n'), 'MOCKDECK_ERR_CONFIG_INVALID', '{file}: mocks[0].port: 4010 is the shared port (top-level port or --port); leave port out and give this mock a basePath to share it, or pick another port (line 5)'],
  ['a base path shared by two mocks', one('    basePath: /x\n') + second('    basePath: /x\n'), 'MOCKDECK_ERR_CONFIG_INVALID', '{file}: mocks[1].basePath: /x is already the base path of mocks[0] on the shared port 4010; pick another base path or a port of its own (line 7)'],
  ['two mocks at the root of the shared port', one() + second(), 'MOCKDECK_ERR_CONFIG_INVALID', '{file}: mocks[1]: mocks[0] already sits at the root of the shared port 4010; give this mock a basePath (e.g. /b) or a port of its own (line 4)'],
  // files
  ['missing spec file', 'mocks:\n  - name: a\n    spec: specs/nope.yaml\n', 'MOCKDECK_ERR_CONFIG_INVALID', "{file}: mocks[0].spec: no such file {dir}/specs/nope.yaml; paths are relative to the config file's folder (line 3)"],
  ['missing cassette', one('    cassettes: [pets, checkout]\n'), 'MOCKDECK_ERR_CONFIG_INVALID', '{file}: mocks[0].cassettes[1]: no cassette folder "checkout" in {dir}/cassettes; record it with `mockdeck record --cassette checkout`, or fix the name (line 4)'],
  ['missing cassettesDir', 'cassettesDir: nowhere\n' + one(), 'MOCKDECK_ERR_CONFIG_INVALID', '{file}: cassettesDir: no such folder {dir}/nowhere; create it, or fix the path (relative to the config file) (line 1)'],
  // keys
  ['unset env var', one() + second('    basePath: /b\n') + '  - name: c\n    spec: specs/pets.yaml\n    basePath: /c\n    access:\n      apiKeys: [env:CHECKOUT_KEYS]\n', 'MOCKDECK_ERR_CONFIG_ENV_UNSET', 'mocks[2].access.apiKeys[0]: env var CHECKOUT_KEYS is not set. Export it or put the value in the file.'],
  ['env var with no key in it', one('    access:\n      apiKeys: [env:COMMAS]\n'), 'MOCKDECK_ERR_CONFIG_INVALID', '{file}: mocks[0].access.apiKeys[0]: env var COMMAS holds no key (only commas and spaces); put one or more comma-separated keys in it (line 5)'],
  ['short sha256', one('    access:\n      apiKeys: ["sha256:abc"]\n'), 'MOCKDECK_ERR_CONFIG_INVALID', '{file}: mocks[0].access.apiKeys[0]: sha256: must be followed by 64 hex digits (the sha256 of the key, e.g. from `printf %s KEY | sha256sum`) (line 5)'],
  ['unset admin key env var', 'admin: { key: env:MOCKDECK_ADMIN_KEY }\n' + one(), 'MOCKDECK_ERR_CONFIG_ENV_UNSET', 'admin.key: env var MOCKDECK_ADMIN_KEY is not set. Export it or put the value in the file.'],
];

t.test('config errors: exit-2 material, each naming the key path and what to do', async (t) => {
  const dir = t.testdir({});
  await writeDeckFixtures(dir);
  const file = join(dir, 'mockdeck.config.yaml');
  for (const [what, text, code, message] of CASES) {
    await writeFile(file, text);
    const err = await loadConfigFile(file, { env: { COMMAS: ' , ,' } }).then(() => null, (e: unknown) => e);
    t.ok(isMockdeckError(err, code), `${what}: ${code}`);
    t.equal((err as Error | null)?.message, message.replaceAll('{file}', file).replaceAll('{dir}', dir), what);
  }
});

t.test('usage errors: no file, bad log level from env or flag', async (t) => {
  const dir = t.testdir({});
  await writeDeckFixtures(dir);
  const file = join(dir, 'mockdeck.config.yaml');
  const missing = await loadConfigFile(join(dir, 'none.yaml')).then(() => null, (e: unknown) => e);
  t.ok(isMockdeckError(missing, 'MOCKDECK_ERR_CLI_USAGE'));
  t.equal((missing as Error).message, `${join(dir, 'none.yaml')}: no such config file. Pass --config with the path of a mockdeck.config.yaml (see README "Many mocks and access").`);
  await writeFile(file, one());
  const env = await loadConfigFile(file, { env: { MOCKDECK_LOG_LEVEL: 'verbose' } }).then(() => null, (e: unknown) => e);
  t.equal((env as Error).message, 'MOCKDECK_LOG_LEVEL: "verbose" is not a log level; use one of fatal, error, warn, info, debug, trace, silent');
  const flag = await loadConfigFile(file, { env: {}, flags: { logLevel: 'loud' } }).then(() => null, (e: unknown) => e);
  t.equal((flag as Error).message, '--log-level: "loud" is not a log level; use one of fatal, error, warn, info, debug, trace, silent');
});

t.test('errors never echo a key', async (t) => {
  const dir = t.testdir({});
  await writeDeckFixtures(dir);
  const file = join(dir, 'mockdeck.config.yaml');
  for (const text of [
    one('    access:\n      apiKeys: [true]\n'),
    one('    access:\n      apiKeys: ["sha256:SECRET-not-hex"]\n'),
    one('    access:\n      apiKeys: [SECRET-literal]\n    colour: red\n'),
    one('    access:\n      apiKeys: [SECRET-literal]]\n'),
    'admin: { key: [SECRET-in-a-list] }\n' + one(),
  ]) {
    await writeFile(file, text);
    const err = await loadConfigFile(file, { env: {} }).then(() => null, (e: unknown) => e);
    t.ok(isMockdeckError(err), 'fails');
    t.notMatch((err as Error).message, /SECRET/, (err as Error).message);
  }
});

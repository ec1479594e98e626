import t from 'tap';
import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { applyPrecedence, didYouMean, keyPath, loadConfigFile, type ConfigFile } from '../../src/config-file/index.js';
import { digestKey, resolveMockConfig } from '../../src/config.js';
import { writeDeckFixtures, sha256Hex } from '../serve/fixtures.js';

const FILE: ConfigFile = { mocks: [{ name: 'a', spec: 's.yaml' }], host: '0.0.0.0', port: 5000, admin: { key: 'env:FILE_ADMIN' }, logLevel: 'warn' };

t.test('precedence: flags > env > file > defaults', async (t) => {
  const cases: Array<[string, Parameters<typeof applyPrecedence>[1], NodeJS.ProcessEnv, Partial<ReturnType<typeof applyPrecedence>>]> = [
    ['file only', {}, {}, { host: '0.0.0.0', port: 5000, logLevel: { value: 'warn', from: 'logLevel' }, apiKeys: null, adminKey: { value: 'env:FILE_ADMIN', from: 'admin.key' } }],
    ['env over file', {}, { MOCKDECK_LOG_LEVEL: 'DEBUG', MOCKDECK_API_KEYS: 'k1, k2,', MOCKDECK_ADMIN_KEY: 'env-admin' }, { logLevel: { value: 'debug', from: 'MOCKDECK_LOG_LEVEL' }, apiKeys: { value: ['k1', 'k2'], from: 'MOCKDECK_API_KEYS' }, adminKey: { value: 'env-admin', from: 'MOCKDECK_ADMIN_KEY' } }],
    ['flags over env', { host: '127.0.0.2', port: 0, logLevel: 'error', apiKeys: ['f1'], adminKey: 'flag-admin' }, { MOCKDECK_LOG_LEVEL: 'debug', MOCKDECK_API_KEYS: 'k1', MOCKDECK_ADMIN_KEY: 'env-admin' }, { host: '127.0.0.2', port: 0, logLevel: { value: 'error', from: '--log-level' }, apiKeys: { value: ['f1'], from: '--api-key' }, adminKey: { value: 'flag-admin', from: '--admin-key' } }],
    ['empty env values do not count', {}, { MOCKDECK_LOG_LEVEL: '', MOCKDECK_API_KEYS: ' , ', MOCKDECK_ADMIN_KEY: '' }, { logLevel: { value: 'warn', from: 'logLevel' }, apiKeys: null, adminKey: { value: 'env:FILE_ADMIN', from: 'admin.key' } }],
    ['off means silent', {}, { MOCKDECK_LOG_LEVEL: 'off' }, { logLevel: { value: 'silent', from: 'MOCKDECK_LOG_LEVEL' } }],
  ];
  for (const [name, flags, env, expected] of cases) t.match(applyPrecedence(FILE, flags, env), expected, name);
  t.match(applyPrecedence({ mocks: [] }, {}, {}), { host: '127.0.0.1', port: 4010, logLevel: { value: 'info', from: 'default' }, apiKeys: null, adminKey: null }, 'defaults');
});

async function writeConfig(dir: string, text: string): Promise<string> {
  const file = join(dir, 'conf', 'mockdeck.config.yaml');
  await writeFile(file, text);
  return file;
}

t.test('resolution: paths relative to the file, keys as digests, frozen', async (t) => {
  const dir = t.testdir({ conf: {} });
  await writeDeckFixtures(join(dir, 'conf'));
  const file = await writeConfig(dir, `
port: 0
admin: { key: env:ADMIN }
mocks:
  - { name: pets, spec: specs/pets.yaml, cassettes: [pets], onMiss: 404, latency: 25, validateRequests: true }
  - { name: billing, spec: specs/billing.yaml, basePath: /billing, access: { apiKeys: [literal-key, env:KEYS, "sha256:${sha256Hex('hashed')}"], in: query } }
  - { name: inventory, spec: specs/inventory.yaml, port: 0, match: { headers: [X-Tenant] } }
`);
  const plan = await loadConfigFile(file, { env: { ADMIN: 'adm', KEYS: 'e1,e2' } });
  t.ok(Object.isFrozen(plan) && Object.isFrozen(plan.mocks[0]!.input), 'frozen');
  const [pets, billing, inventory] = plan.mocks.map((m) => m.input);
  t.equal(pets!.spec, join(dir, 'conf', 'specs', 'pets.yaml'), 'spec path relative to the config file');
  t.equal(pets!.cassettesDir, join(dir, 'conf', 'cassettes'));
  t.match(pets, { onMiss: '404', latency: 25, validateRequests: true, basePath: '', port: 0, cassettes: ['pets'] }, 'an unquoted 404 is the 404 policy');
  t.same(plan.mocks.map((m) => [m.where, m.shared]), [['mocks[0]', true], ['mocks[1]', true], ['mocks[2]', false]]);
  t.same(billing!.access?.apiKeys, ['literal-key', 'e1', 'e2', 'hashed'].map((k) => `sha256:${sha256Hex(k)}`), 'every key (literal, env list, sha256) becomes a digest');
  t.equal(billing!.access?.in, 'query');
  t.same(pets!.access?.apiKeys, [], 'public');
  t.same(pets!.adminKey, [`sha256:${sha256Hex('adm')}`], 'the admin key reaches every mock as a digest');
  t.same(inventory!.match, { headers: ['X-Tenant'] });
  const config = resolveMockConfig(billing!);
  t.same(config.access.kind === 'apiKey' && config.access.digests, ['literal-key', 'e1', 'e2', 'hashed'].map(digestKey), 'resolveMockConfig takes the digests as sha256: keys');
  t.same(config.match.ignoreQuery, ['api_key'], 'a query key is never part of the match');
});

t.test('env and flag keys gate every mock and replace the file\'s keys (which are then not read)', async (t) => {
  const dir = t.testdir({ conf: {} });
  await writeDeckFixtures(join(dir, 'conf'));
  const file = await writeConfig(dir, `
mocks:
  - { name: pets, spec: specs/pets.yaml, basePath: /pets }
  - { name: billing, spec: specs/billing.yaml, basePath: /billing, access: { apiKeys: [env:UNSET_IN_THIS_TEST], in: bearer } }
`);
  const fromEnv = await loadConfigFile(file, { env: { MOCKDECK_API_KEYS: 'a,b' } });
  t.equal(fromEnv.apiKeysFrom, 'MOCKDECK_API_KEYS');
  for (const m of fromEnv.mocks) t.same(m.input.access?.apiKeys, ['a', 'b'].map((k) => `sha256:${sha256Hex(k)}`), `${m.input.name} gated by MOCKDECK_API_KEYS`);
  t.equal(fromEnv.mocks[1]!.input.access?.in, 'bearer', 'where the key goes still comes from the file');
  const fromFlags = await loadConfigFile(file, { env: { MOCKDECK_API_KEYS: 'a' }, flags: { apiKeys: ['f'], port: 6001 } });
  t.same(fromFlags.mocks[0]!.input.access?.apiKeys, [`sha256:${sha256Hex('f')}`], '--api-key wins over MOCKDECK_API_KEYS');
  t.equal(fromFlags.mocks[0]!.input.port, 6001, '--port moves the shared port');
  t.equal(fromFlags.apiKeysFrom, '--api-key');
});

t.test('keyPath and didYouMean', async (t) => {
  t.equal(keyPath([]), '(top level)');
  t.equal(keyPath(['mocks', 2, 'access', 'apiKeys', 0]), 'mocks[2].access.apiKeys[0]');
  t.equal(keyPath(['admin', 'key']), 'admin.key');
  t.equal(didYouMean('prot', ['port', 'spec']), 'port');
  t.equal(didYouMean('apikeys', ['apiKeys', 'in']), 'apiKeys');
  t.equal(didYouMean('validateRequest', ['validateRequests']), 'validateRequests');
  t.equal(didYouMean('colour', ['port', 'spec', 'name']), undefined);
});

t.test('insecure only with an https target, in the library and CLI as in the config file', async (t) => {
  const spec = 'specs/petstore.yaml';
  for (const [what, input] of [
    ['no target', { spec, insecure: true }],
    ['an http target', { spec, insecure: true, target: 'http://127.0.0.1:9', onMiss: 'proxy' as const }],
  ] as const) {
    const err = (() => {
      try {
        resolveMockConfig(input);
      } catch (e) {
        return e as { code?: string; message: string };
      }
      return undefined;
    })();
    t.equal(err?.code, 'MOCKDECK_ERR_CONFIG_INVALID', `${what}: refused`);
    t.match(err?.message, /insecure: only applies to an https target/, `${what}: names the option and the fix`);
  }
  t.equal(resolveMockConfig({ spec, insecure: true, target: 'https://staging.example.com', onMiss: 'proxy' }).insecure, true);
});

/**
 * `mockdeck replay` through bin/, gated by MOCKDECK_API_KEYS and --api-key:
 * flags win over the environment, and no key ever reaches stdout or stderr.
 */
import t, { type Test } from 'tap';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { call } from '../helpers/http.js';
import { fromRoot, ROOT } from '../helpers/paths.js';
import { BIN, cleanEnv, exited } from '../cli/run-cli.js';

// Distinct enough that finding one in the output cannot be a coincidence.
const KEY_A = 'key-a-Vq7Lm2Xp';
const KEY_B = 'key-b-Rt9Hw4Zc';
const KEY_C = 'key-c-Jn3Ks8Fd';

interface Running {
  url: string;
  stop: () => Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/** Spawns `replay` with MOCKDECK_API_KEYS set (cleanEnv strips it, so it is added after) and info logs on. */
function startReplay(t: Test, args: string[]): Promise<Running> {
  const env = { ...cleanEnv({ MOCKDECK_LOG_LEVEL: 'info' }), MOCKDECK_API_KEYS: `${KEY_A},${KEY_B}` };
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [BIN, 'replay', '--port', '0', '--spec', fromRoot('specs/petstore.yaml'), '--cassettes', fromRoot('cassettes'), ...args], { cwd: ROOT, env });
  t.teardown(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const stop = async () => {
    child.kill('SIGTERM');
    const end = await exited(child);
    return { code: end.code, stdout, stderr };
  };
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      stdout += d;
      const m = /^\s*url:\s+(\S+)/m.exec(stdout);
      if (m) resolve({ url: m[1] as string, stop });
    });
    child.once('exit', (code) => reject(new Error(`replay exited with ${code} before listening\n${stdout}\n${stderr}`)));
  });
}

const status = async (url: string, key?: string): Promise<number> => (await call(`${url}/pets/1`, { headers: key ? { 'x-api-key': key } : {} })).status;

function assertNoKeys(t: Test, out: { stdout: string; stderr: string }): void {
  for (const key of [KEY_A, KEY_B, KEY_C]) {
    t.notOk(out.stdout.includes(key), `stdout does not contain ${key.slice(0, 5)}…`);
    t.notOk(out.stderr.includes(key), `stderr does not contain ${key.slice(0, 5)}…`);
  }
}

t.test('MOCKDECK_API_KEYS gates replay: 401 without a key, 200 with the second key', async (t) => {
  const mock = await startReplay(t, []);
  t.equal(await status(mock.url), 401, 'no key → 401');
  t.equal(await status(mock.url, KEY_B), 200, 'second key of the env list → 200');
  t.equal(await status(mock.url, KEY_C), 403, 'a key not in the env list → 403');
  const out = await mock.stop();
  t.equal(out.code, 0, 'exit 0 on SIGTERM');
  t.match(out.stdout, /access:\s+API key required/, 'the banner says the mock is gated');
  t.match(out.stdout, /"status":401/, 'request lines were logged (so the no-key check below means something)');
  assertNoKeys(t, out);
});

t.test('--api-key wins over MOCKDECK_API_KEYS (flags > env)', async (t) => {
  const mock = await startReplay(t, ['--api-key', KEY_C]);
  t.equal(await status(mock.url, KEY_C), 200, 'the flag key → 200');
  t.equal(await status(mock.url, KEY_A), 403, 'an env key is refused once a flag is given → 403');
  t.equal(await status(mock.url), 401, 'no key → 401');
  const out = await mock.stop();
  t.equal(out.code, 0);
  assertNoKeys(t, out);
});

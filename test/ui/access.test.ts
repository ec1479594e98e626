import t from 'tap';
import { createMock, type Mock } from '../../src/index.js';
import { call } from '../helpers/http.js';
import { fromRoot } from '../helpers/paths.js';
import { launchBrowser, openDashboard, type Browser } from './browser.js';

const spec = fromRoot('specs/petstore.yaml');
const cassettesDir = fromRoot('cassettes');
const API_KEY = 'shop-api-key-1';
const ADMIN_KEY = 'shop-admin-key-1';

let browser: Browser;
t.before(async () => {
  browser = await launchBrowser();
});
t.teardown(() => browser?.close());

async function start(t: { teardown: (fn: () => unknown) => void }, input: Partial<Parameters<typeof createMock>[0]>): Promise<Mock> {
  const mock = await createMock({ spec, cassettesDir, port: 0, ...input });
  await mock.listen();
  t.teardown(() => mock.close());
  return mock;
}

/** Words that would tell a caller without a key what the mock serves. */
const LEAKS = ['secret-shop', 'Petstore', 'getPetById', 'petstore', 'x-api-key', API_KEY];

t.test('a keyed mock refuses its dashboard without a key: 401, a key form, no data', async (t) => {
  const mock = await start(t, { name: 'secret-shop', access: { apiKeys: [API_KEY] } });
  const page = await browser.newPage();
  const res = await page.goto(`${mock.url}/__mockdeck/ui`);
  t.equal(res?.status(), 401);
  t.ok(await page.locator('form input[type="password"][name="key"]').isVisible(), 'a key form');
  const html = await page.content();
  for (const word of LEAKS) t.notMatch(html, word, `the refusal does not say "${word}"`);
  t.equal(await page.locator('#mocks').count(), 0, 'no dashboard');

  const raw = await call(`${mock.url}/__mockdeck/ui`);
  t.equal(raw.status, 401);
  t.match(String(raw.headers['content-type']), /^text\/html/);
  for (const path of ['/__mockdeck/mocks', '/__mockdeck/events', '/__mockdeck/cassettes/active', '/__mockdeck/requests/1', '/__mockdeck/operations/getPetById/example']) {
    t.equal((await call(`${mock.url}${path}`)).status, 401, `${path} refuses without a key`);
  }
  t.equal((await call(`${mock.url}/__mockdeck/try`, { method: 'POST', body: '{"method":"GET","path":"/pets/1"}' })).status, 401, '/try refuses without a key');

  await page.fill('input[name="key"]', 'wrong-key');
  const wrong = await Promise.all([page.waitForNavigation(), page.press('input[name="key"]', 'Enter')]);
  t.equal(wrong[0]?.status(), 403, 'a wrong key: 403 and the form again');
  t.match(await page.locator('.message').textContent(), /not accepted/);
  t.ok(await page.locator('link[rel="stylesheet"]').evaluate((l) => (l as unknown as { sheet: unknown }).sheet !== null), 'the form is styled from the login URL too');

  await page.fill('input[name="key"]', API_KEY);
  await page.press('input[name="key"]', 'Enter');
  await page.waitForSelector('body[data-ready="yes"]');
  t.equal(new URL(page.url()).pathname, '/__mockdeck/ui', 'the form lands on the dashboard');
  t.equal(await page.locator('article.mock[data-mock="secret-shop"]').count(), 1, 'the mock API key opens the dashboard of a mock without an admin key');
  await page.close();
});

t.test('?key= trades the key for an HttpOnly, SameSite=Strict session cookie and leaves the URL', async (t) => {
  const mock = await start(t, { name: 'secret-shop', access: { apiKeys: [API_KEY] } });
  const page = await browser.newPage();
  await openDashboard(page, `${mock.url}/__mockdeck/ui?key=${encodeURIComponent(API_KEY)}`);
  t.equal(page.url(), `${mock.url}/__mockdeck/ui`, 'redirected to the bare page');
  const cookies = await browser.context.cookies(`${mock.url}/__mockdeck/ui`);
  t.equal(cookies.length, 1, 'one cookie');
  const [cookie] = cookies;
  t.equal(cookie?.name, 'mockdeck_ui_secret-shop');
  t.equal(cookie?.path, '/__mockdeck', 'scoped to the admin path');
  t.equal(cookie?.httpOnly, true, 'HttpOnly');
  t.equal(cookie?.sameSite, 'Strict', 'SameSite=Strict');
  t.notMatch(cookie?.value ?? '', API_KEY, 'the cookie is not the key');
  t.ok((cookie?.value.length ?? 0) >= 40, 'a random token');
  t.notMatch(await page.content(), API_KEY, 'the page never holds the key');
  const history = await page.evaluate<number>('history.length');
  t.ok(history >= 1);

  const redirect = await call(`${mock.url}/__mockdeck/ui?key=${API_KEY}`);
  t.equal(redirect.status, 303);
  t.equal(redirect.headers['location'], '/__mockdeck/ui');
  t.equal(redirect.headers['referrer-policy'], 'no-referrer', 'the key never leaves in a Referer');
  const session = String(redirect.headers['set-cookie']).split(';')[0]!;
  t.equal((await call(`${mock.url}/__mockdeck/mocks`, { headers: { cookie: session } })).status, 200, 'the session opens the admin API');
  t.equal((await call(`${mock.url}/__mockdeck/mocks`, { headers: { cookie: session, 'sec-fetch-site': 'same-origin' } })).status, 200, 'from the page itself');
  t.equal((await call(`${mock.url}/__mockdeck/mocks`, { headers: { cookie: session, 'sec-fetch-site': 'same-site' } })).status, 401, 'but not from another port of the same host (CSRF)');
  t.equal((await call(`${mock.url}/pets/1`, { headers: { cookie: session } })).status, 401, 'and never the mocked API itself');
  t.equal((await call(`${mock.url}/__mockdeck/mocks`, { headers: { cookie: 'mockdeck_ui_secret-shop=forged' } })).status, 401, 'a forged token opens nothing');

  const out = await call(`${mock.url}/__mockdeck/ui/logout`, { method: 'POST', headers: { cookie: session } });
  t.equal(out.status, 303);
  t.match(String(out.headers['set-cookie']), /Max-Age=0/);
  t.equal((await call(`${mock.url}/__mockdeck/mocks`, { headers: { cookie: session } })).status, 401, 'logging out ends the session');
  await page.close();
});

t.test('with an admin key, the mock API key does not open the dashboard, and sessions do not cross keys', async (t) => {
  const mock = await start(t, { name: 'guarded', access: { apiKeys: [API_KEY] }, adminKey: ADMIN_KEY });
  const other = await start(t, { name: 'other', access: { apiKeys: ['other-key'] } });
  t.equal((await call(`${mock.url}/__mockdeck/ui?key=${API_KEY}`)).status, 403, 'API key refused where an admin key is set');
  const ok = await call(`${mock.url}/__mockdeck/ui?key=${ADMIN_KEY}`);
  t.equal(ok.status, 303);
  const session = String(ok.headers['set-cookie']).split(';')[0]!;
  t.equal((await call(`${mock.url}/__mockdeck/ui`, { headers: { cookie: session } })).status, 200);
  t.equal((await call(`${other.url}/__mockdeck/mocks`, { headers: { cookie: session } })).status, 401, 'a session opens only the mocks its key opens');
  t.equal((await call(`${mock.url}/__mockdeck/mocks`, { headers: { 'x-mockdeck-admin-key': ADMIN_KEY } })).status, 200, 'the header still works for scripts');
});

t.test('an open mock (no key anywhere) just serves the page', async (t) => {
  const mock = await start(t, { name: 'open' });
  const page = await browser.newPage();
  const res = await page.goto(`${mock.url}/__mockdeck/ui`);
  t.equal(res?.status(), 200);
  await page.waitForSelector('body[data-ready="yes"]');
  t.equal(await page.locator('article.mock[data-mock="open"]').count(), 1);
  t.equal(await page.locator('#logout').isHidden(), true, 'no "Log out" without a session');
  t.equal((await call(`${mock.url}/__mockdeck/ui?key=anything`)).headers['location'], '/__mockdeck/ui', 'a key in the URL is dropped anyway');
  await page.close();
});

t.test('the page is served with a strict content security policy', async (t) => {
  const mock = await start(t, { name: 'open' });
  const res = await call(`${mock.url}/__mockdeck/ui`);
  const csp = String(res.headers['content-security-policy']);
  t.match(csp, /default-src 'none'/);
  t.match(csp, /script-src 'self'/);
  t.notMatch(csp, /unsafe-inline|unsafe-eval/);
  t.equal(res.headers['x-frame-options'], 'DENY');
  t.notMatch(res.text, /<script>|<style>| style="/, 'no inline script or style');
  t.equal((await call(`${mock.url}/__mockdeck/ui/assets/index.html`)).status, 404, 'templates are not assets');
  t.equal((await call(`${mock.url}/__mockdeck/ui/assets/..%2Fpackage.json`)).status, 404, 'no path traversal');
});

t.test('a mock under a base path serves its dashboard there', async (t) => {
  const mock = await start(t, { name: 'based', basePath: '/shop', access: { apiKeys: [API_KEY] } });
  const page = await browser.newPage();
  await openDashboard(page, `${mock.url}/__mockdeck/ui?key=${API_KEY}`);
  t.equal(new URL(page.url()).pathname, '/shop/__mockdeck/ui');
  t.equal((await browser.context.cookies(`${mock.url}/__mockdeck/ui`)).find((c) => c.name === 'mockdeck_ui_based')?.path, '/shop/__mockdeck');
  t.equal(await page.locator('article.mock[data-mock="based"]').count(), 1);
  const login = await call(`${mock.url}/__mockdeck/ui`);
  t.match(login.text, /action="\/shop\/__mockdeck\/ui\/login"/, 'the key form posts under the base path');
  await page.close();
});

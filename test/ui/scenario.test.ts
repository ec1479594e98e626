import t from 'tap';
import type { Page } from 'playwright-core';
import { createMock, type Mock } from '../../src/index.js';
import { interaction, writeCassette } from '../helpers/cassettes.js';
import { call } from '../helpers/http.js';
import { fromRoot } from '../helpers/paths.js';
import { launchBrowser, openDashboard, waitForText, type Browser } from './browser.js';

let browser: Browser;

t.before(async () => {
  browser = await launchBrowser();
});
t.teardown(() => browser?.close());

/** A happy-path layer and an outage layer that recorded the same request differently. */
async function scenarioMock(dir: string, access?: { apiKeys: string[] }): Promise<Mock> {
  await writeCassette(dir, 'base', [interaction({ path: '/pets/1', body: { id: 1, name: 'Rex' } })]);
  await writeCassette(dir, 'outage', [interaction({ path: '/pets/1', status: 503, body: { title: 'upstream down' } })]);
  const mock = await createMock({ spec: fromRoot('specs/petstore.yaml'), cassettesDir: dir, cassettes: ['base', 'outage'], port: 0, ...(access ? { access } : {}) });
  await mock.listen();
  return mock;
}

async function apply(page: Page, layers: Record<string, boolean>): Promise<string> {
  for (const [name, on] of Object.entries(layers)) await page.setChecked(`fieldset.scenario input[value="${name}"]`, on);
  const status = 'fieldset.scenario [role="status"]';
  const before = await page.locator(status).textContent();
  await page.click('fieldset.scenario button.primary');
  return waitForText(page, status, (text) => text !== before);
}

t.test('the scenario switch changes what the next request returns', async (t) => {
  const mock = await scenarioMock(t.testdir({}));
  t.teardown(() => mock.close());
  const page = await browser.newPage();
  await openDashboard(page, `${mock.url}/__mockdeck/ui`);
  const first = await call(`${mock.url}/pets/1`);
  t.equal(first.status, 503, 'with every layer, the later (outage) wins');

  t.match(await apply(page, { base: true, outage: false }), /base\./);
  const happy = await call(`${mock.url}/pets/1`);
  t.equal(happy.status, 200, 'happy path after switching the outage layer off');
  t.equal(happy.headers['x-mockdeck-cassette'], 'base');
  t.same(happy.json(), { id: 1, name: 'Rex' });

  t.match(await apply(page, { base: false, outage: true }), /outage\./);
  const down = await call(`${mock.url}/pets/1`);
  t.equal(down.status, 503, 'outage after switching to it, without a restart');
  t.equal(down.headers['x-mockdeck-cassette'], 'outage');

  t.match(await apply(page, { base: false, outage: false }), /miss policy/);
  t.equal((await call(`${mock.url}/pets/1`)).headers['x-mockdeck-source'], 'spec', 'no layer: the miss policy answers');

  await page.click('fieldset.scenario button:not(.primary)');
  await waitForText(page, 'fieldset.scenario [role="status"]', (text) => /start state/.test(text));
  t.equal((await call(`${mock.url}/pets/1`)).status, 503, '"All layers" restores the start state');
  t.same(await page.locator('fieldset.scenario input:checked').evaluateAll((els) => els.map((e) => (e as unknown as { value: string }).value)), ['base', 'outage']);

  const override = await call(`${mock.url}/pets/1`, { headers: { 'x-mockdeck-cassette': 'base' } });
  t.equal(override.status, 200, 'the per-request header still picks one cassette');
  await page.close();
});

t.test('keyboard only: tabs, scenario, Try it with a key typed in, journal row', async (t) => {
  const key = 'kb-test-key';
  const mock = await scenarioMock(t.testdir({}), { apiKeys: [key] });
  t.teardown(() => mock.close());
  const page = await browser.newPage();
  await openDashboard(page, `${mock.url}/__mockdeck/ui?key=${key}`);
  const reached = new Set<string>();
  for (let i = 0; i < 40 && !reached.has('Try getPetById'); i++) {
    await page.keyboard.press('Tab');
    const label = await page.evaluate<string>("document.activeElement?.getAttribute('aria-label') || document.activeElement?.textContent?.trim() || ''");
    reached.add(label);
  }
  for (const want of ['Overview', 'Apply', 'All layers', 'Try getPetById']) t.ok([...reached].some((r) => r.startsWith(want)), `Tab reaches ${want}`);
  await page.keyboard.press('Enter');
  const panel = page.locator('li.op[data-operation="getPetById"] .try');
  await panel.locator('form').waitFor();
  const curl = (await panel.locator('.curl-line').textContent()) ?? '';
  t.match(curl, /-H "x-api-key: \$MOCKDECK_API_KEY"/, 'curl carries a key placeholder');
  t.notMatch(curl, key, 'never the key');
  t.match(curl, new RegExp(`^curl -i -X GET '${mock.url}/pets/1'`), 'a ready line for the recorded request');
  await panel.locator('input[type="password"]').focus();
  await page.keyboard.type(key);
  await page.keyboard.press('Enter');
  const answer = panel.locator('.answer');
  await answer.waitFor();
  t.match((await answer.locator('h4').textContent()) ?? '', /^503/, 'Send shows the answer (the outage layer wins)');
  t.equal(await answer.locator('.badge').textContent(), 'cassette');
  t.notMatch((await page.content()), key, 'the typed key is not written into the page');

  await page.keyboard.press('Shift+Tab'); // leave the form, then go to the journal with the keyboard
  await page.focus('#tab-journal');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#view-journal:not([hidden])');
  const row = page.locator('#journal-rows tr[data-path="/pets/1"]').first();
  await row.waitFor();
  await row.focus();
  await page.keyboard.press(' ');
  await page.locator('#detail .exchange').waitFor();
  t.match((await page.locator('#detail').textContent()) ?? '', /\[REDACTED\]/, 'the key sent by Try it shows redacted in the journal');
  t.notMatch((await page.locator('#detail').textContent()) ?? '', key);
  await page.keyboard.press('Escape');
  await page.close();
});

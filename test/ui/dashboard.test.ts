import t from 'tap';
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { fromRoot } from '../helpers/paths.js';
import { launchBrowser, openDashboard, type Browser } from './browser.js';
import { DEMO_KEY, startShippedDeck, type ShippedDeck } from './fixtures.js';

const ADMIN_KEY = 'dashboard-test-admin-key';

let browser: Browser;
let deck: ShippedDeck;
let page: Page;
let pub: string;
let keyed: string | undefined;
const pageRequests: string[] = [];

t.before(async () => {
  deck = await startShippedDeck(ADMIN_KEY);
  pub = deck.mocks[0]!.url;
  keyed = deck.mocks[1]?.url;
  browser = await launchBrowser();
  page = await browser.newPage();
  page.on('request', (r) => pageRequests.push(r.url()));
  await mkdir(fromRoot('docs'), { recursive: true });
  await openDashboard(page, `${pub}/__mockdeck/ui?key=${ADMIN_KEY}`);
});

t.teardown(async () => {
  await browser?.close();
  await deck?.close();
});

/** Just what the tests read of DOM nodes (the project compiles without the DOM lib). */
type Node = { dataset: Record<string, string | undefined>; open?: boolean; complete?: boolean; naturalWidth?: number };

/**
 * One GET with the real curl binary, as the issue's user sends it. --noproxy
 * keeps it on loopback whatever http_proxy says; the source comes back through
 * -w so the answer can be compared with the journal row.
 */
async function curl(url: string, headers: Record<string, string> = {}): Promise<{ status: number; source: string }> {
  const args = ['-s', '--noproxy', '*', '--max-time', '5', '-o', '/dev/null', '-w', '%{http_code} %header{x-mockdeck-source}'];
  for (const [name, value] of Object.entries(headers)) args.push('-H', `${name}: ${value}`);
  const { stdout } = await promisify(execFile)('curl', [...args, url]);
  const [status = '', source = ''] = stdout.split(' ');
  return { status: Number(status), source };
}

const text = async (page: Page, selector: string): Promise<string> => ((await page.locator(selector).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();

t.test('the overview shows every mock of the shipped config with the counts of its files', async (t) => {
  t.equal(new URL(page.url()).search, '', 'the key left the address bar');
  t.equal(await page.locator('article.mock').count(), deck.expected.length, 'one card per mock of the config');
  for (const mock of deck.expected) {
    const card = `article.mock[data-mock="${mock.name}"]`;
    t.equal(await text(page, `${card} .spec-title`), mock.title, `${mock.name}: spec title`);
    t.equal(await text(page, `${card} .spec-version`), mock.version, `${mock.name}: spec version`);
    t.equal(await text(page, `${card} dd.access`), mock.access, `${mock.name}: access kind, no key`);
    t.match(await text(page, `${card} dd.on-miss`), new RegExp(`^${mock.onMiss}:`), `${mock.name}: miss policy`);
    t.equal(await text(page, `${card} dd.layers`), mock.layers.map((l) => `${l.name} (${l.interactions})`).join(', '), `${mock.name}: cassette layers with their interaction counts`);
    const recorded = mock.operations.filter((o) => o.recorded > 0);
    const chips = { operations: mock.operations.length, recorded: recorded.length, 'spec-only': mock.operations.length - recorded.length, undocumented: mock.undocumented.size, interactions: mock.layers.reduce((n, l) => n + l.interactions, 0) };
    for (const [name, n] of Object.entries(chips)) t.equal(await text(page, `${card} .chips [data-count="${name}"] strong`), String(n), `${mock.name}: ${n} ${name}`);
    for (const op of mock.operations) {
      const badges = await page.locator(`${card} li.op[data-operation="${op.id}"] .badge`).allTextContents();
      t.same(badges, op.tags.map(() => (op.recorded > 0 ? `recorded (${op.recorded})` : 'spec-only')), `${mock.name}: ${op.id} is ${op.recorded > 0 ? `recorded ${op.recorded} times` : 'spec-only'} under each of its tags`);
    }
    const tags = [...new Set(mock.operations.flatMap((o) => o.tags))];
    for (const tag of tags) {
      const ops = mock.operations.filter((o) => o.tags.includes(tag));
      t.equal(await text(page, `${card} section.tag[data-tag="${tag}"] .ratio`), `${ops.filter((o) => o.recorded > 0).length} of ${ops.length} recorded`, `${mock.name}: coverage of tag ${tag}`);
      t.equal(await page.locator(`${card} section.tag[data-tag="${tag}"] .bar`).count(), 1, `${mock.name}: a coverage bar for tag ${tag}`);
    }
    for (const [endpoint, n] of mock.undocumented) t.equal(await text(page, `${card} li[data-undocumented="${endpoint}"] .badge`), `undocumented (${n})`, `${mock.name}: undocumented ${endpoint}`);
  }
  await page.screenshot({ path: fromRoot('docs/dashboard-overview.png'), fullPage: true });
});

t.test('requests appear in the live journal within a second, with the right source', async (t) => {
  await page.click('#tab-journal');
  await page.waitForSelector('#view-journal:not([hidden])');
  const sends: Array<{ url: string; path: string; mock: string; source: string; headers?: Record<string, string> }> = [
    { url: pub, path: '/pets/1', mock: 'petstore', source: 'cassette' },
    { url: pub, path: '/pets/9', mock: 'petstore', source: 'spec' },
    { url: pub, path: '/pets/1/photo', mock: 'petstore', source: 'cassette' },
    { url: pub, path: '/no/such/path', mock: 'petstore', source: 'mockdeck' },
  ];
  if (keyed) {
    sends.push({ url: keyed, path: '/pets/2', mock: 'petstore-keyed', source: 'cassette', headers: { 'x-api-key': DEMO_KEY } });
    sends.push({ url: keyed, path: '/pets/9', mock: 'petstore-keyed', source: 'mockdeck', headers: { 'x-api-key': DEMO_KEY } });
  }
  for (const s of sends) {
    const answer = await curl(`${s.url}${s.path}`, s.headers);
    t.equal(answer.source, s.source, `${s.mock} ${s.path} answered from ${s.source} (sent with curl)`);
    // From the answer, not from before curl starts: spawning curl on a busy machine is no part of the journal's delay.
    const started = performance.now();
    const row = page.locator(`#journal-rows tr[data-mock="${s.mock}"][data-path="${s.path}"]`).first();
    await row.waitFor({ timeout: 1000 });
    const ms = performance.now() - started;
    t.ok(ms < 1000, `${s.mock} ${s.path} shown after ${Math.round(ms)} ms`);
    t.equal(await row.getAttribute('data-source'), s.source, `row says source ${s.source}`);
    t.equal(await row.locator('.badge').textContent(), s.source, 'the source is written, not only coloured');
    t.equal(await row.locator('.status').textContent(), String(answer.status), 'status');
  }
  t.equal(await text(page, '#journal-count'), String(sends.length), 'the tab counts what arrived');
  await page.screenshot({ path: fromRoot('docs/dashboard-journal.png'), animations: 'disabled' });
});

t.test('the journal filters by mock, source and status', async (t) => {
  const visible = () => page.locator('#journal-rows tr').evaluateAll((rows) => (rows as unknown as Node[]).map((r) => ({ mock: r.dataset['mock'], source: r.dataset['source'], status: r.dataset['status'] })));
  await page.selectOption('#filter-source', 'spec');
  t.ok((await visible()).length > 0 && (await visible()).every((r) => r.source === 'spec'), 'source: spec only');
  await page.selectOption('#filter-source', '');
  await page.selectOption('#filter-status', '4');
  t.ok((await visible()).length > 0 && (await visible()).every((r) => r.status?.startsWith('4')), 'status: 4xx only');
  await page.selectOption('#filter-status', '');
  if (keyed) {
    await page.selectOption('#filter-mock', 'petstore-keyed');
    t.ok((await visible()).length > 0 && (await visible()).every((r) => r.mock === 'petstore-keyed'), 'mock: one mock only');
    await page.selectOption('#filter-mock', '');
  }
  await page.fill('#filter-path', 'photo');
  t.same((await visible()).length, 1, 'path contains');
  await page.fill('#filter-path', '');
});

t.test('a row opens the exchange: headers, pretty JSON, images, and near misses for spec fallbacks', async (t) => {
  const specRow = page.locator('#journal-rows tr[data-source="spec"]').first();
  await specRow.focus();
  await page.keyboard.press('Enter');
  const dialog = page.locator('#detail');
  await dialog.locator('.near li').first().waitFor();
  t.ok(await dialog.evaluate((d) => (d as unknown as Node).open), 'Enter opens the dialog');
  t.match(await text(page, '#detail-title'), /^GET \/pets\/9 → 200$/);
  t.ok((await dialog.locator('.near > ol > li').count()) > 0, 'near misses listed');
  t.match(await text(page, '#detail .near'), /expected \/pets\/\d+, got \/pets\/9/, 'each says why it missed');
  t.ok(await dialog.locator('pre.body.json .j-key').count(), 'response JSON pretty-printed');
  t.ok(await dialog.locator('table.headers th', { hasText: 'x-mockdeck-source' }).count(), 'response headers shown');
  await page.screenshot({ path: fromRoot('docs/dashboard-detail.png'), animations: 'disabled' });
  await page.keyboard.press('Escape');
  t.notOk(await dialog.evaluate((d) => (d as unknown as Node).open), 'Escape closes it');
  t.equal(await page.evaluate<string | undefined>('document.activeElement?.dataset.source'), 'spec', 'focus returns to the row');

  await page.locator('#journal-rows tr[data-path="/pets/1/photo"]').first().click();
  const img = dialog.locator('img.body-image');
  await img.waitFor();
  t.match(await img.getAttribute('src'), /^data:image\/png;base64,/, 'the PNG body is shown as an image');
  t.ok(await img.evaluate((i) => (i as unknown as Node).complete === true && ((i as unknown as Node).naturalWidth ?? 0) > 0), 'and it decodes');
  await page.click('#detail-close');
});

t.test('readable at 1280 px and at phone width: nothing scrolls sideways', async (t) => {
  for (const viewport of [{ width: 1280, height: 900 }, { width: 390, height: 844 }]) {
    await page.setViewportSize(viewport);
    for (const view of ['overview', 'journal']) {
      await page.click(`#tab-${view}`);
      await page.waitForSelector(`#view-${view}:not([hidden])`);
      const [scroll, inner] = await page.evaluate<[number, number]>('[document.documentElement.scrollWidth, window.innerWidth]');
      t.ok(scroll <= inner, `${view} at ${viewport.width} px: ${scroll} <= ${inner}`);
    }
  }
  await page.screenshot({ path: fromRoot('docs/dashboard-phone.png'), animations: 'disabled' });
  await page.setViewportSize({ width: 1280, height: 900 });
});

t.test('works offline: every request the page made stayed on the mock', async (t) => {
  const origin = new URL(pub).origin;
  const off = pageRequests.filter((u) => !u.startsWith(origin) && !u.startsWith('data:'));
  t.same(off, [], 'no CDN, no font service, no other host');
  t.same(browser.offLoopback, [], 'nothing tried to leave loopback');
  t.ok(pageRequests.some((u) => u.endsWith('/__mockdeck/ui/assets/app.js')), 'the page loaded its own script');
});

import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** The system Chromium; `.ci/run` installs it with `apt-get install -y chromium` when missing. */
export const CHROMIUM = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export interface Browser {
  readonly context: BrowserContext;
  /** Every URL the pages tried to reach off loopback (each was refused): the dashboard must work offline. */
  readonly offLoopback: string[];
  newPage(viewport?: { width: number; height: number }): Promise<Page>;
  close(): Promise<void>;
}

/**
 * Real headless Chromium with a fresh profile. Throws, and so fails the test
 * loudly, when the system Chromium is missing: a browser test that skips
 * silently proves nothing. Requests off loopback are refused and noted.
 */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing, so the dashboard's browser tests cannot run. Install it: apt-get update && apt-get install -y chromium (.ci/run does this when it runs as root).`);
  }
  const profile = await mkdtemp(join(tmpdir(), 'mockdeck-ui-profile-'));
  // launchPersistentContext passes the fresh profile as --user-data-dir.
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1280, height: 900 }, timeout: 60_000 });
  const offLoopback: string[] = [];
  await context.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.protocol === 'data:' || LOOPBACK.has(url.hostname) || LOOPBACK.has(`[${url.hostname}]`)) return route.continue();
    offLoopback.push(url.href);
    return route.abort('blockedbyclient');
  });
  return {
    context,
    offLoopback,
    async newPage(viewport) {
      const page = await context.newPage();
      if (viewport) await page.setViewportSize(viewport);
      page.setDefaultTimeout(10_000);
      return page;
    },
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** Opens the dashboard and waits until the overview is rendered and the journal stream is live. */
export async function openDashboard(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForSelector('body[data-ready="yes"]');
  await page.waitForSelector('#live[data-state="live"]');
}

/**
 * Waits until the text of `selector` passes `test`, polling from Node (the
 * page's CSP forbids the string evaluation `waitForFunction` would need).
 */
export async function waitForText(page: Page, selector: string, test: (text: string) => boolean, timeoutMs = 5000): Promise<string> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const text = (await page.locator(selector).first().textContent()) ?? '';
    if (test(text)) return text;
    if (performance.now() > deadline) throw new Error(`${selector} never passed the check; its text is ${JSON.stringify(text)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

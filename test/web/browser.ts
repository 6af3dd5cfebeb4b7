import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { SERVICE_TOKEN } from '../support/test-app.js';

/*
 * Real Chromium for the page's tests: Debian's /usr/bin/chromium (installed
 * by .ci/run), driven by playwright-core, which never downloads a browser.
 */

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = join('test-results', 'screenshots');

/**
 * Whether the browser suites run. Without Chromium they are skipped with the
 * reason, except in CI (REQUIRE_MYSQL=1, which asks for the whole suite):
 * there a missing browser fails the run instead of passing unnoticed.
 */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  const reason = `Chromium not found at ${CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH)`;
  if (process.env.REQUIRE_MYSQL === '1') throw new Error(`REQUIRE_MYSQL=1 runs every suite, and the web page's need a browser: ${reason}`);
  console.warn(`\n${'#'.repeat(78)}\n#  WEB PAGE BROWSER TESTS SKIPPED: ${reason}\n${'#'.repeat(78)}\n`);
  return false;
}

/**
 * Errors the page logged and uncaught exceptions: a test ends with none.
 * Chromium also logs every HTTP error response as a console error; a test
 * that provokes one on purpose (a wrong token: 401) says so in `expected`.
 */
export interface PageProblems {
  readonly errors: string[];
  expected: RegExp[];
}

/** One browser per suite (closed after it, whatever happened); each test gets a fresh context. */
export function useBrowser(): { browser: () => Browser; newPage: (context?: BrowserContext) => Promise<Page>; problems: PageProblems } {
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const problems: PageProblems = { errors: [], expected: [] };
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--headless=new', '--no-sandbox'], timeout: 30_000 });
    mkdirSync(SCREENSHOTS, { recursive: true });
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
    const errors = problems.errors.splice(0).filter((error) => !problems.expected.some((allowed) => allowed.test(error)));
    problems.expected = [];
    expect(errors, 'the page logged errors').toEqual([]);
  });
  afterAll(async () => {
    await browser?.close();
  });
  const instance = () => {
    if (!browser) throw new Error('the browser starts in beforeAll');
    return browser;
  };
  return {
    browser: instance,
    problems,
    async newPage(context?: BrowserContext) {
      const owner = context ?? (await instance().newContext({ acceptDownloads: true, viewport: { width: 1200, height: 760 } }));
      if (!context) contexts.push(owner);
      const page = await owner.newPage();
      page.setDefaultTimeout(10_000);
      page.on('console', (message) => {
        if (message.type() === 'error') problems.errors.push(`console: ${message.text()}`);
      });
      page.on('pageerror', (error) => problems.errors.push(`uncaught: ${error.message}`));
      return page;
    },
  };
}

/** Signs in on the page with the test service token, acting for `userId`. */
export async function signIn(page: Page, userId = 'alice', token = SERVICE_TOKEN): Promise<void> {
  await page.getByRole('textbox', { name: 'Token' }).fill(token);
  await page.getByRole('textbox', { name: 'User id' }).fill(userId);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await poll(() => page.getByRole('button', { name: 'New chat' }).isVisible()).toBe(true);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

/** The text of one message of the conversation, as shown (whitespace collapsed). */
export async function shownText(page: Page, messageId: string): Promise<string> {
  const body = page.locator(`[data-message-id="${messageId}"] .body`);
  return collapse(await body.innerText());
}

export const collapse = (text: string) => text.replace(/\s+/g, ' ').trim();

/** expect.poll with the patience a browser needs (vitest's default is one second). */
export const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 10_000, interval: 50 });

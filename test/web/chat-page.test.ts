import { readFileSync } from 'node:fs';
import { SignJWT } from 'jose';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ChatDocument } from '../graphql/generated/graphql.js';
import { data, executeRaw } from '../graphql/graphql-clients.js';
import { useTestApp, type TestApp } from '../support/test-app.js';
import { browserAvailable, collapse, poll, screenshot, shownText, signIn, useBrowser } from './browser.js';

const JWT_SECRET = 'a-test-secret-of-at-least-thirty-two-characters';

const words = (count: number, prefix = 'w') => Array.from({ length: count }, (_, i) => `${prefix}${i} `);

/**
 * A reply that streams `before` words, then waits in the middle (still
 * STREAMING) until the test releases it, then streams the rest: a reload, a
 * second tab or Stop lands mid-reply however slow the machine is.
 */
function pausedReply(count: number, before: number, prefix = 'w') {
  let release!: () => void;
  const resumeWhen = new Promise<void>((resolve) => (release = resolve));
  return { reply: { deltas: words(count, prefix), chunkDelayMs: 15, pauseAfterDeltas: before, resumeWhen }, release };
}

/** The chat the page has open, from its address. */
const openChatId = (page: Page) => new URLSearchParams(new URL(page.url()).hash.slice(1)).get('chat');

const lastReply = (page: Page) => page.locator('[role="log"] [data-role="ASSISTANT"]').last();
const lastReplyText = async (page: Page) => collapse(await lastReply(page).locator('.body').innerText());

async function storedMessages(app: TestApp, chatId: string) {
  return (await data(app, ChatDocument, { id: chatId, includeErased: true })).chat!.messages.edges.map((edge) => edge.node);
}

async function send(page: Page, text: string) {
  await page.getByRole('textbox', { name: 'Message' }).fill(text);
  await page.getByRole('button', { name: 'Send' }).click();
}

/** Reads the reply as shown, every few ms, until it is stored: every reading must be a prefix of the final text. */
async function watchUntilStored(page: Page, messageId: string) {
  const readings: string[] = [];
  for (;;) {
    const status = await page.locator(`[data-message-id="${messageId}"]`).getAttribute('data-status');
    readings.push(await shownText(page, messageId));
    if (status !== 'STREAMING') return readings;
    await page.waitForTimeout(30);
  }
}

describe.runIf(browserAvailable())('the built-in chat page in Chromium', { timeout: 40_000 }, () => {
  // A small window (MODEL_MAX_TOKENS), so that a few long replies push old messages out of it.
  const app = useTestApp('sqlite', { env: { JWT_SECRET, MODEL_MAX_TOKENS: '2000' } });
  const { newPage, problems } = useBrowser();

  it('loads small and fast: compressed, cacheable, under a strict Content-Security-Policy', async () => {
    // The first visit after start compresses the files (once, then kept); a fresh browser then shows the usual case.
    const first = await loadMeasured(await newPage(), `${app().httpUrl}/`);
    const { page, response, transferred, paintMs, encodings } = await loadMeasured(await newPage(), `${app().httpUrl}/`);
    console.log(
      `web page: ${(transferred / 1024).toFixed(1)} KB transferred (compressed, headers included); first contentful paint ` +
        `${paintMs.toFixed(0)} ms (${first.paintMs.toFixed(0)} ms on the first visit after start, which compresses the files)`,
    );
    expect(first.transferred).toBeLessThan(150 * 1024);
    expect(transferred).toBeLessThan(150 * 1024);
    expect(paintMs).toBeGreaterThan(0);

    const headers = response!.headers();
    const csp = headers['content-security-policy']!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("require-trusted-types-for 'script'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(headers['cache-control']).toBe('no-cache');
    // Every file of the page came compressed; ours and the vendor modules (no CDN) from this origin.
    const urls = [...encodings.keys()];
    expect(urls.every((url) => url.startsWith(app().httpUrl))).toBe(true);
    expect(urls.some((url) => url.includes('/assets/vendor/graphql-ws@'))).toBe(true);
    expect([...encodings.values()].every((encoding) => encoding === 'br')).toBe(true);
    const script = urls.find((url) => /\/assets\/app\.[\w-]+\.js$/.test(url))!;
    const asset = await fetch(script, { headers: { 'accept-encoding': 'gzip' } });
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-encoding')).toBe('gzip');
    const again = await fetch(script, { headers: { 'if-none-match': asset.headers.get('etag')! } });
    expect(again.status).toBe(304);
    await screenshot(page, '01-sign-in');
  });

  it('says at once that a bad token was refused', async () => {
    problems.expected.push(/status of 401 \(Unauthorized\)/);
    const page = await newPage();
    await page.goto(`${app().httpUrl}/`);
    const started = Date.now();
    await signInExpectingError(page, 'not-the-token', 'alice');
    await poll(() => page.getByRole('alert').innerText()).toMatch(/not accepted/);
    // Seconds at most, not the 40 s of graphql-ws retrying a refused socket.
    expect(Date.now() - started).toBeLessThan(5_000);
    // A service token alone does not say for whom it acts.
    await signInExpectingError(page, 'test-service-token', '');
    await poll(() => page.getByRole('alert').innerText()).toMatch(/enter the user id/);
    await screenshot(page, '02-bad-token');
  });

  it('sends a message, streams the reply in, and stops it: the page shows exactly what was stored', async () => {
    const { reply } = pausedReply(150, 30);
    app().openai!.reply(reply);
    const page = await newPage();
    await page.goto(`${app().httpUrl}/`);
    await signIn(page);
    await send(page, 'Count to a hundred and fifty');
    await poll(() => lastReplyText(page)).toBe(collapse(words(30).join('')));
    expect(await lastReply(page).getAttribute('data-status')).toBe('STREAMING');
    await screenshot(page, '03-streaming');
    await page.getByRole('button', { name: 'Stop' }).click();
    await poll(() => lastReply(page).getAttribute('data-status')).toBe('INCOMPLETE');
    const stored = (await storedMessages(app(), openChatId(page)!)).at(-1)!;
    expect(stored).toMatchObject({ status: 'INCOMPLETE', content: words(30).join('') });
    expect(await shownText(page, stored.id)).toBe(collapse(stored.content));
    expect(await page.getByRole('button', { name: 'Stop' }).isHidden()).toBe(true);
    // The chat is in the list, a link named by its title.
    await poll(() => page.getByRole('link', { name: 'Count to a hundred and fifty', exact: true }).count()).toBe(1);
  });

  it('continues a reply after a reload, and in a second tab, with no gap and no repeat', async () => {
    const { reply, release } = pausedReply(100, 25);
    app().openai!.reply(reply);
    const page = await newPage();
    await page.goto(`${app().httpUrl}/`);
    await signIn(page);
    await send(page, 'Count to a hundred');
    const soFar = collapse(words(25).join(''));
    await poll(() => lastReplyText(page)).toBe(soFar);
    const chatId = openChatId(page)!;
    const replyId = (await lastReply(page).getAttribute('data-message-id'))!;

    // A reload shows the text so far, still streaming.
    await page.reload();
    await poll(() => shownText(page, replyId)).toBe(soFar);
    expect(await page.locator(`[data-message-id="${replyId}"]`).getAttribute('data-status')).toBe('STREAMING');
    // So does another tab, which signs in on its own (sessionStorage is per tab).
    const second = await newPage(page.context());
    await second.goto(`${app().httpUrl}/#chat=${chatId}`);
    await signIn(second);
    await poll(() => shownText(second, replyId)).toBe(soFar);

    // Both follow the rest live.
    const secondReadings = watchUntilStored(second, replyId);
    const firstReadings = watchUntilStored(page, replyId);
    release();
    const readings = await firstReadings;
    await screenshot(page, '04-after-reload');

    const stored = (await storedMessages(app(), chatId)).find((message) => message.id === replyId)!;
    expect(stored).toMatchObject({ status: 'COMPLETE', content: words(100).join('') });
    const final = collapse(stored.content);
    for (const shown of [...readings, ...(await secondReadings)]) expect(final.startsWith(shown)).toBe(true);
    // Readings while it streamed, then the whole text, on both tabs.
    expect(readings.filter((shown) => shown !== final && shown !== soFar).length).toBeGreaterThan(2);
    expect(readings.at(-1)).toBe(final);
    expect(await shownText(second, replyId)).toBe(final);
  });

  it('shows a reply started on another channel live', async () => {
    const page = await newPage();
    await page.goto(`${app().httpUrl}/`);
    await signIn(page);
    app().openai!.reply({ text: 'First answer.' });
    await send(page, 'Hello from the page');
    await poll(() => lastReply(page).getAttribute('data-status')).toBe('COMPLETE');
    const chatId = openChatId(page)!;

    const { reply, release } = pausedReply(40, 4, 'http');
    app().openai!.reply(reply);
    const legacy = app().postJson('/chat', { chat_id: chatId, user_id: 'alice', user_message: 'Hello from POST /chat' });
    await poll(() => page.getByRole('log').innerText()).toContain('Hello from POST /chat');
    await poll(() => lastReplyText(page)).toBe(collapse(words(4, 'http').join('')));
    expect(await lastReply(page).getAttribute('data-status')).toBe('STREAMING');
    release();
    expect((await legacy).status).toBe(200);
    await poll(() => lastReply(page).getAttribute('data-status')).toBe('COMPLETE');
    expect(await shownText(page, (await lastReply(page).getAttribute('data-message-id'))!)).toBe(collapse(words(40, 'http').join('')));
  });

  it('renders Markdown, and never HTML from the model', async () => {
    app().openai!.reply({ text: 'Some **bold** and `code`.\n\n<img src=x onerror="window.pwned=1"> <script>window.pwned=2</script>\n\n[a link](https://example.com)' });
    const page = await newPage();
    await page.goto(`${app().httpUrl}/`);
    await signIn(page);
    await send(page, 'Format something');
    const reply = lastReply(page);
    await poll(() => reply.getAttribute('data-status')).toBe('COMPLETE');
    expect(await reply.locator('strong').innerText()).toBe('bold');
    expect(await reply.locator('code').innerText()).toBe('code');
    expect(await reply.locator('img, script').count()).toBe(0);
    expect(await reply.innerText()).toContain('<img src=x');
    expect(await reply.getByRole('link', { name: 'a link' }).getAttribute('rel')).toBe('noopener noreferrer nofollow');
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
  });

  it('creates a chat with a persona and model, renames, ends and deletes it, and shows erased messages dimmed on request', async () => {
    const page = await newPage();
    page.on('dialog', (dialog) => void dialog.accept());
    await page.goto(`${app().httpUrl}/`);
    await signIn(page);
    await page.getByRole('button', { name: 'New chat' }).click();
    await page.getByRole('textbox', { name: 'Title (optional)' }).fill('Planning');
    await page.getByRole('combobox', { name: 'Model' }).selectOption('gpt-3.5-turbo');
    const persona = await page.getByRole('combobox', { name: 'Persona' }).locator('option').nth(1).getAttribute('value');
    await page.getByRole('combobox', { name: 'Persona' }).selectOption(persona!);
    await page.getByRole('button', { name: 'Create chat' }).click();
    await poll(() => page.getByRole('link', { name: 'Planning', exact: true }).getAttribute('aria-current')).toBe('page');
    const chatId = openChatId(page)!;
    const chat = (await data(app(), ChatDocument, { id: chatId })).chat!;
    expect(chat).toMatchObject({ title: 'Planning', model: 'gpt-3.5-turbo', persona: { id: persona } });

    // Long replies in the small window push the first messages out.
    const long = 'lorem ipsum '.repeat(400);
    app().openai!.reply({ text: long }, { text: long }, { text: 'short' });
    await send(page, 'first');
    await poll(() => lastReply(page).getAttribute('data-status')).toBe('COMPLETE');
    await send(page, 'second');
    await poll(() => lastReply(page).getAttribute('data-status')).toBe('COMPLETE');
    await send(page, 'third');
    await poll(async () => (await storedMessages(app(), chatId)).length).toBe(7);
    const erased = (await storedMessages(app(), chatId)).filter((message) => message.erased);
    expect(erased.length).toBeGreaterThan(0);
    await poll(() => page.locator('[role="log"] .erased').count()).toBe(0);
    await page.getByRole('checkbox', { name: 'Show erased messages' }).check();
    await poll(() => page.locator('[role="log"] .erased').count()).toBe(erased.length);
    expect(await page.locator('[role="log"] .erased').first().evaluate((node) => getComputedStyle(node).opacity)).toBe('0.5');
    // The meter counts the draft against the window, live.
    await page.getByRole('textbox', { name: 'Message' }).fill('How many tokens is this?');
    await poll(() => page.locator('#token-meter').innerText()).toMatch(/tokens \(draft \d+\)/);
    await screenshot(page, '05-erased-and-meter');

    await page.getByRole('textbox', { name: 'Chat title' }).fill('Planning, renamed');
    await page.getByRole('button', { name: 'Rename' }).click();
    await poll(() => page.getByRole('link', { name: 'Planning, renamed', exact: true }).count()).toBe(1);
    await page.getByRole('button', { name: 'End chat' }).click();
    await poll(() => page.getByRole('textbox', { name: 'Message' }).isDisabled()).toBe(true);
    expect((await data(app(), ChatDocument, { id: chatId })).chat!.status).toBe('ENDED');
    await page.getByRole('button', { name: 'Delete chat' }).click();
    await poll(() => page.getByRole('link', { name: 'Planning, renamed', exact: true }).count()).toBe(0);
    expect((await data(app(), ChatDocument, { id: chatId })).chat).toBeNull();
  });

  it('searches messages, opens a hit, and downloads exports', async () => {
    const page = await newPage();
    await page.goto(`${app().httpUrl}/`);
    await signIn(page);
    app().openai!.reply({ text: 'Salamanders are amphibians; the axolotl is one that never leaves the water.' });
    await send(page, 'Which salamanders live in lakes?');
    await poll(() => lastReply(page).getAttribute('data-status')).toBe('COMPLETE');
    // New chat without a title: the first message creates it, with the model chosen here.
    await page.getByRole('button', { name: 'New chat' }).click();
    await page.getByRole('combobox', { name: 'Model' }).selectOption('gpt-3.5-turbo');
    await page.getByRole('button', { name: 'Create chat' }).click();
    await poll(() => page.getByRole('log').innerText()).toContain('New chat (gpt-3.5-turbo)');
    app().openai!.reply({ text: 'Axolotls **regrow** their limbs:\n\n1. legs\n2. tails\n3. parts of the heart\n\nSee `Ambystoma mexicanum`.' });
    await send(page, 'Tell me about axolotls');
    await poll(() => lastReply(page).getAttribute('data-status')).toBe('COMPLETE');
    const chatId = openChatId(page)!;

    await page.getByRole('textbox', { name: 'Search' }).fill('axolotl');
    await page.getByRole('textbox', { name: 'Search' }).press('Enter');
    const hits = page.getByRole('region', { name: 'Search results' }).getByRole('link');
    await poll(() => hits.count()).toBe(3);
    expect(await hits.first().locator('mark').innerText()).toBe('Axolotls');
    await screenshot(page, '06-search');
    // The README's picture.
    await screenshot(page, 'web-page');

    // A hit in another chat opens that chat at the message.
    await hits.last().click();
    await poll(() => page.getByRole('link', { name: 'Which salamanders live in lakes?', exact: true }).getAttribute('aria-current')).toBe('page');
    await poll(() => page.locator('[role="log"] .flash').innerText()).toContain('never leaves the water');
    await page.goBack();
    await poll(() => openChatId(page)).toBe(chatId);

    const [markdown] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export Markdown' }).click()]);
    const md = readFileSync((await markdown.path())!, 'utf8');
    expect(markdown.suggestedFilename()).toMatch(new RegExp(`${chatId}\\.md$`));
    // Started with New chat and no title: named after its first message.
    expect(md).toMatch(/^# Tell me about axolotls\n/);
    expect(md).toContain('\n- Model: gpt-3.5-turbo\n');
    expect(md).toContain('Axolotls **regrow** their limbs:');

    const [all] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /Export all chats/ }).click()]);
    const exported = JSON.parse(readFileSync((await all.path())!, 'utf8'));
    expect(exported.userId).toBe('alice');
    expect(exported.chats.map((entry: { chat: { id: string } }) => entry.chat.id)).toContain(chatId);
  });

  it('shows usage and limits when the API offers them, and leaves them out when it does not', async () => {
    const offered = (await executeRaw(app(), '{ limits { tokensToday } }')).errors === undefined;
    const page = await newPage();
    await page.goto(`${app().httpUrl}/`);
    await signIn(page);
    app().openai!.reply({ text: 'Counted.' });
    await send(page, 'Count me');
    await poll(() => lastReply(page).getAttribute('data-status')).toBe('COMPLETE');
    const usage = page.getByRole('region', { name: 'Usage' });
    if (offered) await poll(() => usage.innerText()).toMatch(/This month\s+1 reply, [\d,]+ tokens, \$[\d.]+\s+Tokens today\s+[\d,]+/);
    else expect(await usage.isHidden()).toBe(true);
  });

  it('signs in with a JWT, without a user id', async () => {
    const jwt = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('carol').setExpirationTime('10m').sign(new TextEncoder().encode(JWT_SECRET));
    const page = await newPage();
    await page.goto(`${app().httpUrl}/`);
    await signIn(page, '', jwt);
    await poll(() => page.locator('#who-am-i').innerText()).toBe('carol');
    app().openai!.reply({ text: 'Hi Carol.' });
    await send(page, 'Hello as carol');
    await poll(() => lastReply(page).getAttribute('data-status')).toBe('COMPLETE');
    expect((await data(app(), ChatDocument, { id: openChatId(page)! }, { userId: 'carol' })).chat).not.toBeNull();
  });
});

/** Loads `url` in a fresh page, counting the bytes on the wire (CDP) and reading the first contentful paint. */
async function loadMeasured(page: Page, url: string) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  let transferred = 0;
  const encodings = new Map<string, string | undefined>();
  cdp.on('Network.loadingFinished', (event) => (transferred += event.encodedDataLength));
  cdp.on('Network.responseReceived', (event) => encodings.set(event.response.url, event.response.headers['content-encoding']));
  const response = await page.goto(url, { waitUntil: 'networkidle' });
  const paintMs = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1);
  return { page, response, transferred, paintMs, encodings };
}

async function signInExpectingError(page: Page, token: string, userId: string) {
  await page.getByRole('textbox', { name: 'Token' }).fill(token);
  await page.getByRole('textbox', { name: 'User id' }).fill(userId);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

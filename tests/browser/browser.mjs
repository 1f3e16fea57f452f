// Launches Debian's chromium (never a browser download) headless through playwright-core, runs one scenario and
// prints its result as one JSON line on stdout. Usage: node scenario.mjs '<json arguments>'.
import { chromium } from 'playwright-core';
import readline from 'node:readline';

const input = readline.createInterface({ input: process.stdin });
const lines = input[Symbol.asyncIterator]();

export const executablePath = process.env.EXTAUTHZ_CHROMIUM || '/usr/bin/chromium';

/** Runs `scenario(context, args)` in a fresh browser profile and prints what it returns. Exit 1 with a message on failure. */
export async function run(scenario) {
  const args = JSON.parse(process.argv[2] || '{}');
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    // Root in a container has no user namespace sandbox; the pages are our own loopback servers.
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-extensions'],
    timeout: 60_000,
  });
  try {
    const context = await browser.newContext();
    context.setDefaultTimeout(30_000);
    context.setDefaultNavigationTimeout(30_000);
    const result = await scenario(context, args);
    process.stdout.write(JSON.stringify(result) + '\n');
  } catch (error) {
    process.stderr.write(`scenario failed: ${error && error.stack ? error.stack : error}\n`);
    process.exitCode = 1;
  } finally {
    await browser.close();
    input.close();
  }
}

/**
 * Stops at a named point so the test can look at the servers (e.g. count login attempts) before the browser goes on:
 * prints {"checkpoint": name, "data": data} and waits for one line on stdin.
 */
export async function checkpoint(name, data = {}) {
  process.stdout.write(JSON.stringify({ checkpoint: name, data }) + '\n');
  const next = await lines.next();
  if (next.done) {
    throw new Error(`the test went away at checkpoint ${name}`);
  }
}

/** What a navigation led to: the final URL, the status of the last response, the page's text. */
export async function visit(page, url) {
  const response = await page.goto(url, { waitUntil: 'load' });
  return { url: page.url(), status: response ? response.status() : 0, text: await page.locator('body').innerText() };
}

/**
 * Opens `url` as a person would, signs in on the development issuer's form (when it shows) as `email`, and returns
 * where the browser lands once it is back on `gateway`.
 */
export async function signIn(page, gateway, url, email) {
  await page.goto(url, { waitUntil: 'load' });
  const form = page.locator('form input[name="email"]');
  try {
    await form.waitFor({ state: 'visible' });
  } catch (error) {
    const text = await page.locator('body').innerText().catch(() => '');
    throw new Error(`no sign-in form at ${page.url()}: ${text.slice(0, 500)}`, { cause: error });
  }
  const signInPage = { url: page.url(), title: await page.title(), text: await page.locator('body').innerText() };
  await page.getByLabel('Email').fill(email);
  const [response] = await Promise.all([
    page.waitForResponse(r => r.url().startsWith(gateway) && r.request().isNavigationRequest() && r.status() !== 302, { timeout: 30_000 }),
    page.getByRole('button', { name: 'Sign in' }).click(),
  ]);
  await page.waitForLoadState('load');
  return { signInPage, url: page.url(), status: response.status(), text: await page.locator('body').innerText() };
}

/** The cookies the browser holds for the gateway, by name (values included: the tests replay them). */
export async function cookies(context, gateway) {
  return Object.fromEntries((await context.cookies(gateway)).map(c => [c.name, c.value]));
}

// Launches Debian's chromium (never a browser download) headless through playwright-core, runs one scenario and
// prints its result as one JSON line on stdout. Usage: node scenario.mjs '<json arguments>'.
import { chromium } from 'playwright-core';

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
  }
}

/** What a navigation led to: the final URL, the status of the last response, the page's text. */
export async function visit(page, url) {
  const response = await page.goto(url, { waitUntil: 'load' });
  return { url: page.url(), status: response ? response.status() : 0, text: await page.locator('body').innerText() };
}

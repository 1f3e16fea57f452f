// Signs in, signs out through the gateway, then a page of the gateway makes a background request as an app would,
// then the protected page is opened again. Stops before and after the background request so the test can count the
// server's pending login attempts.
import { run, signIn, cookies, checkpoint } from '../browser.mjs';

await run(async (context, { gateway, path, email, signOut, api }) => {
  const page = await context.newPage();
  const signedIn = await signIn(page, gateway, gateway + path, email);
  const before = await cookies(context, gateway);

  const out = await page.goto(gateway + signOut, { waitUntil: 'load' });
  const signedOut = { url: page.url(), status: out ? out.status() : 0, cookies: await cookies(context, gateway) };

  // A page of the gateway (a public path, answered by the echo app) whose script calls an API after the session ended.
  await page.goto(gateway + '/dex/echo', { waitUntil: 'load' });
  await checkpoint('before-xhr');
  const xhr = await page.evaluate(async url => {
    const response = await fetch(url, { headers: { accept: 'application/json', 'x-requested-with': 'XMLHttpRequest' } });
    return { status: response.status, body: await response.text(), redirected: response.redirected, url: response.url };
  }, gateway + api);
  await checkpoint('after-xhr');

  const again = await page.goto(gateway + path, { waitUntil: 'load' });
  const navigation = { url: page.url(), status: again ? again.status() : 0, signInForm: await page.locator('input[name="email"]').count() > 0 };
  return { signedIn: { url: signedIn.url, status: signedIn.status, text: signedIn.text }, before, signedOut, xhr, navigation };
});

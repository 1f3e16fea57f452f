// Signs in, remembers the session cookie, signs out through the gateway, then the page (still open) makes a
// background request, and a new navigation is tried: what each gets.
import { run, signIn, cookies } from '../browser.mjs';

await run(async (context, { gateway, path, email, signOut, api }) => {
  const page = await context.newPage();
  const signedIn = await signIn(page, gateway, gateway + path, email);
  const before = await cookies(context, gateway);

  const out = await page.goto(gateway + signOut, { waitUntil: 'load' });
  const signedOut = { url: page.url(), status: out ? out.status() : 0, cookies: await cookies(context, gateway) };

  // Back on a page of the gateway (any: the echo of a public path), a script calls an API as an app would.
  await page.goto(gateway + '/dex/echo', { waitUntil: 'load' });
  const xhr = await page.evaluate(async url => {
    const response = await fetch(url, { headers: { accept: 'application/json', 'x-requested-with': 'XMLHttpRequest' } });
    return { status: response.status, body: await response.text(), redirected: response.redirected, url: response.url };
  }, gateway + api);

  const again = await page.goto(gateway + path, { waitUntil: 'load' });
  const navigation = { url: page.url(), status: again ? again.status() : 0, signInForm: await page.locator('input[name="email"]').count() > 0 };
  return { signedIn: { url: signedIn.url, status: signedIn.status, text: signedIn.text }, before, signedOut, xhr, navigation };
});

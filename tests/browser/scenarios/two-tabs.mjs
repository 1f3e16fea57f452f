// Two tabs of one browser open two protected pages at once, both reach the sign-in form, and both sign in.
// With `seenBefore`, the browser first opened a protected page once (and left its sign-in form unanswered), as a
// person who comes back does; without it the two tabs are the browser's very first requests to the gateway.
import { run, signIn } from '../browser.mjs';

await run(async (context, { gateway, paths, email, seenBefore }) => {
  if (seenBefore) {
    const first = await context.newPage();
    await first.goto(gateway + paths[0], { waitUntil: 'load' });
    await first.locator('input[name="email"]').waitFor({ state: 'visible' });
    await first.close();
  }

  const pages = await Promise.all(paths.map(() => context.newPage()));
  const results = await Promise.all(pages.map((page, i) => signIn(page, gateway, gateway + paths[i], email)));
  return { tabs: results.map(r => ({ url: r.url, status: r.status, text: r.text })) };
});

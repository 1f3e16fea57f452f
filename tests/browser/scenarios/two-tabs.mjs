// Two tabs of one browser open two protected pages at once, both reach the sign-in form, and both sign in.
import { run, signIn } from '../browser.mjs';

await run(async (context, { gateway, paths, email }) => {
  const pages = await Promise.all(paths.map(() => context.newPage()));
  const results = await Promise.all(pages.map((page, i) => signIn(page, gateway, gateway + paths[i], email)));
  return { tabs: results.map(r => ({ url: r.url, status: r.status, text: r.text })) };
});

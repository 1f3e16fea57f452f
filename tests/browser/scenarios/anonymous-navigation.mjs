// A page navigation without a session or token: what the browser ends up showing.
import { run, visit } from '../browser.mjs';

await run(async (context, { gateway, path }) => {
  const page = await context.newPage();
  return await visit(page, gateway + path);
});

// A person opens a protected page, signs in on the development issuer's form, and lands back on that page.
import { run, signIn, cookies } from '../browser.mjs';

await run(async (context, { gateway, path, email }) => {
  const page = await context.newPage();
  const result = await signIn(page, gateway, gateway + path, email);
  return { ...result, cookies: await cookies(context, gateway) };
});

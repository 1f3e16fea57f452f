// One browser, two replicas behind two gateways (cookies are per host, so the session cookie set through one is sent
// to the other). Signs in through A, uses the session on B, then stops at checkpoints while the test stops and
// restarts Redis, and signs out through A. Reports what each step showed.
import { run, signIn, cookies, checkpoint, visit } from '../browser.mjs';

await run(async (context, { gatewayA, gatewayB, path, email, signOut }) => {
  const page = await context.newPage();
  const signedIn = await signIn(page, gatewayA, gatewayA + path, email);
  const onB = await visit(page, gatewayB + path);
  const session = await cookies(context, gatewayA);

  await checkpoint('redis-stopped');
  const onBWithoutRedis = await visit(page, gatewayB + path);
  // A browser that has no session yet, while Redis is away: a clear answer, not a loop of redirects.
  const stranger = await context.browser().newContext();
  let newLogin;
  try {
    newLogin = await visit(await stranger.newPage(), gatewayB + path);
  } catch (error) {
    newLogin = { error: String(error) };
  }
  await stranger.close();

  await checkpoint('redis-back');
  await page.goto(gatewayA + signOut, { waitUntil: 'load' });
  await checkpoint('signed-out', { session: session['__Host-extauthz-session'] });
  const onBAfterSignOut = await page.goto(gatewayB + path, { waitUntil: 'load' });
  return {
    signedIn: { url: signedIn.url, status: signedIn.status, text: signedIn.text },
    onB, onBWithoutRedis, newLogin, session,
    afterSignOut: { url: page.url(), status: onBAfterSignOut ? onBAfterSignOut.status() : 0, signInForm: await page.locator('input[name="email"]').count() > 0 },
  };
});

// An owner signs in through the development gateway, opens the sharing page on the workspace API's port (the session
// cookie is the host's, so the browser sends it there too), shares the workspace with a viewer through the page's
// form, then removes them. The test looks at Check's answers for the member at each checkpoint.
import { run, signIn, checkpoint } from '../browser.mjs';

await run(async (context, { gateway, api, email, workspace, member }) => {
  const page = await context.newPage();
  await signIn(page, gateway, gateway + `/notebook/${workspace}/nb/`, email);

  const opened = await page.goto(api + '/workspaces', { waitUntil: 'load' });
  const before = { status: opened ? opened.status() : 0, text: await page.locator('body').innerText() };

  await page.getByLabel('Email', { exact: true }).fill(member);
  await page.getByLabel('Role', { exact: true }).selectOption('view');
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.getByRole('button', { name: 'Add member' }).click()]);
  const added = { url: page.url(), text: await page.locator('body').innerText() };
  await checkpoint('shared');

  await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    page.getByRole('button', { name: `Remove ${member} (view) from ${workspace}` }).click(),
  ]);
  const removed = { url: page.url(), text: await page.locator('body').innerText() };
  await checkpoint('removed');
  return { before, added, removed };
});

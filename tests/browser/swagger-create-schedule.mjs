// Opens Swagger UI in Debian's Chromium, authorizes with a token and creates a schedule through "Try it out".
// Usage: node swagger-create-schedule.mjs <service url> <token> <account id> <instance id> <screenshot path>
// Prints {"status": ..., "body": ...} of the answer Swagger UI shows.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const [url, token, accountId, instanceId, screenshot] = process.argv.slice(2);
const profile = mkdtempSync(join(tmpdir(), 'schedules-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1280, height: 1600 },
  args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ],
});

try {
  const page = context.pages()[0] ?? await context.newPage();
  page.setDefaultTimeout(15000);
  await page.goto(`${url}/swagger/index.html`);

  await page.locator('.auth-wrapper button.authorize').click();
  const dialog = page.locator('.modal-ux');
  await dialog.locator('input').first().fill(token);
  await dialog.locator('button.authorize').click();
  await dialog.locator('button.btn-done').click();

  const operation = page.locator('.opblock-post', { hasText: 'Create a scheduled backup' });
  await operation.locator('.opblock-summary').first().click();
  const tryItOut = operation.locator('button.try-out__btn', { hasText: 'Try it out' });
  if (await tryItOut.count() > 0) {
    await tryItOut.click();
  }

  await operation.locator('input[placeholder="accountId"]').fill(accountId);
  await operation.locator('textarea.body-param__text').fill(JSON.stringify({
    schedule: { action: 'backup', day_of_week: 0, hour: 14, minute: 30, instance_id: instanceId },
  }));
  await operation.locator('button.execute').click();

  const answer = operation.locator('.live-responses-table .response');
  await answer.locator('.response-col_status').waitFor();
  const status = (await answer.locator('.response-col_status').innerText()).trim();
  const body = (await answer.locator('.response-col_description pre').first().innerText()).trim();
  await operation.screenshot({ path: screenshot });
  console.log(JSON.stringify({ status, body }));
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}

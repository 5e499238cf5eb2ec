// Stopping the server while someone still has the site open in a browser (a
// service restart during office hours): SIGTERM must end it cleanly, exit 0.
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, openConnections, shot, startServer } from './harness.mjs';
import { expectText, tracker, until } from './helpers.mjs';

let server;
let browser;
const pages = tracker(() => browser);

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
afterEach(() => pages.check());
after(async () => {
  try {
    await browser?.close();
  } finally {
    await server?.stop();
  }
});

describe('shutdown', () => {
  it('stops cleanly on SIGTERM while a browser keeps a connection open', async () => {
    const page = await pages.page();
    await page.goto(`${server.url}/`);
    await expectText(page.getByTestId('portal-title'), '联盟');
    await shot(page, 'portal-before-shutdown');
    // Chromium keeps its connections alive after the page has loaded.
    await until(() => openConnections(server.port) > 0, { message: 'an open browser connection' });

    const s = server;
    server = null;
    // stop() with no drain time: SIGTERM now; it throws (with the server's
    // log) unless the server exits with status 0.
    await assert.doesNotReject(s.stop({ drainMs: 0 }));
  });
});

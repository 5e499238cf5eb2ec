// Stopping the server while someone still has the site open in a browser (a
// service restart during office hours): SIGTERM must end it cleanly, exit 0.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openConnections, shot } from './harness.mjs';
import { browserSuite, expectText, until } from './helpers.mjs';

const env = browserSuite();
const { pages } = env;

describe('shutdown', () => {
  it('stops cleanly on SIGTERM while a browser keeps a connection open', async () => {
    const page = await pages.page();
    await page.goto(`${env.server.url}/`);
    await expectText(page.getByTestId('portal-title'), '联盟');
    await shot(page, 'portal-before-shutdown');
    // Chromium keeps its connections alive after the page has loaded.
    await until(() => openConnections(env.server.port) > 0, { message: 'an open browser connection' });

    const s = env.server;
    env.server = null;
    // stop() with no drain time: SIGTERM now; it throws (with the server's
    // log) unless the server exits with status 0.
    await assert.doesNotReject(s.stop({ drainMs: 0 }));
  });
});

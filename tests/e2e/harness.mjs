// harness.mjs - what every browser test needs: a jilian server on a free
// port with a fresh demo database serving the built console (web/dist), and
// Debian's Chromium driven by playwright-core, with screenshots kept under
// the test output folder (JILIAN_E2E_OUT, default build/e2e-screenshots).
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(here, '..', '..');
const BIN = path.resolve(REPO, process.env.JILIAN_BIN || 'build/jilian');
const WEB = path.resolve(REPO, process.env.JILIAN_E2E_WEB || 'web/dist');
export const OUT = path.resolve(REPO, process.env.JILIAN_E2E_OUT || 'build/e2e-screenshots');

// playwright-core is a devDependency of the console (one lock file).
const require = createRequire(path.join(REPO, 'web', 'package.json'));
const { chromium } = require('playwright-core');

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// One HTTP request on its own connection (Connection: close), so that the
// test process never holds an idle keep-alive connection to the server.
// Returns { status, headers, text, json }.
export function apiCall(url, method, pathname, { cookie, body, headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const u = new URL(pathname, url);
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = http.request(u, {
      method,
      agent: false,
      headers: {
        Accept: 'application/json',
        ...(cookie ? { Cookie: cookie } : {}),
        ...(data ? { 'Content-Type': 'application/json', 'Content-Length': data.length } : {}),
        ...headers,
      },
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json = null;
        try { json = JSON.parse(text); } catch { /* not JSON */ }
        resolve({ status: res.statusCode, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    if (data) req.write(data);
    req.end();
  });
}

// Server-side TCP connections on a port that the server still holds open
// (ESTABLISHED or CLOSE_WAIT), from /proc/net/tcp and tcp6.
export function openConnections(port) {
  let n = 0;
  for (const f of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try { text = fs.readFileSync(f, 'utf8'); } catch { continue; }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 4) continue;
      const local = cols[1];
      const p = parseInt(local.slice(local.lastIndexOf(':') + 1), 16);
      if (p === port && (cols[3] === '01' || cols[3] === '08')) n++;
    }
  }
  return n;
}

async function waitHealthy(url, proc, ms = 10000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null || proc.signalCode !== null)
      throw new Error(`jilian serve exited with ${proc.exitCode ?? proc.signalCode}`);
    try {
      const r = await apiCall(url, 'GET', '/api/v1/health');
      if (r.status === 200) return;
    } catch { /* not yet listening */ }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('jilian serve did not become healthy');
}

// Starts a server with a fresh demo database.
// Returns { url, port, logins, proc, cli, stop }.
export async function startServer(env = {}) {
  if (!fs.existsSync(path.join(WEB, 'index.html')))
    throw new Error(`the console is not built (${WEB}/index.html missing): run make`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jilian-e2e-'));
  const data = path.join(tmp, 'data');
  const init = spawnSync(BIN, ['--data', data, 'init', '--demo'], { encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`jilian init failed: ${init.stderr}`);
  const logins = {};
  for (const m of init.stdout.matchAll(/^ {2}(\S+)\s+(\S+)\s+(\S+)\s*$/gm)) logins[m[1]] = m[3];
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const log = fs.openSync(path.join(tmp, 'server.log'), 'a');
  const proc = spawn(BIN, ['--data', data, 'serve', '--listen', `127.0.0.1:${port}`], {
    env: { ...process.env, JILIAN_WEB_ROOT: WEB, JILIAN_LOG_REQUESTS: '0', ...env },
    stdio: ['ignore', log, log],
  });
  const exited = new Promise((r) => proc.once('exit', r));
  await waitHealthy(url, proc);
  return {
    url,
    port,
    logins,
    proc,
    cli: (...args) => spawnSync(BIN, ['--data', data, ...args], { encoding: 'utf8' }),
    // SIGTERM once the clients have gone (close the browser first): the
    // server's connections are given up to `drainMs` to close, since jilian
    // aborts when stopped with an idle keep-alive connection still open.
    async stop({ drainMs = 5000 } = {}) {
      if (proc.exitCode === null && proc.signalCode === null) {
        const deadline = Date.now() + drainMs;
        while (openConnections(port) > 0 && Date.now() < deadline)
          await new Promise((r) => setTimeout(r, 25));
        proc.kill('SIGTERM');
      }
      await exited;
      fs.closeSync(log);
      const text = fs.readFileSync(path.join(tmp, 'server.log'), 'utf8');
      if (!process.env.JILIAN_KEEP_TMP) fs.rmSync(tmp, { recursive: true, force: true });
      if (proc.exitCode !== 0)
        throw new Error(`jilian serve exited ${proc.exitCode ?? proc.signalCode}:\n${text}`);
    },
  };
}

// Debian's Chromium, headless, with the flags this closed network needs.
export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

// A new page that fails the test on console errors and CSP violations.
export async function newPage(browser, { width = 1366, height = 900, locale = 'zh-CN' } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, locale });
  const page = await context.newPage();
  page.problems = [];
  page.on('console', (m) => { if (m.type() === 'error') page.problems.push(m.text()); });
  page.on('pageerror', (e) => page.problems.push(String(e)));
  return page;
}

// Screenshots are named <test file>-<nn>-<name>.png (node --test runs each
// file in its own process); a file's old screenshots go on its first shot.
const SUITE = path.basename(process.argv[1] || 'e2e').replace(/\.test\.mjs$|\.mjs$/, '');
let shotCount = 0;
export async function shot(page, name) {
  fs.mkdirSync(OUT, { recursive: true });
  if (shotCount === 0) {
    for (const f of fs.readdirSync(OUT))
      if (f.startsWith(`${SUITE}-`) && f.endsWith('.png')) fs.rmSync(path.join(OUT, f), { force: true });
  }
  const file = path.join(OUT, `${SUITE}-${String(++shotCount).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

// The text input of an el-input / el-date-picker / filterable el-select: the
// testid sits on the native <input> for el-input (see web/TESTIDS.md) and on
// a wrapper for the others, so match both.
export function field(page, testid) {
  return page.locator(`input[data-testid="${testid}"], textarea[data-testid="${testid}"], [data-testid="${testid}"] input`).first();
}

// Signs in through the login page as a demo user.
export async function login(page, server, username, password = server.logins[username]) {
  await page.goto(`${server.url}/console/login`);
  await field(page, 'login-username').fill(username);
  await field(page, 'login-password').fill(password);
  await page.getByTestId('login-submit').click();
}

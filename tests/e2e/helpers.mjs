// helpers.mjs - small things the browser tests share on top of harness.mjs:
// page tracking with the "no unexpected console errors" check, polling
// assertions, Element Plus widgets, API calls with the page's session, and
// GB 32100 credit codes.
import assert from 'node:assert/strict';
import { after, afterEach, before } from 'node:test';
import { apiCall, launchBrowser, newPage, startServer } from './harness.mjs';

// --- problems (console errors, page errors, CSP violations) -----------------

// Chrome logs every failed fetch as a console error; the tests provoke 4xx
// answers on purpose (wrong password, validation errors, 403/404 probes).
const EXPECTED = [/^Failed to load resource: the server responded with a status of 4\d\d\b/];

export function unexpectedProblems(page) {
  return page.problems.filter((p) => !EXPECTED.some((re) => re.test(p)));
}

// Keeps the pages a test opens; check() fails on anything unexpected they
// logged (CSP violations are console errors too: "Refused to ...") and
// closes them. Use: const pages = tracker(() => browser); afterEach(pages.check)
// One server and one browser for a test file: registers the file's hooks
// and returns { server, browser, pages }; every test's pages are checked for
// console errors and CSP violations after it. A test may take the server
// (set env.server = null) to stop it itself.
export function browserSuite() {
  const env = { server: null, browser: null };
  env.pages = tracker(() => env.browser);
  before(async () => {
    env.server = await startServer();
    env.browser = await launchBrowser();
  });
  afterEach(() => env.pages.check());
  after(async () => {
    try {
      await env.browser?.close();
    } finally {
      await env.server?.stop();
    }
  });
  return env;
}

export function tracker(getBrowser) {
  let open = [];
  return {
    async page(opts) {
      const p = await newPage(getBrowser(), opts);
      // Every CSP violation, also those Chrome does not log as an error.
      await p.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (e) => {
          console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`);
        });
      });
      open.push(p);
      return p;
    },
    async check() {
      const pages = open;
      open = [];
      const problems = [];
      for (const p of pages) {
        problems.push(...unexpectedProblems(p));
        await p.context().close().catch(() => {});
      }
      const csp = problems.filter((p) => /Content Security Policy|Refused to/i.test(p));
      assert.deepEqual(csp, [], 'CSP violations');
      assert.deepEqual(problems, [], 'console errors / uncaught page errors');
    },
  };
}

// --- waiting ----------------------------------------------------------------

// Polls fn until it returns a truthy value (which is returned) or throws no
// more; fails with the last error / message after `timeout` ms.
export async function until(fn, { timeout = 10000, interval = 50, message = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
      last = null;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      if (last) throw last;
      throw new Error(`timed out after ${timeout} ms waiting for ${message}`);
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}

// Waits until the locator's text matches (string: includes; RegExp: test).
export async function expectText(locator, expected, opts = {}) {
  await locator.first().waitFor({ timeout: opts.timeout ?? 10000 });
  let seen = '';
  try {
    return await until(async () => {
      seen = (await locator.first().innerText()).trim();
      return (typeof expected === 'string' ? seen.includes(expected) : expected.test(seen)) ? seen : false;
    }, { message: `text ${expected}`, ...opts });
  } catch {
    assert.fail(`expected text ${expected} in ${locator}, saw ${JSON.stringify(seen)}`);
  }
}

// Waits until the page's URL satisfies pred(URL).
export async function expectUrl(page, pred, message = 'URL') {
  try {
    await until(() => pred(new URL(page.url())), { message });
  } catch {
    assert.fail(`${message}: unexpected URL ${page.url()}`);
  }
}

// --- widgets ----------------------------------------------------------------

// Opens an el-select by its testid and clicks the option with its testid.
// (No wait for the dropdown to fade out: Playwright's click on the next
// widget retries while the old popper still covers it.)
export async function choose(page, selectId, optionId) {
  await page.getByTestId(selectId).click();
  await page.getByTestId(optionId).click();
}

// Clicks the OK button of the ElMessageBox confirmation.
export async function confirmOk(page) {
  const ok = page.getByTestId('confirm-ok');
  await ok.click();
  await page.getByTestId('confirm-dialog').waitFor({ state: 'hidden' });
}

// The rows of an el-table, by its testid.
export function tableRows(page, tableId) {
  return page.getByTestId(tableId).locator('.el-table__body-wrapper tbody tr.el-table__row');
}

// --- API with the page's session -----------------------------------------

export async function cookieHeader(page) {
  const cookies = await page.context().cookies();
  return cookies.map((c) => `${c.name}=${c.value}`).join('; ');
}

// GET/POST/PATCH... as the page's signed-in user (CSRF token from GET /me).
export async function pageApi(page, server, method, path, body) {
  const cookie = await cookieHeader(page);
  const headers = {};
  if (method !== 'GET') {
    const me = await apiCall(server.url, 'GET', '/api/v1/me', { cookie });
    if (me.json && me.json.csrf_token) headers['X-CSRF-Token'] = me.json.csrf_token;
  }
  return apiCall(server.url, method, path, { cookie, body, headers });
}

// --- GB 32100 unified social credit codes ------------------------------------

const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export function usccCheckChar(first17) {
  assert.equal(first17.length, 17);
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = USCC_ALPHABET.indexOf(first17[i]);
    assert.ok(v >= 0, `bad USCC character ${first17[i]}`);
    sum += v * USCC_WEIGHTS[i];
  }
  const c = 31 - (sum % 31);
  return USCC_ALPHABET[c === 31 ? 0 : c];
}

// A valid code from 17 characters.
export function validUscc(first17) {
  return first17 + usccCheckChar(first17);
}

// The same code with a wrong check character.
export function badUscc(first17) {
  const good = usccCheckChar(first17);
  const wrong = USCC_ALPHABET[(USCC_ALPHABET.indexOf(good) + 1) % 31];
  return first17 + wrong;
}

// A per-run unique 17-character stem ("91130100MA" + 7 digits).
export function usccStem(seed) {
  const digits = String((Date.now() + seed * 7919) % 1e7).padStart(7, '0');
  return `91130100MA${digits}`;
}

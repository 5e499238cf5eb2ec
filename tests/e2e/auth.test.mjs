// Signing in and out, the login guard, and the account lockout.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { apiCall, field, login, shot } from './harness.mjs';
import { browserSuite, cookieHeader, expectText, expectUrl } from './helpers.mjs';

const env = browserSuite();
const { pages } = env;

describe('login and logout', () => {
  it('secretariat signs in, sees the dashboard, signs out, and the console is closed again', async () => {
    const page = await pages.page();
    await page.goto(`${env.server.url}/console/login`);
    await page.getByTestId('login-page').waitFor();
    await shot(page, 'login-empty');

    await login(page, env.server, 'secretariat');
    await expectUrl(page, (u) => u.pathname === '/console/', 'dashboard URL after login');
    await page.getByTestId('dashboard').waitFor();
    await expectText(page.getByTestId('user-menu'), '联盟秘书处');
    await expectText(page.getByTestId('dashboard'), '联盟秘书处，您好');
    await expectText(page.getByTestId('menu-units'), '成员单位');
    await shot(page, 'dashboard');

    const cookie = await cookieHeader(page);
    assert.equal((await apiCall(env.server.url, 'GET', '/api/v1/me', { cookie })).status, 200);

    await page.getByTestId('user-menu').click();
    await page.getByTestId('logout').click();
    await expectUrl(page, (u) => u.pathname === '/console/login', 'login page after logout');
    await page.getByTestId('login-page').waitFor();
    await shot(page, 'login-after-logout');
    // The session is gone on the server too, not just in the page.
    assert.equal((await apiCall(env.server.url, 'GET', '/api/v1/me', { cookie })).status, 401);

    await page.goto(`${env.server.url}/console/units`);
    await expectUrl(page, (u) => u.pathname === '/console/login' && u.searchParams.get('redirect') === '/console/units',
      'redirect to login with ?redirect=/console/units');
    await page.getByTestId('login-page').waitFor();
    assert.equal(await page.getByTestId('units-page').count(), 0);

    // Signing in again goes back where the person wanted to go.
    await field(page, 'login-username').fill('secretariat');
    await field(page, 'login-password').fill(env.server.logins.secretariat);
    await page.getByTestId('login-submit').click();
    await expectUrl(page, (u) => u.pathname === '/console/units', 'back to /console/units after login');
    await page.getByTestId('units-page').waitFor();
  });
});

describe('lockout', () => {
  it('five wrong passwords lock the account, and then the right one is refused too', async () => {
    const page = await pages.page();
    const wrong = async (n) => {
      await login(page, env.server, 'expert', `wrong-password-${n}`);
      // The submit button is busy while the request runs; wait for the answer.
      await page.getByTestId('login-error').waitFor();
      return (await page.getByTestId('login-error').innerText()).trim();
    };

    const first = await wrong(1);
    assert.match(first, /用户名或密码错误/);
    await shot(page, 'login-error');
    for (let n = 2; n <= 4; n++) assert.match(await wrong(n), /用户名或密码错误/, `attempt ${n}`);

    // The 5th wrong password locks the account: its own answer or the 6th says so.
    let text = await wrong(5);
    if (!/账号已被临时锁定/.test(text)) text = await wrong(6);
    assert.match(text, /账号已被临时锁定/);
    assert.match(text, /约 \d+ 分钟后可重试/);

    // Now even the correct password is refused, with the same message.
    await login(page, env.server, 'expert');
    await expectText(page.getByTestId('login-error'), '账号已被临时锁定');
    assert.match(await page.getByTestId('login-error').innerText(), /约 1[456] 分钟后可重试/);
    await expectUrl(page, (u) => u.pathname === '/console/login', 'still on the login page');
    assert.equal(await page.getByTestId('dashboard').count(), 0);
    await shot(page, 'login-locked');

    // Other accounts are not affected.
    await login(page, env.server, 'auditor');
    await page.getByTestId('dashboard').waitFor();
  });
});

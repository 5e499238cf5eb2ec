// The language switch: console texts and server messages in English, back to
// Chinese, and the choice kept across reloads (localStorage jilian.lang).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { field, shot } from './harness.mjs';
import { browserSuite, badUscc, choose, expectText, expectUrl, pageApi, tableRows, usccStem } from './helpers.mjs';

const env = browserSuite();
const { pages } = env;

const lang = (page) => page.evaluate(() => [document.documentElement.lang, localStorage.getItem('jilian.lang')]);

describe('language switch', () => {
  it('switches the console and the server messages to English and back, and remembers it', async () => {
    const page = await pages.page();
    await page.goto(`${env.server.url}/console/login`);
    await expectText(page.getByTestId('login-submit'), '登录');

    // English on the login page: labels, and the server's own message.
    await page.getByTestId('lang-switch').getByTestId('lang-en').click();
    await expectText(page.getByTestId('login-submit'), 'Sign in');
    await expectText(page.getByTestId('login-page'), 'Sign in to the console');
    assert.deepEqual(await lang(page), ['en', 'en']);
    await field(page, 'login-username').fill('secretariat');
    await field(page, 'login-password').fill('not-the-password');
    await page.getByTestId('login-submit').click();
    await expectText(page.getByTestId('login-error'), 'Wrong user name or password');
    await shot(page, 'login-error-en');

    await field(page, 'login-password').fill(env.server.logins.secretariat);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('dashboard').waitFor();
    await expectText(page.getByTestId('menu-units'), 'Member units');
    await expectText(page.getByTestId('menu-applications'), 'Join applications');
    await expectText(page.getByTestId('breadcrumbs'), 'Dashboard');
    await expectText(page.getByTestId('dashboard'), 'Hello, 联盟秘书处');
    await expectText(page.getByTestId('stat-active-units'), 'Active member units');
    await shot(page, 'dashboard-en');

    // The units list: headings and enum labels.
    await page.getByTestId('menu-units').click();
    await expectUrl(page, (u) => u.pathname === '/console/units', 'units URL');
    await expectText(page.getByTestId('units-total'), /^\d+ in total$/);
    await expectText(page.getByTestId('units-page').locator('h1'), 'Member units');
    await expectText(tableRows(page, 'units-table'), /Technical school|Vocational college|Enterprise/);
    await shot(page, 'units-en');

    // A server validation message in English, under its field.
    await page.getByTestId('units-create').click();
    await page.getByTestId('unit-form').waitFor();
    await field(page, 'unit-form-name').fill('English Test Works Co., Ltd.');
    await choose(page, 'unit-form-kind', 'unit-form-kind-enterprise');
    await field(page, 'unit-form-uscc').fill(badUscc(usccStem(7)));
    await choose(page, 'unit-form-province', 'unit-form-province-130000');
    await choose(page, 'unit-form-city', 'unit-form-city-130100');
    await page.getByTestId('unit-form-submit').click();
    await expectText(page.getByTestId('unit-form-item-uscc').locator('.el-form-item__error'),
      'Invalid unified social credit code');
    await expectText(page.locator('.el-message--error'), 'Please correct the marked fields');
    await shot(page, 'unit-form-error-en');
    const none = await pageApi(page, env.server, 'GET', `/api/v1/units?q=${encodeURIComponent('English Test Works')}`);
    assert.equal(none.json.total, 0);

    // The choice survives a reload.
    await page.goto(`${env.server.url}/console/`);
    await page.reload();
    await page.getByTestId('dashboard').waitFor();
    await expectText(page.getByTestId('menu-units'), 'Member units');
    assert.deepEqual(await lang(page), ['en', 'en']);

    // Back to Chinese.
    await page.getByTestId('lang-switch').getByTestId('lang-zh-CN').click();
    await expectText(page.getByTestId('menu-units'), '成员单位');
    await expectText(page.getByTestId('breadcrumbs'), '工作台');
    await expectText(page.getByTestId('dashboard'), '联盟秘书处，您好');
    assert.deepEqual(await lang(page), ['zh-CN', 'zh-CN']);
    await page.reload();
    await page.getByTestId('dashboard').waitFor();
    await expectText(page.getByTestId('menu-units'), '成员单位');
    assert.deepEqual(await lang(page), ['zh-CN', 'zh-CN']);
    await shot(page, 'dashboard-zh-again');

    // Server messages follow: Chinese again.
    await page.goto(`${env.server.url}/console/units/new`);
    await page.getByTestId('unit-form').waitFor();
    await page.getByTestId('unit-form-submit').click();
    await expectText(page.getByTestId('unit-form-item-name').locator('.el-form-item__error'), '必填');
  });

  it('switches the public portal too', async () => {
    const page = await pages.page();
    await page.goto(`${env.server.url}/members`);
    await expectText(page.getByTestId('nav-members'), '成员单位');
    await page.getByTestId('lang-en').click();
    await expectText(page.getByTestId('nav-members'), 'Members');
    await expectText(page.getByTestId('nav-apply'), 'Apply to join');
    await expectText(page.getByTestId('members-count'), /\d+ active member units/);
    await shot(page, 'members-en');
    await page.reload();
    await expectText(page.getByTestId('portal-members').locator('h1'), 'Member directory');
  });
});

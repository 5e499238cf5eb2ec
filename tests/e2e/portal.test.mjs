// The public portal (home, member directory) and the join application, from
// the form at /apply to its approval in the console.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { apiCall, field, login, shot } from './harness.mjs';
import { browserSuite, choose, confirmOk, expectText, expectUrl, pageApi, tableRows, until, usccStem, validUscc } from './helpers.mjs';

const env = browserSuite();
const { pages } = env;

async function publicUnits() {
  const r = await apiCall(env.server.url, 'GET', '/api/v1/units?page_size=100&sort=city');
  assert.equal(r.status, 200);
  assert.ok(r.json.total <= 100);
  return r.json.items;
}

// city code -> sorted unit ids, as the members page shows them.
async function groupsOnPage(page) {
  return page.getByTestId('members-list').locator('[data-testid^="members-city-"]').evaluateAll((groups) => {
    const out = {};
    for (const g of groups) {
      const ids = [...g.querySelectorAll('[data-testid^="member-"]')].map((a) => Number(a.dataset.testid.slice(7)));
      out[g.dataset.testid.slice('members-city-'.length)] = ids.sort((a, b) => a - b);
    }
    return out;
  });
}

function groupsOf(units) {
  const out = {};
  for (const u of units) (out[u.city] ||= []).push(u.id);
  for (const k of Object.keys(out)) out[k].sort((a, b) => a - b);
  return out;
}

describe('public portal', () => {
  it('home shows the alliance name and the member count', async () => {
    const alliance = (await apiCall(env.server.url, 'GET', '/api/v1/alliance')).json;
    assert.ok(alliance.name && alliance.member_count > 0);
    const units = await publicUnits();
    const page = await pages.page();
    await page.goto(`${env.server.url}/`);
    await expectText(page.getByTestId('portal-title'), alliance.name);
    await expectText(page.getByTestId('figure-members'), String(alliance.member_count));
    await expectText(page.getByTestId('figure-members'), '成员单位');
    await expectText(page.getByTestId('figure-enterprises'),
      String(units.filter((u) => u.kind === 'enterprise').length));
    await expectText(page.getByTestId('figure-cities'), String(new Set(units.map((u) => u.city)).size));
    await expectText(page.getByTestId('portal-intro'), alliance.intro.slice(0, 20));
    await page.getByTestId('portal-chart-kind').locator('canvas').waitFor();
    await page.getByTestId('portal-chart-city').locator('canvas').waitFor();
    await expectText(page.getByTestId('nav-members'), '成员单位');
    await shot(page, 'portal-home');

    await page.getByTestId('hero-members').click();
    await expectUrl(page, (u) => u.pathname === '/members', 'members URL');
    await page.getByTestId('portal-members').waitFor();
  });

  it('members lists every active unit, grouped by city', async () => {
    const units = await publicUnits();
    const page = await pages.page();
    await page.goto(`${env.server.url}/members`);
    await expectText(page.getByTestId('members-count'), `共 ${units.length} 家在册成员单位`);
    await page.getByTestId('members-city-130100').waitFor();
    const groups = await groupsOnPage(page);
    assert.deepEqual(groups, groupsOf(units));
    assert.ok(Object.keys(groups).length > 1);

    const sjz = page.getByTestId('members-city-130100');
    await expectText(sjz.locator('h3'), '河北省 · 石家庄市');
    const u1 = units.find((u) => u.id === 1);
    await expectText(sjz.getByTestId('member-1'), u1.name);
    await page.getByTestId('members-chart').locator('canvas').waitFor();
    await shot(page, 'members');

    // The name filter narrows the groups.
    await field(page, 'members-filter').fill('技师学院');
    await until(async () => {
      const g = await groupsOnPage(page);
      const ids = Object.values(g).flat();
      return ids.length > 0 && ids.length < units.length;
    }, { message: 'filtered directory' });
    for (const t of await page.getByTestId('members-list').locator('[data-testid^="member-"]').allInnerTexts())
      assert.match(t, /技师学院/);

    await page.getByTestId('member-1').click();
    await expectUrl(page, (u) => u.pathname === '/members/1', 'public unit page');
    await expectText(page.getByTestId('portal-unit-name'), u1.name);
    await shot(page, 'portal-unit');
  });
});

describe('join application', () => {
  it('is filed from /apply and approved by the secretariat, which creates the unit', async () => {
    const stem = usccStem(5).replace('91130100', '91130200');
    const uscc = validUscc(stem);
    const name = `唐山测试焊接技术有限公司${stem.slice(-4)}`;

    const visitor = await pages.page();
    await visitor.goto(`${env.server.url}/`);
    await visitor.getByTestId('nav-apply').click();
    await expectUrl(visitor, (u) => u.pathname === '/apply', 'apply URL');
    await visitor.getByTestId('apply-form').waitFor();
    await field(visitor, 'apply-name').fill(name);
    await choose(visitor, 'apply-kind', 'apply-kind-enterprise');
    await field(visitor, 'apply-uscc').fill(uscc.toLowerCase()); // the form upper-cases it
    await choose(visitor, 'apply-province', 'apply-province-130000');
    await choose(visitor, 'apply-city', 'apply-city-130200');
    await field(visitor, 'apply-contact_name').fill('王建国');
    await field(visitor, 'apply-contact_phone').fill('13800138000');
    assert.equal(await field(visitor, 'apply-uscc').inputValue(), uscc);
    await shot(visitor, 'apply-filled');
    await visitor.getByTestId('apply-submit').click();
    const text = await expectText(visitor.getByTestId('apply-success'), /申请已提交（编号 \d+）/);
    const appId = Number(text.match(/编号 (\d+)/)[1]);
    assert.equal(await visitor.getByTestId('apply-form').count(), 0);
    await shot(visitor, 'apply-success');

    const admin = await pages.page();
    await login(admin, env.server, 'secretariat');
    await admin.getByTestId('dashboard').waitFor();
    await admin.getByTestId('menu-applications').click();
    await expectUrl(admin, (u) => u.pathname === '/console/applications', 'applications URL');
    const link = admin.getByTestId(`app-view-${appId}`);
    await expectText(link, name);
    const row = tableRows(admin, 'applications-table').filter({ has: link });
    await expectText(row, '待审核');
    await expectText(row, '王建国');
    await shot(admin, 'applications-pending');

    await admin.getByTestId(`app-approve-${appId}`).click();
    await admin.getByTestId('confirm-dialog').waitFor();
    await expectText(admin.getByTestId('confirm-dialog'), name);
    await confirmOk(admin);
    await expectText(admin.locator('.el-message--success'), '已通过');
    // Gone from the pending list, listed as approved.
    await link.waitFor({ state: 'detached' });
    await admin.getByTestId('applications-status-approved').click();
    await expectUrl(admin, (u) => u.searchParams.get('status') === 'approved', 'status=approved in the URL');
    await expectText(tableRows(admin, 'applications-table').filter({ has: link }), '已通过');
    assert.equal(await admin.getByTestId(`app-approve-${appId}`).count(), 0);
    await link.click();
    await admin.getByTestId('app-drawer-details').waitFor();
    await expectText(admin.getByTestId('app-drawer-details'), '已通过');
    const toUnit = admin.getByTestId('app-drawer-unit');
    await toUnit.click({ trial: true }); // waits until the drawer has slid in
    await shot(admin, 'applications-approved');

    const app = (await pageApi(admin, env.server, 'GET', `/api/v1/applications/${appId}`)).json;
    assert.equal(app.status, 'approved');
    assert.ok(app.unit_id > 0);
    await expectText(toUnit, `#${app.unit_id}`);

    // The drawer links to the new unit, made from the application.
    await toUnit.click();
    await expectUrl(admin, (u) => u.pathname === `/console/units/${app.unit_id}`, 'new unit detail URL');
    await expectText(admin.getByTestId('unit-detail-name'), name);
    await expectText(admin.getByTestId('unit-field-uscc'), uscc);
    await expectText(admin.getByTestId('unit-field-city'), '河北省 唐山市');
    await expectText(admin.getByTestId('unit-field-status'), '在册');

    // The new unit is in the console's list...
    await admin.goto(`${env.server.url}/console/units`);
    await field(admin, 'units-search').fill(name);
    await admin.getByTestId('units-search-submit').click();
    await expectUrl(admin, (u) => u.searchParams.get('q') === name, 'q in the URL');
    await expectText(admin.getByTestId('units-total'), '共 1 条');
    await expectText(admin.getByTestId(`unit-link-${app.unit_id}`), name);
    await expectText(tableRows(admin, 'units-table'), '行业企业');
    await expectText(tableRows(admin, 'units-table'), '唐山市');
    await shot(admin, 'units-new-member');

    // ...and in the public directory, under its city.
    await visitor.goto(`${env.server.url}/members`);
    await expectText(visitor.getByTestId('members-city-130200').getByTestId(`member-${app.unit_id}`), name);
  });
});

// Member units in the console: the list with its filters and paging, the
// create form with a server field error, and what a unit admin may edit.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { field, login, shot } from './harness.mjs';
import { browserSuite, badUscc, choose, expectText, expectUrl, pageApi, tableRows, until, usccStem, validUscc } from './helpers.mjs';

const env = browserSuite();
const { pages } = env;

async function signedIn(username) {
  const page = await pages.page();
  await login(page, env.server, username);
  await page.getByTestId('dashboard').waitFor();
  return page;
}

// The ids of the rows shown (from their name links).
async function rowIds(page) {
  const ids = await page.getByTestId('units-table').locator('[data-testid^="unit-link-"]')
    .evaluateAll((els) => els.map((e) => Number(e.dataset.testid.slice('unit-link-'.length))));
  return ids;
}

// Waits until the list shows `total` and its rows are loaded (no spinner).
async function waitList(page, total) {
  await expectText(page.getByTestId('units-total'), `共 ${total} 条`);
  await expectText(page.getByTestId('units-pagination').locator('.el-pagination__total'), `共 ${total} 条`);
  await page.getByTestId('units-table').locator('.el-loading-mask').waitFor({ state: 'hidden' });
}

describe('units list', () => {
  it('pages, filters by kind, searches by name, and keeps it all in the URL', async () => {
    const page = await signedIn('secretariat');
    const all = (await pageApi(page, env.server, 'GET', '/api/v1/units?page_size=1')).json.total;
    assert.ok(all > 20, `the demo has more than one page of units (${all})`);

    await page.getByTestId('menu-units').click();
    await expectUrl(page, (u) => u.pathname === '/console/units', 'units URL');
    await waitList(page, all);
    assert.equal(await tableRows(page, 'units-table').count(), 20);
    const page1 = await rowIds(page);
    assert.equal(page1.length, 20);
    await shot(page, 'units-list');

    // Filter by kind: every row is an enterprise (行业企业), fewer in total.
    await choose(page, 'units-filter-kind', 'units-filter-kind-enterprise');
    await expectUrl(page, (u) => u.searchParams.get('kind') === 'enterprise', 'kind in the URL');
    const enterprises = (await pageApi(page, env.server, 'GET', '/api/v1/units?kind=enterprise&page_size=1')).json.total;
    assert.ok(enterprises > 0 && enterprises < all);
    await waitList(page, enterprises);
    const rows = tableRows(page, 'units-table');
    assert.equal(await rows.count(), Math.min(20, enterprises));
    const kindCol = await page.getByTestId('units-table').locator('.el-table__header-wrapper th')
      .evaluateAll((ths) => ths.findIndex((th) => th.innerText.trim() === '单位类型'));
    assert.ok(kindCol > 0, 'the table has a 单位类型 column');
    const kinds = await rows.evaluateAll((trs, i) => trs.map((tr) => tr.querySelectorAll('td')[i].innerText.trim()), kindCol);
    assert.deepEqual(kinds, kinds.map(() => '行业企业'));
    await expectText(page.getByTestId('units-filter-kind'), '行业企业');
    await shot(page, 'units-filtered-kind');

    // Search by a name fragment, on top of the cleared kind filter.
    await page.getByTestId('units-reset').click();
    await expectUrl(page, (u) => !u.search, 'reset clears the query');
    await waitList(page, all);
    await field(page, 'units-search').fill('石家庄');
    await field(page, 'units-search').press('Enter');
    await expectUrl(page, (u) => u.searchParams.get('q') === '石家庄' && !u.searchParams.has('kind'), 'q in the URL');
    const sjz = (await pageApi(page, env.server, 'GET', `/api/v1/units?q=${encodeURIComponent('石家庄')}&page_size=1`)).json.total;
    assert.ok(sjz > 0 && sjz < all);
    await waitList(page, sjz);
    const texts = await tableRows(page, 'units-table').allInnerTexts();
    assert.equal(texts.length, sjz);
    for (const t of texts) assert.match(t, /石家庄/);
    await shot(page, 'units-search');

    // A deep link with filters restores them in the form.
    await page.goto(`${env.server.url}/console/units?kind=enterprise&q=${encodeURIComponent('集团')}`);
    const both = (await pageApi(page, env.server, 'GET',
      `/api/v1/units?kind=enterprise&q=${encodeURIComponent('集团')}&page_size=1`)).json.total;
    assert.ok(both > 0);
    await waitList(page, both);
    assert.equal(await field(page, 'units-search').inputValue(), '集团');
    await expectText(page.getByTestId('units-filter-kind'), '行业企业');
    for (const t of await tableRows(page, 'units-table').allInnerTexts()) {
      assert.match(t, /集团/);
      assert.match(t, /行业企业/);
    }

    // Page 2 of the whole list: other rows, page=2 in the URL.
    await page.getByTestId('units-reset').click();
    await waitList(page, all);
    await page.getByTestId('units-pagination').locator('.btn-next').click();
    await expectUrl(page, (u) => u.searchParams.get('page') === '2', 'page=2 in the URL');
    await until(async () => {
      const ids = await rowIds(page);
      return ids.length === Math.min(20, all - 20) && ids.every((id) => !page1.includes(id));
    }, { message: 'page 2 rows' });
    await expectText(page.getByTestId('units-pagination').locator('.el-pager li.is-active'), '2');
    await shot(page, 'units-page2');

    // Reload keeps the page.
    await page.reload();
    await waitList(page, all);
    await until(async () => (await rowIds(page)).every((id) => !page1.includes(id)), { message: 'page 2 after reload' });
  });
});

describe('create a unit', () => {
  it('refuses a bad credit code under its field, then creates the unit once it is fixed', async () => {
    const page = await signedIn('secretariat');
    const stem = usccStem(4);
    const name = `石家庄测试精密制造有限公司${stem.slice(-4)}`;

    await page.goto(`${env.server.url}/console/units`);
    await page.getByTestId('units-create').click();
    await expectUrl(page, (u) => u.pathname === '/console/units/new', 'new unit URL');
    await page.getByTestId('unit-form').waitFor();

    await field(page, 'unit-form-name').fill(name);
    await choose(page, 'unit-form-kind', 'unit-form-kind-enterprise');
    await field(page, 'unit-form-uscc').fill(badUscc(stem));
    await choose(page, 'unit-form-province', 'unit-form-province-130000');
    await choose(page, 'unit-form-city', 'unit-form-city-130100');
    await field(page, 'unit-form-address').fill('河北省石家庄市长安区测试路1号');
    await page.getByTestId('unit-form-submit').click();

    const err = page.getByTestId('unit-form-item-uscc').locator('.el-form-item__error');
    await expectText(err, '统一社会信用代码无效');
    // Only the credit code is wrong.
    assert.equal(await page.locator('[data-testid="unit-form"] .el-form-item__error').count(), 1);
    await expectUrl(page, (u) => u.pathname === '/console/units/new', 'still on the form');
    await shot(page, 'unit-form-error');
    const none = await pageApi(page, env.server, 'GET', `/api/v1/units?q=${encodeURIComponent(name)}`);
    assert.equal(none.status, 200);
    assert.equal(none.json.total, 0, 'no unit was created');

    const good = validUscc(stem);
    await field(page, 'unit-form-uscc').fill(good);
    await page.getByTestId('unit-form-submit').click();
    await expectUrl(page, (u) => /^\/console\/units\/\d+$/.test(u.pathname), 'detail URL after create');
    const id = Number(new URL(page.url()).pathname.split('/').pop());
    await expectText(page.getByTestId('unit-detail-name'), name);
    await expectText(page.getByTestId('unit-field-uscc'), good);
    await expectText(page.getByTestId('unit-field-kind'), '行业企业');
    await expectText(page.getByTestId('unit-field-city'), '河北省 石家庄市');
    await shot(page, 'unit-detail');

    const created = await pageApi(page, env.server, 'GET', `/api/v1/units?q=${encodeURIComponent(name)}`);
    assert.equal(created.json.total, 1);
    assert.equal(created.json.items[0].id, id);
    assert.equal(created.json.items[0].uscc, good);
  });
});

describe('unit admin', () => {
  it('cannot edit another unit', async () => {
    const page = await signedIn('unitadmin');
    const before2 = (await pageApi(page, env.server, 'GET', '/api/v1/units/2')).json;

    await page.goto(`${env.server.url}/console/units/2`);
    await expectText(page.getByTestId('unit-detail-name'), before2.name);
    await page.getByTestId('unit-back').waitFor();
    assert.equal(await page.getByTestId('unit-edit').count(), 0, 'no edit button on unit 2');
    assert.equal(await page.getByTestId('unit-delete').count(), 0, 'no delete button on unit 2');
    await shot(page, 'unit-admin-other-unit');

    // The list offers edit for its own unit only.
    await page.goto(`${env.server.url}/console/units`);
    await page.getByTestId('unit-link-2').waitFor();
    assert.equal(await page.getByTestId('unit-edit-2').count(), 0);
    await page.getByTestId('unit-edit-1').waitFor();

    await page.goto(`${env.server.url}/console/units/2/edit`);
    await page.getByTestId('forbidden').waitFor();
    await expectText(page.getByTestId('forbidden'), '403');
    assert.equal(await page.getByTestId('unit-form').count(), 0);
    await shot(page, 'unit-admin-forbidden');

    // The server refuses the change as well, and unit 2 stays as it was.
    // (docs/api.md: another unit's object answers 404.)
    const res = await pageApi(page, env.server, 'PATCH', '/api/v1/units/2', { intro: 'changed by another unit' });
    assert.equal(res.status, 404, `PATCH /units/2 by unitadmin: ${res.status} ${res.text}`);
    const after2 = (await pageApi(page, env.server, 'GET', '/api/v1/units/2')).json;
    assert.equal(after2.intro, before2.intro);
    assert.equal(after2.updated_at, before2.updated_at);
  });

  it('edits only the profile fields of its own unit', async () => {
    const page = await signedIn('unitadmin');
    const before1 = (await pageApi(page, env.server, 'GET', '/api/v1/units/1')).json;

    await page.goto(`${env.server.url}/console/units/1`);
    await expectText(page.getByTestId('unit-detail-name'), before1.name);
    await page.getByTestId('unit-edit').click();
    await expectUrl(page, (u) => u.pathname === '/console/units/1/edit', 'edit URL');
    await page.getByTestId('unit-form').waitFor();
    await page.getByTestId('unit-form-restricted').waitFor();

    for (const f of ['short_name', 'address', 'website', 'intro'])
      assert.equal(await field(page, `unit-form-${f}`).isEditable(), true, `${f} is editable`);
    for (const f of ['name', 'uscc'])
      assert.equal(await field(page, `unit-form-${f}`).isDisabled(), true, `${f} is disabled`);
    for (const f of ['kind', 'province', 'city', 'role', 'status'])
      assert.equal(await page.getByTestId(`unit-form-${f}`).locator('.el-select__wrapper.is-disabled').count(), 1,
        `${f} select is disabled`);
    assert.equal(await field(page, 'unit-form-joined').isDisabled(), true, 'joined is disabled');
    await shot(page, 'unit-admin-edit');

    const intro = `石家庄市技师学院简介（端到端测试 ${Date.now()}）`;
    await field(page, 'unit-form-intro').fill(intro);
    await page.getByTestId('unit-form-submit').click();
    await expectUrl(page, (u) => u.pathname === '/console/units/1', 'back to the detail');
    await expectText(page.getByTestId('unit-field-intro'), intro);
    await shot(page, 'unit-admin-saved');

    // The server, too, keeps the other fields out of a unit admin's reach.
    const renamed = await pageApi(page, env.server, 'PATCH', '/api/v1/units/1', { name: '改名测试学院' });
    assert.equal(renamed.status, 400, `PATCH name by unitadmin: ${renamed.status} ${renamed.text}`);
    assert.ok(renamed.json.error.fields && renamed.json.error.fields.name, 'the refusal names the field');

    const after1 = (await pageApi(page, env.server, 'GET', '/api/v1/units/1')).json;
    assert.equal(after1.intro, intro);
    for (const f of ['name', 'kind', 'uscc', 'city', 'role', 'status', 'joined', 'short_name', 'address', 'website'])
      assert.equal(after1[f], before1[f], `${f} unchanged`);
  });
});

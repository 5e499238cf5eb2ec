// People in the console: a unit admin adds a contact person with an
// identity number; a wrong number is refused under its own field, a right
// one is saved sealed and shown masked.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { field, login, shot } from './harness.mjs';
import { browserSuite, expectText, pageApi, tableRows } from './helpers.mjs';

const env = browserSuite();
const { pages } = env;

// A valid identity number that no one holds (county part 9900 is assigned
// to no place in GB/T 2260).
function idNumber(seed) {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const base = `419900${1970 + (seed % 30)}0${1 + (seed % 9)}1${seed % 10}${String(seed % 1000).padStart(3, '0')}`;
  const sum = [...base].reduce((s, c, i) => s + Number(c) * weights[i], 0);
  return base + '10X98765432'[sum % 11];
}

describe('people', () => {
  it('refuses a wrong identity number under its field and shows a right one masked', async () => {
    const page = await pages.page();
    await login(page, env.server, 'unitadmin');
    await page.getByTestId('dashboard').waitFor();
    await page.getByTestId('menu-people').click();
    await page.getByTestId('people-page').waitFor();

    const good = idNumber(Date.now() % 997);
    const bad = good.slice(0, 17) + (good[17] === '1' ? '2' : '1');
    const name = `证号演示${good.slice(-4)}`;
    await page.getByTestId('people-create').click();
    await page.getByTestId('person-dialog').waitFor();
    await field(page, 'person-form-name').fill(name);
    await field(page, 'person-form-id-number').fill(bad);
    await page.getByTestId('person-form-submit').click();
    const err = page.getByTestId('person-form-item-id-number').locator('.el-form-item__error');
    await expectText(err, '身份证号无效');
    assert.equal(await page.locator('[data-testid="person-dialog"] .el-form-item__error').count(), 1);
    await shot(page, 'person-id-number-error');

    await field(page, 'person-form-id-number').fill(good);
    await page.getByTestId('person-form-submit').click();
    await page.getByTestId('person-dialog').waitFor({ state: 'hidden' });
    await field(page, 'people-search').fill(name);
    await page.getByTestId('people-search-submit').click();
    const rows = tableRows(page, 'people-table');
    await expectText(rows.first(), `${good.slice(0, 6)}********${good.slice(-4)}`);
    assert.equal(await rows.count(), 1);
    const html = await page.content();
    assert.ok(!html.includes(good), 'the full number is nowhere in the page');
    await shot(page, 'person-id-number-masked');

    const found = await pageApi(page, env.server, 'GET', `/api/v1/people?id_number=${good}`);
    assert.equal(found.json.total, 1);
    assert.equal(found.json.items[0].name, name);
  });
});

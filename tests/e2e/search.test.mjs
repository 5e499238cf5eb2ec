// Search in the console (docs/search.md): the top bar's box with its
// suggestions (traditional characters, pinyin and its initials), the
// results page with highlights as <mark> pieces, facets kept in the URL
// and removable chips, what a role may not see (people without
// people.read), a result opening its record, "/" to focus and the phone
// layout.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { apiCall, field, login, shot } from './harness.mjs';
import { browserSuite, expectText, expectUrl, pageApi, until } from './helpers.mjs';

const env = browserSuite();
const { pages } = env;

async function signedIn(username, opts) {
  const page = await pages.page(opts);
  await login(page, env.server, username);
  await page.getByTestId('dashboard').waitFor();
  return page;
}

async function api(page, path) {
  const r = await pageApi(page, env.server, 'GET', `/api/v1${path}`);
  assert.equal(r.status, 200, `GET ${path}: ${r.status} ${r.text}`);
  return r.json;
}

const searchUrl = (q) => `/search?q=${encodeURIComponent(q)}`;

// The result items on the page, as "type-id" strings, in their order.
async function resultKeys(page) {
  return page.getByTestId('search-results').locator('[data-testid^="search-result-"]').evaluateAll((els) =>
    els
      .map((e) => e.getAttribute('data-testid'))
      .filter((id) => /^search-result-[a-z]+-\d+$/.test(id))
      .map((id) => id.slice('search-result-'.length)));
}

// Types a query into the top-bar box and waits for its suggestions.
async function typeInTopBar(page, text) {
  const box = field(page, 'global-search');
  await box.fill(text);
  await page.getByTestId('global-search-suggestions').waitFor();
  await until(async () => (await page.getByTestId('global-search-suggestions')
    .locator('[data-testid^="global-search-suggestion-"]').count()) > 0, { message: `suggestions for ${text}` });
  return box;
}

// Enter in the top-bar box: the results page for q, and the API's answer to it.
async function enterSearch(page, box, q) {
  const answer = page.waitForResponse((r) => {
    const u = new URL(r.url());
    return u.pathname === '/api/v1/search' && u.searchParams.get('q') === q && !u.searchParams.get('type');
  });
  await box.press('Enter');
  await expectUrl(page, (u) => u.pathname === '/console/search' && u.searchParams.get('q') === q, 'results URL');
  const res = await answer;
  assert.equal(res.status(), 200, `GET /api/v1/search?q=${q}`);
  const json = await res.json();
  await page.getByTestId('search-page').waitFor();
  if (json.items.length) await page.getByTestId('search-results').waitFor();
  else await page.getByTestId('search-empty').waitFor();
  return json;
}

describe('search', () => {
  it('finds the alliance from traditional characters, with highlights, facets and chips in the URL', async () => {
    const page = await signedIn('secretariat');
    const alliance = await api(page, '/alliance');

    // "/" focuses the box (not while typing elsewhere).
    await page.keyboard.press('/');
    await until(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid') === 'global-search'), { message: '"/" focuses the search box' });
    assert.equal(await field(page, 'global-search').inputValue(), '', 'the "/" is not typed into the box');

    const q = '技工教育聯盟';
    const box = await typeInTopBar(page, q);
    const sugg = page.getByTestId('global-search-suggestions');
    assert.ok(await sugg.locator('[data-testid^="global-search-suggestion-alliance-"]').count() >= 1, 'the alliance is suggested');
    await expectText(sugg.locator('[data-testid^="global-search-suggestion-alliance-"]').first(), '联盟');
    assert.ok(await sugg.locator('[data-testid^="global-search-suggestion-"]').count() <= 8, 'at most 8 suggestions');
    await shot(page, 'suggestions');

    const json = await enterSearch(page, box, q);
    assert.ok(json.total >= 1, 'results');
    assert.ok(json.items.some((i) => i.type === 'alliance'), `the alliance among the results: ${JSON.stringify(json.items.map((i) => i.type))}`);
    for (const it of json.items) {
      assert.ok(Array.isArray(it.title_hl), 'title_hl pieces');
      assert.ok(Array.isArray(it.snippet), 'snippet pieces');
    }

    const allianceItem = json.items.find((i) => i.type === 'alliance');
    const row = page.getByTestId(`search-result-alliance-${allianceItem.id}`);
    await expectText(page.getByTestId(`search-result-type-alliance-${allianceItem.id}`), '联盟');
    await expectText(page.getByTestId(`search-result-link-alliance-${allianceItem.id}`), allianceItem.title);
    assert.equal(allianceItem.title, alliance.name);
    await expectText(page.getByTestId('search-total'), String(json.total));

    // Highlights are <mark> elements built from the pieces, never HTML.
    const marks = page.getByTestId('search-results').locator('mark');
    await until(async () => (await marks.count()) > 0, { message: '<mark> highlights' });
    const hits = json.items.flatMap((i) => [...i.title_hl, ...i.snippet]).filter((p) => p.hit).map((p) => p.text);
    assert.ok(hits.length > 0, 'the API marks hits');
    const marked = await marks.allInnerTexts();
    assert.ok(marked.some((m) => hits.includes(m)), `marked texts ${JSON.stringify(marked)} are the API's hits`);
    assert.ok((await row.locator('mark').count()) > 0, 'the alliance title has highlights');

    // Facets with counts, as answered.
    const typeFacets = page.getByTestId('search-facets-type');
    await typeFacets.waitFor();
    for (const f of json.facets.type) {
      await expectText(page.getByTestId(`search-facet-type-${f.key}-count`), String(f.count));
    }
    await expectText(page.getByTestId('search-facet-type-alliance'), '联盟');
    for (const f of json.facets.city) {
      await expectText(page.getByTestId(`search-facet-city-${f.key}-count`), String(f.count));
    }
    await shot(page, 'results');

    // Clicking a type facet filters; the filter is in the URL and a chip.
    const facet = json.facets.type.find((f) => f.key === 'alliance');
    await page.getByTestId('search-facet-type-alliance').click();
    await expectUrl(page, (u) => u.searchParams.get('type') === 'alliance' && u.searchParams.get('q') === q, 'type in the URL');
    await expectText(page.getByTestId('search-chip-type'), '联盟');
    await expectText(page.getByTestId('search-total'), String(facet.count));
    await until(async () => {
      const keys = await resultKeys(page);
      return keys.length === facet.count && keys.every((k) => k.startsWith('alliance-'));
    }, { message: 'only alliance results' });
    assert.equal(await page.getByTestId('search-facet-type-alliance').getAttribute('aria-pressed'), 'true');
    await shot(page, 'filtered');

    // The filtered page is a deep link.
    await page.reload();
    await expectText(page.getByTestId('search-chip-type'), '联盟');
    await expectText(page.getByTestId('search-total'), String(facet.count));

    // A city facet, when there is one, adds to the type filter.
    if (json.facets.city.length) {
      await page.getByTestId('search-chip-type').locator('.el-tag__close').click();
      await expectUrl(page, (u) => !u.searchParams.get('type'), 'type filter removed');
      const city = json.facets.city[0];
      await page.getByTestId(`search-facet-city-${city.key}`).click();
      await expectUrl(page, (u) => u.searchParams.get('city') === city.key, 'city in the URL');
      await expectText(page.getByTestId('search-chip-city'), city.name);
      await expectText(page.getByTestId('search-total'), String(city.count));
      await page.getByTestId('search-chip-city').locator('.el-tag__close').click();
      await expectUrl(page, (u) => !u.searchParams.get('city'), 'city filter removed');
    } else {
      await page.getByTestId('search-chip-type').locator('.el-tag__close').click();
      await expectUrl(page, (u) => !u.searchParams.get('type'), 'type filter removed');
    }
    await expectText(page.getByTestId('search-total'), String(json.total));
    assert.equal(await page.getByTestId('search-chips').count(), 0, 'no chips without filters');

    // Picking a suggestion goes straight to the record (the alliance: the dashboard).
    const box2 = await typeInTopBar(page, '技工教育联盟');
    await page.getByTestId('global-search-suggestions').locator('[data-testid^="global-search-suggestion-alliance-"]').first().click();
    await expectUrl(page, (u) => u.pathname === '/console/', 'the alliance opens the dashboard');
    await page.getByTestId('dashboard').waitFor();
    assert.equal(await box2.inputValue(), '', 'the box is cleared after a pick');

    // Nothing found: the tips.
    await page.goto(`${env.server.url}/console${searchUrl('zzqqxxzz')}`);
    await page.getByTestId('search-empty').waitFor();
    await expectText(page.getByTestId('search-tips'), '你可以输入简体、繁体、拼音或拼音首字母');
    await expectText(page.getByTestId('search-total'), '0');
    await shot(page, 'empty');
  });

  it('finds by pinyin initials and pinyin, and a unit result opens its page', async () => {
    const page = await signedIn('secretariat');

    // Pinyin initials of 技工教育联盟.
    let box = await typeInTopBar(page, 'jgjylm');
    const suggested = page.getByTestId('global-search-suggestions').locator('[data-testid^="global-search-suggestion-alliance-"]');
    assert.ok(await suggested.count() >= 1, 'the alliance is suggested for jgjylm');
    assert.equal((await suggested.first().locator('mark').allTextContents()).join(''), '技工教育联盟',
      'the suggestion marks what jgjylm spells');
    let json = await enterSearch(page, box, 'jgjylm');
    assert.ok(json.items.some((i) => i.type === 'alliance'), `jgjylm finds the alliance: ${JSON.stringify(json.items.map((i) => `${i.type}:${i.title}`))}`);
    const allianceRow = page.getByTestId(`search-result-alliance-${json.items.find((i) => i.type === 'alliance').id}`);
    await allianceRow.waitFor();
    // What the initials spell is highlighted in the name.
    await until(async () => (await allianceRow.locator('mark').allTextContents()).join('') === '技工教育联盟',
      { message: 'jgjylm marks 技工教育联盟 in the alliance\'s name' });

    // Pinyin from any character on: 技工 in names.
    box = await typeInTopBar(page, 'jigong');
    json = await enterSearch(page, box, 'jigong');
    assert.ok(json.items.some((i) => i.type === 'alliance') || json.facets.type.some((f) => f.key === 'alliance'),
      `jigong finds the alliance: ${JSON.stringify(json.facets.type)}`);
    const unitFacet = json.facets.type.find((f) => f.key === 'unit');
    assert.ok(unitFacet && unitFacet.count >= 1, 'jigong finds units');
    await page.getByTestId('search-facet-type-unit').click();
    await expectUrl(page, (u) => u.searchParams.get('type') === 'unit', 'unit filter');
    const school = '石家庄市高级技工学校';
    const units = await api(page, `/search?q=jigong&type=unit&page_size=50`);
    const hit = units.items.find((i) => i.title === school);
    assert.ok(hit, `${school} among ${JSON.stringify(units.items.map((i) => i.title))}`);
    await expectText(page.getByTestId('search-total'), String(units.total));

    // The school's result (on a later page if need be) opens its unit page.
    const link = page.getByTestId(`search-result-link-unit-${hit.id}`);
    await until(async () => {
      if (await link.count()) return true;
      await page.getByTestId('search-pagination').locator('.btn-next').click();
      return false;
    }, { message: `${school} on the results pages` });
    await expectText(link, school);
    await shot(page, 'jigong-units');
    await link.click();
    await expectUrl(page, (u) => u.pathname === `/console/units/${hit.id}`, 'unit page');
    await expectText(page.getByTestId('unit-detail-name'), school);

    // Keyboard: down to a unit suggestion, Enter opens it.
    box = await typeInTopBar(page, '石家庄市高级技工');
    const first = page.getByTestId('global-search-suggestions').locator('[data-testid^="global-search-suggestion-"]').first();
    const firstId = await first.getAttribute('data-testid');
    await box.press('ArrowDown');
    await until(async () => (await first.getAttribute('aria-selected')) === 'true', { message: 'first suggestion selected' });
    await box.press('Enter');
    const [, type, id] = /^global-search-suggestion-([a-z]+)-(\d+)$/.exec(firstId);
    if (type === 'unit') await expectUrl(page, (u) => u.pathname === `/console/units/${id}`, 'suggested unit page');
    else await expectUrl(page, (u) => u.pathname !== '/console/search', 'suggestion opened');
  });

  it('shows no people to a login without people.read, nor to the public', async () => {
    // A demo person's name, as the secretariat sees it.
    const sec = await signedIn('secretariat');
    const people = await api(sec, '/people?page_size=5');
    assert.ok(people.items.length > 0, 'demo people');
    const name = people.items[0].name;
    const secAnswer = await api(sec, `/search?q=${encodeURIComponent(name)}`);
    const person = secAnswer.items.find((i) => i.type === 'person');
    assert.ok(person, `the secretariat finds ${name}: ${JSON.stringify(secAnswer.items)}`);
    // A person leads to the people list, filtered by the name.
    await sec.goto(`${env.server.url}/console${searchUrl(name)}`);
    await sec.getByTestId(`search-result-link-person-${person.id}`).click();
    await expectUrl(sec, (u) => u.pathname === '/console/people' && u.searchParams.get('q') === name, 'people list by name');
    await sec.getByTestId('people-page').waitFor();

    // The student: no person in the suggestions, the results or the facets.
    const stu = await signedIn('student');
    const box = field(stu, 'global-search');
    await box.fill(name);
    await stu.getByTestId('global-search-suggestions').waitFor();
    await until(async () => (await stu.getByTestId('global-search-none').count()) > 0
      || (await stu.getByTestId('global-search-suggestions').locator('[data-testid^="global-search-suggestion-"]').count()) > 0,
    { message: 'suggestions answered' });
    assert.equal(await stu.getByTestId('global-search-suggestions').locator('[data-testid^="global-search-suggestion-person-"]').count(), 0,
      'no person suggested');
    const json = await enterSearch(stu, box, name);
    assert.deepEqual(json.items.filter((i) => i.type === 'person'), [], 'no person results');
    assert.ok(!json.facets.type.some((f) => f.key === 'person'), 'no person facet');
    assert.equal(await stu.locator('[data-testid^="search-result-person-"]').count(), 0);
    assert.equal(await stu.getByTestId('search-facet-type-person').count(), 0);
    await shot(stu, 'student-no-people');

    // Anonymous: the console asks for a login; the public API shows no people.
    const anon = await pages.page();
    await anon.goto(`${env.server.url}/console${searchUrl(name)}`);
    await expectUrl(anon, (u) => u.pathname === '/console/login' && (u.searchParams.get('redirect') || '').startsWith('/console/search'), 'login first');
    const pub = await apiCall(env.server.url, 'GET', `/api/v1${searchUrl(name)}`);
    assert.equal(pub.status, 200, pub.text);
    assert.deepEqual(pub.json.items.filter((i) => i.type === 'person'), [], 'no person for the public');
  });

  it('collapses to an icon on a phone and still searches', async () => {
    const page = await signedIn('secretariat', { width: 390, height: 844 });
    assert.equal(await field(page, 'global-search').count(), 0, 'no box until opened');
    await page.getByTestId('global-search-toggle').click();
    const box = await typeInTopBar(page, 'jigong');
    await shot(page, 'phone-suggestions');
    const json = await enterSearch(page, box, 'jigong');
    assert.ok(json.total > 0);
    await until(async () => (await field(page, 'global-search').count()) === 0, { message: 'box collapses again' });
    await page.getByTestId('search-facets-type').waitFor();
    await shot(page, 'phone-results');
  });

  it('shows the English type names', async () => {
    const page = await signedIn('secretariat');
    await page.getByTestId('lang-switch').getByTestId('lang-en').click();
    await page.goto(`${env.server.url}/console${searchUrl('jgjylm')}`);
    await page.getByTestId('search-results').waitFor();
    await expectText(page.getByTestId('search-facet-type-alliance'), 'Alliance');
    await expectText(page.getByTestId('search-total'), /^\d+ results$/);
    await page.getByTestId('lang-switch').getByTestId('lang-zh-CN').click();
    await expectText(page.getByTestId('search-facet-type-alliance'), '联盟');
  });
});

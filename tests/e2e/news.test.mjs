// News in the console and on the portal (docs/news.md): a unit admin writes
// an article with a tag, an image and a cover, previews it and submits it;
// the secretariat returns it with a comment, the unit admin fixes it and
// submits again, the secretariat publishes it and an anonymous visitor reads
// it on /news. Then a members-only notice that asks for read confirmation:
// hidden from anonymous visitors, confirmed by the unit admin, shown as
// confirmed in the secretariat's 回执情况. Last, importing files as drafts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { apiCall, field, login, shot } from './harness.mjs';
import { browserSuite, expectText, expectUrl, pageApi, tableRows, until } from './helpers.mjs';

const env = browserSuite();
const { pages } = env;
const stamp = Date.now() % 100000;

async function signedIn(username, opts) {
  const page = await pages.page(opts);
  await login(page, env.server, username);
  await page.getByTestId('dashboard').waitFor();
  return page;
}

async function api(page, method, path, body) {
  const r = await pageApi(page, env.server, method, `/api/v1${path}`, body);
  assert.ok(r.status < 300, `${method} ${path}: ${r.status} ${r.text}`);
  return r.json;
}

// The article id from a /console/news/<id>... URL.
function articleId(page) {
  return Number(new URL(page.url()).pathname.split('/')[3]);
}

// A w x h PNG of one colour (RGB), for the image and cover uploads.
function png(w, h, [r, g, b]) {
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(td) >>> 0);
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const row = Buffer.alloc(1 + w * 3);
  for (let x = 0; x < w; x++) row.set([r, g, b], 1 + x * 3);
  const raw = Buffer.concat(Array.from({ length: h }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// An <img> inside the locator has loaded (naturalWidth > 0).
async function imageLoaded(locator) {
  await locator.first().waitFor();
  await until(() => locator.first().evaluate((el) => el.complete && el.naturalWidth > 0), { message: 'image loaded' });
}

describe('news article review', () => {
  it('is written and submitted by a unit, returned with a comment, fixed, published and read on the portal', async () => {
    const title = `校企合作座谈会在石家庄召开（测试${stamp}）`;
    const tag = `校企合作${stamp}`;
    const comment = '请补充会议时间和参会单位。';

    // --- the unit admin writes the article -----------------------------------
    const ua = await signedIn('unitadmin');
    const me = (await api(ua, 'GET', '/me')).user;
    await expectText(ua.getByTestId('menu-group-news'), '信息发布');
    await ua.getByTestId('menu-news').click();
    await expectUrl(ua, (u) => u.pathname === '/console/news', 'articles URL');
    await ua.getByTestId('news-table').waitFor();
    assert.equal(await ua.getByTestId('menu-news-review').count(), 0, 'no review queue for a unit admin');
    await ua.getByTestId('news-create').click();
    await expectUrl(ua, (u) => u.pathname === '/console/news/new', 'editor URL');
    await ua.getByTestId('news-form').waitFor();

    await ua.getByTestId('news-form-kind-news').click();
    await field(ua, 'news-form-title').fill(title);
    await field(ua, 'news-form-summary').fill('联盟成员单位围绕校企合作开展交流。');
    const tags = ua.getByTestId('news-form-tags').locator('input');
    await tags.pressSequentially(tag);
    await tags.press('Enter');
    await expectText(ua.getByTestId('news-form-tags'), tag);
    await tags.press('Escape');
    await field(ua, 'news-form-body').fill('## 会议概况\n\n本次座谈会**圆满**召开，与会代表交流了经验。\n\n- 共建实训基地\n- 师资互聘');

    // The live preview beside the text.
    const preview = ua.getByTestId('news-form-preview');
    await expectText(preview.locator('h2'), '会议概况');
    await expectText(preview.locator('strong'), '圆满');
    await expectText(preview.locator('li').nth(1), '师资互聘');

    // 插入图片: the new article is saved as a draft first, then the image goes in at the cursor.
    await field(ua, 'news-form-body').evaluate((el) => el.setSelectionRange(el.value.indexOf('- 共建'), el.value.indexOf('- 共建')));
    await field(ua, 'news-form-body').blur();
    await ua.getByTestId('news-form-image-file').setInputFiles({ name: 'venue.png', mimeType: 'image/png', buffer: png(120, 80, [22, 99, 199]) });
    await expectUrl(ua, (u) => /^\/console\/news\/\d+\/edit$/.test(u.pathname), 'edit URL after the first save');
    const id = articleId(ua);
    await until(async () => /经验。\n\n!\[venue\]\(\/api\/v1\/articles\/\d+\/files\/\d+\)\n\n- 共建/.test(await field(ua, 'news-form-body').inputValue()), { message: 'image inserted at the cursor' });
    await imageLoaded(preview.locator('img'));

    // A cover image, shown as a thumbnail.
    await ua.getByTestId('news-form-cover-file').setInputFiles({ name: 'cover.png', mimeType: 'image/png', buffer: png(400, 240, [240, 160, 40]) });
    await imageLoaded(ua.getByTestId('news-form-cover-thumb'));
    await shot(ua, 'editor');

    await ua.getByTestId('news-form-submit').click();
    await expectUrl(ua, (u) => u.pathname === `/console/news/${id}`, 'article URL');
    await expectText(ua.getByTestId('news-article-status'), '待审核');
    let a = await api(ua, 'GET', `/articles/${id}`);
    assert.equal(a.status, 'submitted');
    assert.deepEqual(a.tags, [tag]);
    assert.equal(a.author_unit_id, me.unit_id);
    assert.ok(a.cover_url, 'the cover is set');

    // --- the secretariat returns it with a comment -----------------------------
    const sec = await signedIn('secretariat');
    await sec.getByTestId('menu-news-review').click();
    await expectUrl(sec, (u) => u.pathname === '/console/news/review', 'review URL');
    await expectText(sec.getByTestId(`review-link-${id}`), title);
    await shot(sec, 'review-queue');
    await sec.getByTestId(`review-open-${id}`).click();
    await expectUrl(sec, (u) => u.pathname === `/console/news/${id}` && u.searchParams.get('from') === 'review', 'article from the review');
    await sec.getByTestId('news-article-review-hint').waitFor();
    await expectText(sec.getByTestId('news-article-body').locator('h2'), '会议概况');
    await imageLoaded(sec.getByTestId('news-article-body').locator('img'));
    await sec.getByTestId('news-article-return').click();
    await sec.getByTestId('return-dialog').waitFor();
    await sec.getByTestId('return-submit').click();
    await expectText(sec.getByTestId('return-item-comment').locator('.el-form-item__error'), '请填写退回意见');
    assert.equal((await api(sec, 'GET', `/articles/${id}`)).status, 'submitted', 'an empty comment returns nothing');
    await field(sec, 'return-comment').fill(comment);
    await sec.getByTestId('return-submit').click();
    await sec.getByTestId('return-dialog').waitFor({ state: 'hidden' });
    await expectText(sec.getByTestId('news-article-status'), '已退回');

    // --- the unit admin sees the comment, fixes the text and submits again ------
    await ua.goto(`${env.server.url}/console/news`);
    await expectText(ua.getByTestId(`news-status-${id}`), '已退回');
    await ua.getByTestId(`news-edit-${id}`).click();
    await expectUrl(ua, (u) => u.pathname === `/console/news/${id}/edit`, 'edit URL');
    await expectText(ua.getByTestId('news-form-review-comment'), comment);
    await shot(ua, 'editor-returned');
    const body = await field(ua, 'news-form-body').inputValue();
    await field(ua, 'news-form-body').fill(`${body}\n\n会议时间：2026年12月1日；参会单位：12家成员单位。`);
    await expectText(ua.getByTestId('news-form-preview'), '参会单位：12家成员单位');
    await ua.getByTestId('news-form-submit').click();
    await expectUrl(ua, (u) => u.pathname === `/console/news/${id}`, 'article URL');
    await expectText(ua.getByTestId('news-article-status'), '待审核');

    // --- the secretariat publishes it -------------------------------------------
    await sec.getByTestId('menu-news-review').click();
    await sec.getByTestId(`review-open-${id}`).click();
    await expectText(sec.getByTestId('news-article-body'), '参会单位：12家成员单位');
    await sec.getByTestId('news-article-publish').click();
    await sec.getByTestId('publish-dialog').waitFor();
    await sec.getByTestId('publish-submit').click();
    await sec.getByTestId('publish-dialog').waitFor({ state: 'hidden' });
    await expectText(sec.getByTestId('news-article-status'), '已发布');
    a = await api(sec, 'GET', `/articles/${id}`);
    assert.equal(a.status, 'published');
    assert.ok(a.publish_at > 0);
    // One revision from the publication, in the drawer.
    await sec.getByTestId('news-article-revisions').click();
    await sec.getByTestId('revisions-drawer').waitFor();
    await expectText(sec.getByTestId(`revision-${a.revision}`), title);
    await shot(sec, 'article-published');
    await sec.keyboard.press('Escape');

    // --- an anonymous visitor reads it on the portal ------------------------------
    const anon = await pages.page();
    await anon.goto(`${env.server.url}/news`);
    await expectText(anon.getByTestId(`news-card-link-${id}`), title);
    await imageLoaded(anon.getByTestId(`news-card-${id}`).locator('img'));
    await expectText(anon.getByTestId(`news-tag-${tag}`), tag);
    await anon.getByTestId('news-tab-notice').click();
    await expectUrl(anon, (u) => u.searchParams.get('kind') === 'notice', 'notice tab');
    await until(async () => (await anon.getByTestId(`news-card-${id}`).count()) === 0, { message: 'a news article is not under 通知公告' });
    await anon.getByTestId('news-tab-all').click();
    await anon.getByTestId(`news-tag-${tag}`).click();
    await expectUrl(anon, (u) => u.searchParams.get('tag') === tag, 'tag filter');
    await expectText(anon.getByTestId(`news-card-link-${id}`), title);
    assert.equal(await anon.getByTestId('news-list').locator('[data-testid^="news-card-link-"]').count(), 1, 'only the tagged article');
    await shot(anon, 'portal-news');
    await anon.getByTestId(`news-card-link-${id}`).click();
    await expectUrl(anon, (u) => u.pathname === `/news/${id}`, 'portal article URL');
    await expectText(anon.getByTestId('portal-article-title'), title);
    await expectText(anon.getByTestId('portal-article-body').locator('h2'), '会议概况');
    await expectText(anon.getByTestId('portal-article-body'), '参会单位：12家成员单位');
    await imageLoaded(anon.getByTestId('portal-article-body').locator('img'));
    assert.equal(await anon.getByTestId('portal-article-body').locator('script').count(), 0);
    await expectText(anon.getByTestId('portal-article-unit'), a.author_unit_name);
    assert.equal(await anon.getByTestId('portal-article-feed').getAttribute('href'), '/api/v1/feeds/news');
    assert.equal(await anon.locator('head link[rel="alternate"][type="application/atom+xml"]').getAttribute('href'), '/api/v1/feeds/news');
    await shot(anon, 'portal-article');
    const feed = await apiCall(env.server.url, 'GET', '/api/v1/feeds/news');
    assert.equal(feed.status, 200);
    assert.ok(feed.text.includes(title), 'the article is in the Atom feed');

    // The home page lists it among the latest news.
    await anon.getByTestId('nav-home').click();
    await expectText(anon.getByTestId(`home-article-${id}`), title);
    await shot(anon, 'portal-home-latest');

    // Phone width: the portal list and article, and the editor.
    const phone = await pages.page({ width: 390, height: 844 });
    await phone.goto(`${env.server.url}/news`);
    await expectText(phone.getByTestId(`news-card-link-${id}`), title);
    await shot(phone, 'portal-news-phone');
    await phone.goto(`${env.server.url}/news/${id}`);
    await expectText(phone.getByTestId('portal-article-body'), '参会单位');
    await shot(phone, 'portal-article-phone');
    const uaPhone = await signedIn('unitadmin', { width: 390, height: 844 });
    await uaPhone.goto(`${env.server.url}/console/news/new`);
    await uaPhone.getByTestId('news-form').waitFor();
    await field(uaPhone, 'news-form-body').fill('## 预览\n\n手机上**切换**预览。');
    await uaPhone.getByTestId('news-form-body-mode-preview').click();
    await expectText(uaPhone.getByTestId('news-form-preview').locator('h2'), '预览');
    await shot(uaPhone, 'editor-phone');
  });
});

describe('notice read confirmation', () => {
  it('publishes a members-only notice, hides it from visitors, and records the unit admin\'s confirmation', async () => {
    const title = `关于报送2027年度培训计划的通知（测试${stamp}）`;
    const sec = await signedIn('secretariat');
    const ua = await signedIn('unitadmin');
    const me = (await api(ua, 'GET', '/me')).user;
    const unit = await api(sec, 'GET', `/units/${me.unit_id}`);

    // The secretariat writes and publishes the notice directly.
    await sec.goto(`${env.server.url}/console/news/new`);
    await sec.getByTestId('news-form').waitFor();
    await sec.getByTestId('news-form-kind-notice').click();
    await field(sec, 'news-form-title').fill(title);
    await sec.getByTestId('news-form-audience-members').click();
    await sec.getByTestId('news-form-needs_confirm').click();
    await field(sec, 'news-form-body').fill('各成员单位：\n\n请于**12月31日前**报送本单位2027年度培训计划。');
    await sec.getByTestId('news-form-publish').click();
    await sec.getByTestId('publish-dialog').waitFor();
    await sec.getByTestId('publish-submit').click();
    await expectUrl(sec, (u) => /^\/console\/news\/\d+$/.test(u.pathname), 'article URL');
    const id = articleId(sec);
    await expectText(sec.getByTestId('news-article-status'), '已发布');
    await expectText(sec.getByTestId('news-article-audience'), '全体成员');
    const a = await api(sec, 'GET', `/articles/${id}`);
    assert.equal(a.audience, 'members');
    assert.equal(a.needs_confirm, true);

    // Not for anonymous visitors: neither in the list nor by its address.
    const anon = await pages.page();
    await anon.goto(`${env.server.url}/news?kind=notice`);
    await anon.getByTestId('news-list').waitFor();
    await anon.waitForLoadState('networkidle');
    await until(async () => (await anon.getByTestId('news-list').locator('.el-loading-mask:visible').count()) === 0, { message: 'the list loaded' });
    assert.equal(await anon.getByTestId(`news-card-${id}`).count(), 0, 'the notice is hidden from visitors');
    const pub = await apiCall(env.server.url, 'GET', '/api/v1/articles?kind=notice&page_size=100');
    assert.ok(!pub.json.items.some((x) => x.id === id));
    await anon.goto(`${env.server.url}/news/${id}`);
    await anon.getByTestId('portal-article-missing').waitFor();

    // A signed-in member sees it on the portal too.
    await ua.goto(`${env.server.url}/news?kind=notice`);
    await expectText(ua.getByTestId(`news-card-link-${id}`), title);

    // The unit admin finds it among the received notices and confirms it.
    await ua.goto(`${env.server.url}/console/news`);
    await ua.getByTestId('news-scope-inbox').click();
    await expectUrl(ua, (u) => u.searchParams.get('scope') === 'inbox', 'inbox scope');
    await expectText(ua.getByTestId(`news-unconfirmed-${id}`), '待确认');
    await ua.getByTestId(`news-view-${id}`).click();
    await expectText(ua.getByTestId('news-article-body').locator('strong'), '12月31日前');
    await shot(ua, 'notice-confirm');
    await ua.getByTestId('news-article-confirm').click();
    await expectText(ua.getByTestId('news-article-confirmed'), '已确认');
    assert.equal((await api(ua, 'GET', `/articles/${id}`)).confirmed, true);
    await ua.goto(`${env.server.url}/console/news?scope=inbox`);
    await expectText(ua.getByTestId(`news-confirmed-${id}`), '已确认');

    // 回执情况: the unit is confirmed, with who and when; the others are pending.
    await sec.getByTestId('news-article-confirmations').click();
    await expectUrl(sec, (u) => u.pathname === `/console/news/${id}/confirmations`, 'confirmations URL');
    await expectText(sec.getByTestId(`confirmed-${me.unit_id}`), unit.name);
    await expectText(sec.getByTestId('confirmations-confirmed-count'), '1');
    const c = await api(sec, 'GET', `/articles/${id}/confirmations`);
    assert.equal(c.confirmed.length, 1);
    await expectText(sec.getByTestId('confirmations-pending-count'), String(c.pending.length));
    await expectText(sec.getByTestId('confirmations-progress-text'), `已确认 1 / ${c.pending.length + 1} 家`);
    assert.equal(await sec.getByTestId(`pending-${me.unit_id}`).count(), 0);
    await expectText(tableRows(sec, 'confirmations-confirmed').first(), me.display_name || me.username);
    await shot(sec, 'confirmations');
  });
});

describe('article import', () => {
  it('checks several files, shows titles and warnings, and imports them as drafts', async () => {
    const sec = await signedIn('secretariat');
    await sec.getByTestId('menu-news-import').click();
    await expectUrl(sec, (u) => u.pathname === '/console/news/import', 'import URL');
    await sec.getByTestId('news-import-kind-policy').click();
    const titles = [`职业技能等级认定办法（导入${stamp}）`, `技工院校评估指标（导入${stamp}）`];
    await sec.getByTestId('news-import-file').setInputFiles([
      { name: 'rules.md', mimeType: 'text/markdown', buffer: Buffer.from(`# ${titles[0]}\n\n第一条 为规范职业技能等级认定工作，制定本办法。\n`) },
      { name: 'index.html', mimeType: 'text/html', buffer: Buffer.from(`<!doctype html><html><head><meta charset="utf-8"><title>${titles[1]}</title></head><body><h1>${titles[1]}</h1><p>一、办学条件</p><ul><li>师资</li><li>设施</li></ul></body></html>`) },
    ]);
    await expectText(sec.getByTestId('news-import-count'), '已选择 2 个文件');
    await expectText(sec.getByTestId('news-import-state-0'), '可以导入');
    await expectText(sec.getByTestId('news-import-state-1'), '可以导入');
    await expectText(sec.getByTestId('news-import-title-0'), titles[0]);
    await expectText(sec.getByTestId('news-import-title-1'), titles[1]);
    await shot(sec, 'import-checked');
    const before = (await api(sec, 'GET', '/articles?mine=true&status=draft&kind=policy&page_size=1')).total;
    await sec.getByTestId('news-import-run').click();
    await expectText(sec.getByTestId('news-import-state-0'), '已导入');
    await expectText(sec.getByTestId('news-import-state-1'), '已导入');
    await sec.getByTestId('news-import-done').waitFor();
    const after = await api(sec, 'GET', '/articles?mine=true&status=draft&kind=policy&page_size=100');
    assert.equal(after.total, before + 2);
    for (const t of titles) assert.ok(after.items.some((x) => x.title === t), `draft ${t}`);
    await shot(sec, 'import-done');
    await sec.getByTestId('news-import-link-1').click();
    await expectUrl(sec, (u) => /^\/console\/news\/\d+\/edit$/.test(u.pathname), 'the imported draft');
    await expectText(sec.getByTestId('news-form-preview'), '师资');
  });
});

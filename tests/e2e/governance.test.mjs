// Governance in the console: a meeting with its check-in (the secretariat's
// screen, by hand, and a unit admin with the meeting's code), and a motion
// from its opening to the certified result, voted in 我的表决 by a unit
// admin for its own unit and for a unit that gave it its proxy.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { field, login, shot } from './harness.mjs';
import { browserSuite, choose, confirmOk, expectText, expectUrl, pageApi, tableRows, until } from './helpers.mjs';

const env = browserSuite();
const { pages } = env;

async function signedIn(username) {
  const page = await pages.page();
  await login(page, env.server, username);
  await page.getByTestId('dashboard').waitFor();
  return page;
}

async function api(page, method, path, body) {
  const r = await pageApi(page, env.server, method, `/api/v1${path}`, body);
  assert.ok(r.status < 300, `${method} ${path}: ${r.status} ${r.text}`);
  return r.json;
}

// The meeting id from a /console/governance/meetings/<id>... URL.
function meetingId(page) {
  return Number(new URL(page.url()).pathname.split('/')[4]);
}

describe('meeting check-in', () => {
  it('creates a meeting, invites every member unit, and checks units in by hand and with the code', async () => {
    const sec = await signedIn('secretariat');
    const ua = await signedIn('unitadmin');
    const myUnit = (await api(ua, 'GET', '/me')).user.unit_id;
    assert.ok(myUnit, 'unitadmin belongs to a unit');
    const active = (await api(sec, 'GET', '/units?status=active&page_size=1')).total;
    assert.ok(active > 2);

    // The menu group and the meetings list.
    await expectText(sec.getByTestId('menu-group-governance'), '联盟治理');
    await sec.getByTestId('menu-meetings').click();
    await expectUrl(sec, (u) => u.pathname === '/console/governance/meetings', 'meetings URL');
    await sec.getByTestId('meetings-table').waitFor();

    // Create: a required field left out is refused under its item.
    const title = `联盟预备会议（测试${Date.now() % 100000}）`;
    await sec.getByTestId('meetings-create').click();
    await sec.getByTestId('meeting-dialog').waitFor();
    await choose(sec, 'meeting-form-kind', 'meeting-form-kind-preparatory');
    await sec.getByTestId('meeting-form-submit').click();
    await expectText(sec.getByTestId('meeting-form-item-title').locator('.el-form-item__error'), /\S/);
    await field(sec, 'meeting-form-title').fill(title);
    await field(sec, 'meeting-form-starts_at').fill('2026-12-20 09:30');
    await field(sec, 'meeting-form-starts_at').press('Enter');
    await field(sec, 'meeting-form-place').fill('石家庄市技师学院报告厅');
    await sec.getByTestId('meeting-form-submit').click();
    await expectUrl(sec, (u) => /^\/console\/governance\/meetings\/\d+$/.test(u.pathname), 'meeting detail URL');
    const id = meetingId(sec);
    await expectText(sec.getByTestId('meeting-title'), title);
    await expectText(sec.getByTestId('meeting-status'), '筹备中');
    const m = await api(sec, 'GET', `/meetings/${id}`);
    assert.equal(m.starts_at, '2026-12-20 09:30');
    assert.equal(m.kind, 'preparatory');

    // An agenda item.
    await field(sec, 'agenda-form-title').fill('审议联盟章程（草案）');
    await sec.getByTestId('agenda-add').click();
    await expectText(sec.getByTestId('agenda-list'), '审议联盟章程（草案）');

    // Invite every active member unit at once.
    await sec.getByTestId('meeting-tab-attendees').click();
    await expectUrl(sec, (u) => u.searchParams.get('tab') === 'attendees', 'attendees tab in the URL');
    await sec.getByTestId('attendees-invite-members').click();
    await confirmOk(sec);
    await expectText(sec.getByTestId('attendees-total'), `共 ${active} 条`);
    await expectText(sec.getByTestId('meeting-present'), '0');
    await expectText(sec.getByTestId('meeting-quorum'), `/ ${active}`);
    await expectText(sec.getByTestId('meeting-quorate'), '未达法定人数');
    await shot(sec, 'meeting-attendees');

    // The check-in screen shows the code in large letters and the counts.
    await sec.getByTestId('meeting-screen').click();
    await expectUrl(sec, (u) => u.pathname === `/console/governance/meetings/${id}/check-in`, 'check-in screen URL');
    const code = await expectText(sec.getByTestId('checkin-code'), /^[0-9A-Z]{4,}$/);
    assert.equal(code, m.checkin_code);
    await expectText(sec.getByTestId('checkin-present'), '0');
    await expectText(sec.getByTestId('checkin-members'), String(active));
    await expectText(sec.getByTestId('checkin-quorum'), '未达法定人数');
    await expectText(sec.getByTestId('checkin-url'), `/console/governance/meetings/${id}/check-in-self?code=${code}`);
    // The QR code (of the same address) is drawn and loaded.
    const qr = sec.getByTestId('checkin-qr');
    await qr.waitFor();
    const img = await qr.evaluate((el) => ({ src: el.src.slice(0, 22), w: el.naturalWidth, complete: el.complete }));
    assert.equal(img.src, 'data:image/png;base64,');
    assert.ok(img.complete && img.w >= 200, `the QR code image loaded (${img.w}px)`);
    const fontSize = await sec.getByTestId('checkin-code').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    assert.ok(fontSize >= 56, `the code is large (${fontSize}px)`);
    await shot(sec, 'checkin-screen');

    // Check one other unit in by hand.
    const attendees = (await api(sec, 'GET', `/meetings/${id}/attendees?page_size=100`)).items;
    const other = attendees.find((a) => a.unit_id && a.unit_id !== myUnit);
    const mine = attendees.find((a) => a.unit_id === myUnit);
    assert.ok(other && mine);
    await sec.getByTestId('checkin-back').click();
    await sec.getByTestId('meeting-detail').waitFor();
    await sec.getByTestId('meeting-tab-attendees').click();
    await field(sec, 'attendees-search').fill(other.unit_name);
    await field(sec, 'attendees-search').press('Enter');
    await expectText(sec.getByTestId(`attendee-state-${other.id}`), '未签到');
    await sec.getByTestId(`attendee-checkin-${other.id}`).click();
    await expectText(sec.getByTestId(`attendee-state-${other.id}`), '已签到');
    await expectText(sec.getByTestId('meeting-present'), '1');
    await sec.getByTestId(`attendee-undo-${other.id}`).waitFor();

    // The unit admin checks itself in with the code: a wrong code first.
    await ua.goto(`${env.server.url}/console/governance/meetings/${id}/check-in-self?code=ZZZZZZ`);
    await expectText(ua.getByTestId('self-checkin-title'), title);
    assert.equal(await field(ua, 'self-checkin-code').inputValue(), 'ZZZZZZ');
    await ua.getByTestId('self-checkin-submit').click();
    await expectText(ua.getByTestId('self-checkin-item-code').locator('.el-form-item__error'), /\S/);
    await shot(ua, 'self-checkin-wrong-code');
    await ua.goto(`${env.server.url}/console/governance/meetings/${id}/check-in-self?code=${code}`);
    assert.equal(await field(ua, 'self-checkin-code').inputValue(), code);
    await ua.getByTestId('self-checkin-submit').click();
    await expectText(ua.getByTestId('self-checkin-done'), '已签到');
    await shot(ua, 'self-checkin-done');
    const after = (await api(sec, 'GET', `/meetings/${id}/attendees?checked_in=true&page_size=100`)).items;
    assert.deepEqual(after.map((a) => a.id).sort((a, b) => a - b), [other.id, mine.id].sort((a, b) => a - b));

    // The screen follows within a few seconds.
    await sec.getByTestId('meeting-screen').click();
    await expectText(sec.getByTestId('checkin-present'), '2', { timeout: 8000 });
    await expectText(sec.getByTestId('checkin-names'), other.unit_name);
    await expectText(sec.getByTestId('checkin-more'), String((await api(sec, 'GET', `/meetings/${id}`)).quorum.needed - 2));
    await shot(sec, 'checkin-screen-two');

    // The unit admin's view of the meeting: checked in, no code shown.
    await ua.goto(`${env.server.url}/console/governance/meetings/${id}`);
    await expectText(ua.getByTestId('meeting-me-state'), '已签到');
    assert.equal(await ua.getByTestId('meeting-checkin-code').count(), 0);
  });
});

describe('motion vote', () => {
  it('opens an ordinary motion, takes the unit admin\'s votes (own and by proxy), closes and certifies it', async () => {
    const sec = await signedIn('secretariat');
    const ua = await signedIn('unitadmin');
    const myUnit = (await api(ua, 'GET', '/me')).user.unit_id;

    // A council meeting of two units: the unit admin's, checked in, and
    // another one that will give it its proxy.
    const meeting = await api(sec, 'POST', '/meetings', { kind: 'council', title: `理事会会议（测试${Date.now() % 100000}）`, starts_at: '2026-12-21 14:00' });
    const units = (await api(sec, 'GET', '/units?status=active&page_size=5&sort=name')).items.filter((u) => u.id !== myUnit);
    const own = await api(sec, 'POST', `/meetings/${meeting.id}/attendees`, { unit_id: myUnit });
    const absent = await api(sec, 'POST', `/meetings/${meeting.id}/attendees`, { unit_id: units[0].id });
    await api(sec, 'POST', `/meetings/${meeting.id}/attendees/${own.id}/check-in`);

    // The secretariat records the proxy in the attendees tab.
    await sec.goto(`${env.server.url}/console/governance/meetings/${meeting.id}?tab=attendees`);
    await expectText(sec.getByTestId(`attendee-state-${own.id}`), '已签到');
    await sec.getByTestId(`attendee-proxy-${absent.id}`).click();
    await sec.getByTestId('proxy-dialog').waitFor();
    await choose(sec, 'proxy-to', `proxy-to-${own.id}`);
    await sec.getByTestId('proxy-submit').click();
    await sec.getByTestId('proxy-dialog').waitFor({ state: 'hidden' });
    await expectText(sec.getByTestId(`attendee-proxy-to-${absent.id}`), `委托 ${own.unit_name}`);
    await expectText(sec.getByTestId(`attendee-holds-${own.id}`), '受托 1 家');
    await expectText(sec.getByTestId('meeting-quorate'), '已达法定人数');

    // Open the meeting, then table and open a motion.
    await sec.getByTestId('meeting-open').click();
    await confirmOk(sec);
    await expectText(sec.getByTestId('meeting-status'), '进行中');
    await sec.getByTestId('meeting-tab-motions').click();
    await sec.getByTestId('motions-create').click();
    await sec.getByTestId('motion-dialog').waitFor();
    await field(sec, 'motion-form-title').fill('关于2027年度工作计划的议案');
    await field(sec, 'motion-form-body').fill('请审议联盟 2027 年度工作计划。\n\n- 师资共享\n- 共建实训基地');
    await choose(sec, 'motion-form-kind', 'motion-form-kind-ordinary');
    await sec.getByTestId('motion-form-ballot-open').click();
    await sec.getByTestId('motion-form-submit').click();
    await sec.getByTestId('motion-dialog').waitFor({ state: 'hidden' });
    await expectText(sec.getByTestId('motion-title'), '关于2027年度工作计划的议案');
    await expectText(sec.getByTestId('motion-status'), '待表决');
    const motionId = Number(new URL(sec.url()).searchParams.get('motion'));
    assert.ok(motionId > 0, 'the new motion is selected in the URL');
    await sec.getByTestId('motion-open').click();
    await sec.getByTestId('motion-open-dialog').waitFor();
    await sec.getByTestId('motion-open-confirm').click();
    await expectText(sec.getByTestId('motion-status'), '表决中');
    await expectText(sec.getByTestId('motion-tally-cast'), '0');
    await sec.getByTestId('motion-tally-chart').locator('canvas').waitFor();

    // The unit admin votes 赞成 for its own unit and for the one it holds.
    await ua.getByTestId('menu-ballots').click();
    await expectUrl(ua, (u) => u.pathname === '/console/governance/ballots', 'ballots URL');
    const card = ua.getByTestId(`ballot-${motionId}`);
    await expectText(card, '关于2027年度工作计划的议案');
    await ua.getByTestId(`ballot-${motionId}-attendee-${absent.id}`).waitFor();
    await expectText(ua.getByTestId(`ballot-${motionId}-${absent.id}-proxy`), '受托');
    assert.equal(await ua.getByTestId(`ballot-${motionId}-${own.id}-proxy`).count(), 0);
    await shot(ua, 'my-ballots');
    for (const aid of [own.id, absent.id]) {
      await ua.getByTestId(`ballot-${motionId}-${aid}-yes`).click();
      await ua.getByTestId(`ballot-${motionId}-${aid}-submit`).click();
      await ua.getByTestId('ballot-confirm-dialog').waitFor();
      await expectText(ua.getByTestId('ballot-confirm-summary'), '赞成');
      await ua.getByTestId('ballot-confirm-ok').click();
      await ua.getByTestId('ballot-confirm-dialog').waitFor({ state: 'hidden' });
      await expectText(ua.getByTestId(`ballot-${motionId}-${aid}-voted`), '已投票');
    }
    await shot(ua, 'my-ballots-voted');

    // The secretariat's live tally follows (polled every 2 s).
    await expectText(sec.getByTestId('motion-tally-cast'), '2', { timeout: 8000 });
    await expectText(sec.getByTestId('motion-tally-yes'), '2');
    await expectText(sec.getByTestId('motion-tally-no'), '0');
    await shot(sec, 'motion-live-tally');

    // Close, certify, and read the result and the resolution.
    await sec.getByTestId('motion-close').click();
    await confirmOk(sec);
    await expectText(sec.getByTestId('motion-status'), '已截止');
    await sec.getByTestId('motion-certify').click();
    await confirmOk(sec);
    await expectText(sec.getByTestId('motion-status'), '已确认');
    const results = sec.getByTestId('motion-results-table');
    await expectText(tableRows(sec, 'motion-results-table').first(), '通过');
    const cells = await tableRows(sec, 'motion-results-table').first().locator('td').allInnerTexts();
    assert.deepEqual(cells.slice(0, 5).map((c) => c.trim()), ['2', '2', '2', '0', '0']);
    await expectText(results, '超过实到的 1/2');
    const number = await expectText(sec.getByTestId('motion-resolution-link'), /决/);
    await shot(sec, 'motion-certified');
    const motion = await api(sec, 'GET', `/motions/${motionId}`);
    assert.equal(motion.status, 'certified');
    assert.equal(motion.resolution.number, number);

    await sec.getByTestId('motion-resolution-link').click();
    await expectUrl(sec, (u) => u.pathname === `/console/governance/resolutions/${motion.resolution.id}`, 'resolution URL');
    await expectText(sec.getByTestId('resolution-number'), number);
    await expectText(tableRows(sec, 'resolution-results').first(), '通过');
    await shot(sec, 'resolution');

    // No more ballots for the unit admin.
    await ua.getByTestId('ballots-refresh').click();
    await until(async () => (await ua.getByTestId(`ballot-${motionId}`).count()) === 0, { message: 'the motion leaves 我的表决' });
  });
});

describe('charter versions', () => {
  it('drafts a charter, shows its Markdown safely, derives a revision and compares the two', async () => {
    const sec = await signedIn('secretariat');
    await sec.getByTestId('menu-charter').click();
    await expectUrl(sec, (u) => u.pathname === '/console/governance/charter', 'charter URL');
    await sec.getByTestId('charter-table').waitFor();

    const body = [
      '# 第一章 总则',
      '',
      '**第一条** 本联盟名称为京津冀及周边技工教育联盟。',
      '',
      '第二条 本联盟的宗旨：',
      '- 共享师资',
      '- 共建基地',
      '',
      '<img src=x onerror="window.__pwned=1">',
    ].join('\n');
    await sec.getByTestId('charter-create').click();
    await sec.getByTestId('charter-form').waitFor();
    await field(sec, 'charter-form-title').fill('联盟章程（草案）');
    await field(sec, 'charter-form-body').fill(body);
    await field(sec, 'charter-form-note').fill('初稿');
    await sec.getByTestId('charter-form-preview-toggle').click();
    await expectText(sec.getByTestId('charter-form-preview').locator('h2'), '第一章 总则');
    await sec.getByTestId('charter-form-submit').click();
    await expectUrl(sec, (u) => /^\/console\/governance\/charter\/\d+$/.test(u.pathname), 'version URL');
    const first = Number(new URL(sec.url()).pathname.split('/').pop());
    await expectText(sec.getByTestId('charter-version-status'), '草案');
    const rendered = sec.getByTestId('charter-version-body');
    await expectText(rendered.locator('h2'), '第一章 总则');
    await expectText(rendered.locator('strong'), '第一条');
    assert.equal(await rendered.locator('li').count(), 2);
    // Raw HTML in the source is shown as text, never as an element.
    await expectText(rendered, '<img src=x onerror="window.__pwned=1">');
    assert.equal(await rendered.locator('img').count(), 0);
    assert.equal(await sec.evaluate(() => window.__pwned), undefined);
    await shot(sec, 'charter-version');

    // A revision based on it: one line changed.
    await sec.getByTestId('charter-version-derive').click();
    await sec.getByTestId('charter-form').waitFor();
    await expectText(sec.getByTestId('charter-form-based-on'), `#${first}`);
    assert.equal(await field(sec, 'charter-form-body').inputValue(), body);
    await field(sec, 'charter-form-title').fill('联盟章程（修订草案）');
    await field(sec, 'charter-form-body').fill(body.replace('- 共建基地', '- 共建实训基地\n- 共评技能'));
    await sec.getByTestId('charter-form-submit').click();
    await expectUrl(sec, (u) => /^\/console\/governance\/charter\/\d+$/.test(u.pathname) && !u.pathname.endsWith(`/${first}`), 'second version URL');
    const second = Number(new URL(sec.url()).pathname.split('/').pop());

    await sec.getByTestId('charter-version-compare').click();
    await expectUrl(sec, (u) => u.pathname === '/console/governance/charter/diff' && u.searchParams.get('from') === String(first) && u.searchParams.get('to') === String(second), 'diff URL');
    await expectText(sec.getByTestId('charter-diff-added'), '新增 2 行');
    await expectText(sec.getByTestId('charter-diff-deleted'), '删除 1 行');
    const lines = sec.getByTestId('charter-diff-lines');
    await expectText(lines.locator('[data-op="del"]'), '- 共建基地');
    assert.equal(await lines.locator('[data-op="add"]').count(), 2);
    const bg = await lines.locator('[data-op="add"]').first().evaluate((el) => getComputedStyle(el).backgroundColor);
    assert.notEqual(bg, 'rgba(0, 0, 0, 0)', 'added lines are coloured');
    await shot(sec, 'charter-diff');

    // Both drafts are listed with their status.
    await sec.getByTestId('charter-diff-back').click();
    await expectText(sec.getByTestId(`charter-status-${first}`), '草案');
    await expectText(sec.getByTestId(`charter-status-${second}`), '草案');
  });
});

describe('election and charter adoption', () => {
  it('elects the first council and adopts the charter, which the portal then shows', async () => {
    const sec = await signedIn('secretariat');
    const ua = await signedIn('unitadmin');
    const myUnit = (await api(ua, 'GET', '/me')).user.unit_id;
    const myUnitName = (await api(ua, 'GET', `/units/${myUnit}`)).name;
    const other = (await api(sec, 'GET', '/units?status=active&page_size=5&sort=name')).items.find((u) => u.id !== myUnit);

    // The next council term, created in the bodies page (the demo has had
    // its first since 2023); starting this January it becomes the current one.
    const year = new Date().getFullYear();
    const before = (await api(sec, 'GET', '/terms?body=council&page_size=100')).items;
    const number = before.reduce((n, x) => Math.max(n, x.number), 0) + 1;
    const ordinal = `第${'一二三四五六七八九十'[number - 1]}届理事会`;
    await sec.getByTestId('menu-bodies').click();
    await expectUrl(sec, (u) => u.pathname === '/console/governance/bodies', 'bodies URL');
    await sec.getByTestId('terms-table').waitFor();
    await sec.getByTestId('terms-create').click();
    await sec.getByTestId('term-dialog').waitFor();
    await choose(sec, 'term-form-body', 'term-form-body-council');
    await expectText(sec.getByTestId('term-form-item-number'), ordinal);
    await field(sec, 'term-form-starts_on').fill(`${year}-01-01`);
    await field(sec, 'term-form-starts_on').press('Enter');
    await field(sec, 'term-form-ends_on').fill(`${year + 4}-12-31`);
    await field(sec, 'term-form-ends_on').press('Enter');
    await sec.getByTestId('term-form-submit').click();
    await sec.getByTestId('term-dialog').waitFor({ state: 'hidden' });
    await expectText(tableRows(sec, 'terms-table').first(), ordinal);
    const term = (await api(sec, 'GET', '/terms?body=council')).items.find((x) => x.number === number);
    assert.ok(term && term.current, 'the new term is the current one');

    // A charter draft and a meeting of the unit admin's unit alone.
    const version = await api(sec, 'POST', '/charter/versions', { title: '京津冀及周边技工教育联盟章程', body: '# 第一章 总则\n\n第一条 本联盟为非营利性合作组织。' });
    const meeting = await api(sec, 'POST', '/meetings', { kind: 'general_assembly', title: '联盟成立大会（测试）', starts_at: '2026-12-28 09:00' });
    const own = await api(sec, 'POST', `/meetings/${meeting.id}/attendees`, { unit_id: myUnit });
    await api(sec, 'POST', `/meetings/${meeting.id}/attendees/${own.id}/check-in`);
    await api(sec, 'PATCH', `/meetings/${meeting.id}`, { status: 'open' });

    // The election motion with its candidates, tabled in the console.
    await sec.goto(`${env.server.url}/console/governance/meetings/${meeting.id}?tab=motions`);
    await sec.getByTestId('motions-create').click();
    await sec.getByTestId('motion-dialog').waitFor();
    await field(sec, 'motion-form-title').fill('选举第一届理事会');
    await choose(sec, 'motion-form-kind', 'motion-form-kind-election');
    await choose(sec, 'motion-form-term', `motion-form-term-${term.id}`);
    await sec.getByTestId('motion-form-per_item').click();
    for (const [i, unit, position] of [[0, { id: myUnit, name: myUnitName }, 'chair'], [1, other, 'director']]) {
      await sec.getByTestId('motion-form-candidate-add').click();
      await choose(sec, `motion-form-candidate-${i}-position`, `motion-form-candidate-${i}-position-${position}`);
      await sec.getByTestId(`motion-form-candidate-${i}-unit`).click();
      await sec.getByTestId(`motion-form-candidate-${i}-unit`).locator('input').fill(unit.name.slice(0, 6));
      await sec.getByTestId(`motion-form-candidate-${i}-unit-option-${unit.id}`).click();
    }
    await shot(sec, 'motion-dialog-election');
    await sec.getByTestId('motion-form-submit').click();
    await sec.getByTestId('motion-dialog').waitFor({ state: 'hidden' });
    await expectText(sec.getByTestId('motion-items-table'), '理事长');
    await expectText(sec.getByTestId('motion-items-table'), other.name);
    const election = Number(new URL(sec.url()).searchParams.get('motion'));
    const charterMotion = await api(sec, 'POST', `/meetings/${meeting.id}/motions`, { title: '审议通过联盟章程', kind: 'charter', charter_version_id: version.id, ballot: 'secret' });
    for (const mid of [election, charterMotion.id]) await api(sec, 'POST', `/motions/${mid}/open`, {});

    // The unit admin votes: per candidate on the election, and on the
    // secret charter ballot (with its note).
    await ua.goto(`${env.server.url}/console/governance/ballots`);
    const items = (await api(sec, 'GET', `/motions/${election}`)).items;
    for (const it of items) await ua.getByTestId(`ballot-${election}-${own.id}-item-${it.id}-yes`).click();
    await expectText(ua.getByTestId(`ballot-${charterMotion.id}-secret-note`), '本议案为无记名投票，任何人均无法看到您的选择');
    await shot(ua, 'my-ballots-election');
    await ua.getByTestId(`ballot-${election}-${own.id}-submit`).click();
    await expectText(ua.getByTestId('ballot-confirm-summary'), '理事长');
    await ua.getByTestId('ballot-confirm-ok').click();
    await expectText(ua.getByTestId(`ballot-${election}-${own.id}-voted`), '已投票');
    await ua.getByTestId(`ballot-${charterMotion.id}-${own.id}-yes`).click();
    await ua.getByTestId(`ballot-${charterMotion.id}-${own.id}-submit`).click();
    await ua.getByTestId('ballot-confirm-ok').click();
    await expectText(ua.getByTestId(`ballot-${charterMotion.id}-${own.id}-voted`), '已投票');

    // A secret ballot shows only the number cast while open.
    await sec.reload();
    await sec.getByTestId(`motion-card-${charterMotion.id}`).click();
    await expectText(sec.getByTestId('motion-tally-cast'), '1', { timeout: 8000 });
    await sec.getByTestId('motion-tally-secret').waitFor();
    assert.equal(await sec.getByTestId('motion-tally-yes').count(), 0);
    await shot(sec, 'motion-secret-tally');

    for (const mid of [election, charterMotion.id]) {
      await api(sec, 'POST', `/motions/${mid}/close`);
      await api(sec, 'POST', `/motions/${mid}/certify`);
    }
    await sec.getByTestId(`motion-card-${election}`).click();
    await expectText(sec.getByTestId('motion-status'), '已确认');
    assert.equal(await tableRows(sec, 'motion-results-table').count(), 2);
    await expectText(sec.getByTestId('motion-results-table'), '理事长');
    await shot(sec, 'motion-election-certified');

    // The council in the console: positions, and the letter for the secretariat.
    await sec.goto(`${env.server.url}/console/governance/bodies`);
    await expectText(sec.getByTestId('body-council-title'), ordinal);
    await expectText(sec.getByTestId('holders-council-chair'), myUnitName);
    await expectText(sec.getByTestId('holders-council-director'), other.name);
    const bodies = await api(sec, 'GET', '/bodies');
    const chair = bodies.council.appointments.find((a) => a.position === 'chair');
    const link = sec.getByTestId(`appointment-letter-${chair.id}`);
    assert.equal(await link.getAttribute('href'), `/api/v1/appointments/${chair.id}/letter`);
    const pdf = await pageApi(sec, env.server, 'GET', `/api/v1/appointments/${chair.id}/letter`);
    assert.equal(pdf.status, 200);
    assert.match(pdf.headers['content-type'], /application\/pdf/);
    await shot(sec, 'bodies');
    // The unit admin sees its own unit's letter only.
    await ua.goto(`${env.server.url}/console/governance/bodies`);
    await ua.getByTestId(`appointment-letter-${chair.id}`).waitFor();
    const director = bodies.council.appointments.find((a) => a.position === 'director');
    assert.equal(await ua.getByTestId(`appointment-letter-${director.id}`).count(), 0);

    // The public portal: the charter in force, the council, and the letter check.
    const visitor = await pages.page();
    await visitor.goto(`${env.server.url}/`);
    await expectText(visitor.getByTestId('governance-council'), myUnitName);
    await visitor.getByTestId('nav-charter').click();
    await expectText(visitor.getByTestId('portal-charter-title'), '京津冀及周边技工教育联盟章程');
    await expectText(visitor.getByTestId('portal-charter-body').locator('h2'), '第一章 总则');
    await expectText(visitor.getByTestId('portal-charter-meta'), '技联决');
    await shot(visitor, 'portal-charter');
    await visitor.getByTestId('nav-council').click();
    await expectText(visitor.getByTestId('portal-body-term'), ordinal);
    await expectText(visitor.getByTestId('portal-holders-chair'), myUnitName);
    assert.equal(await visitor.locator('[data-testid^="appointment-letter-"]').count(), 0);
    await shot(visitor, 'portal-council');
    await visitor.getByTestId('portal-body-verify').click();
    await field(visitor, 'verify-code').fill('NOSUCHCODE22');
    await visitor.getByTestId('verify-submit').click();
    await expectText(visitor.getByTestId('verify-missing'), '未找到该聘书');
    await expectUrl(visitor, (u) => u.pathname === '/verify' && u.searchParams.get('code') === 'NOSUCHCODE22', 'verify URL');
  });
});

describe('work plan', () => {
  it('adds a task for a unit, shows it overdue, and takes the unit admin\'s progress report', async () => {
    const sec = await signedIn('secretariat');
    const ua = await signedIn('unitadmin');
    const myUnit = (await api(ua, 'GET', '/me')).user.unit_id;
    const myUnitName = (await api(ua, 'GET', `/units/${myUnit}`)).name;
    const year = new Date().getFullYear();

    await sec.getByTestId('menu-plan').click();
    await expectUrl(sec, (u) => u.pathname === '/console/governance/plan', 'plan URL');
    await expectText(sec.getByTestId('plan-page').locator('h1'), `${year} 年度工作计划`);
    await sec.getByTestId('plan-create').click();
    await sec.getByTestId('task-dialog').waitFor();
    await field(sec, 'task-form-title').fill('编制联盟师资共享目录');
    await field(sec, 'task-form-deadline').fill(`${year}-01-02`);
    await field(sec, 'task-form-deadline').press('Enter');
    await sec.getByTestId('task-form-owner').click();
    await sec.getByTestId('task-form-owner').locator('input').fill(myUnitName.slice(0, 6));
    await sec.getByTestId(`task-form-owner-option-${myUnit}`).click();
    await sec.getByTestId('task-form-submit').click();
    await sec.getByTestId('task-dialog').waitFor({ state: 'hidden' });
    const task = (await api(sec, 'GET', `/plan/tasks?year=${year}`)).items.find((x) => x.title === '编制联盟师资共享目录');
    assert.ok(task);
    const today = new Date();
    if (today.getMonth() > 0 || today.getDate() > 2) await expectText(sec.getByTestId(`task-overdue-${task.id}`), '已逾期');

    // The unit admin reports progress on its own task.
    await ua.goto(`${env.server.url}/console/governance/plan`);
    await ua.getByTestId(`task-update-${task.id}`).click();
    await ua.getByTestId('update-form').waitFor();
    await field(ua, 'update-form-percent').fill('60');
    await field(ua, 'update-form-note').fill('已收集 36 家单位的师资信息。');
    await ua.getByTestId('update-form-submit').click();
    await expectText(ua.getByTestId('task-updates'), '已收集 36 家单位的师资信息。');
    await expectText(ua.getByTestId(`task-progress-${task.id}`), '60%');
    assert.equal(await ua.getByTestId(`task-progress-${task.id}`).getAttribute('aria-valuenow'), '60');
    await shot(ua, 'plan-task-drawer');
    assert.equal(await ua.getByTestId('plan-create').count(), 0);

    // The secretariat's summary by unit.
    await sec.getByTestId('plan-tab-summary').click();
    await expectUrl(sec, (u) => u.searchParams.get('tab') === 'summary', 'summary tab in the URL');
    await expectText(sec.getByTestId('plan-summary-table'), myUnitName);
    await sec.getByTestId('plan-summary-chart').locator('canvas').waitFor();
    await shot(sec, 'plan-summary');
  });
});

// Placement in the console (docs/placement.md): a whole matching round —
// an enterprise posts a position, the secretariat publishes it and puts it
// in a new round with two demo positions, the student orders her choices
// (drag and drop, buttons; a refused item shows its error beside it), the
// enterprise ranks its applicants, the secretariat runs the matching (job
// progress, stable) and publishes, the student reads why she got her second
// choice and accepts, the enterprise sees the acceptance, and the fairness
// report shows. Then student activation with a one-time code, the
// employment figures with their XLSX export, and field errors on the
// position form.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { field, login, shot } from './harness.mjs';
import { browserSuite, choose, confirmOk, expectText, expectUrl, pageApi, tableRows, until } from './helpers.mjs';

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

// The record id at `index` of the URL path (/console/placement/<what>/<id>).
function idFrom(page, index = 4) {
  return Number(new URL(page.url()).pathname.split('/')[index]);
}

// Local "YYYY-MM-DD HH:mm" `days` from now (the browser and node share the zone).
function localTime(days) {
  const d = new Date(Date.now() + days * 86400000);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

// The data-testid suffixes of a sortable list's items, in their order.
async function listOrder(page, testid) {
  return page.getByTestId(testid).locator(`[data-testid^="${testid}-item-"]`).evaluateAll(
    (els, prefix) => els.map((e) => Number(e.getAttribute('data-testid').slice(prefix.length))),
    `${testid}-item-`,
  );
}

// A published demo position by its title.
async function demoPosition(page, title) {
  const d = await api(page, 'GET', `/positions?q=${encodeURIComponent(title)}&page_size=50`);
  const p = d.items.find((x) => x.title === title);
  assert.ok(p, `demo position ${title}`);
  return p;
}

describe('placement', () => {
  it('runs a whole matching round through the console', async () => {
    const title = `汽车维修技术员（测试${stamp}）`;
    const roundName = `2026届秋季补充双选（测试${stamp}）`;

    // --- the recruiter posts a position and submits it -------------------------
    const hr = await signedIn('recruiter');
    await expectText(hr.getByTestId('menu-group-placement'), '校企合作');
    assert.equal(await hr.getByTestId('menu-students').count(), 0, 'no students menu for an enterprise');
    await hr.getByTestId('menu-positions').click();
    await expectUrl(hr, (u) => u.pathname === '/console/placement/positions', 'positions URL');
    await hr.getByTestId('positions-table').waitFor();
    await hr.getByTestId('positions-create').click();
    await hr.getByTestId('position-form').waitFor();
    await hr.getByTestId('position-form-kind-job').click();
    await field(hr, 'position-form-title').fill(title);
    await field(hr, 'position-form-occupation').fill('汽车维修工');
    await choose(hr, 'position-form-region-province', 'position-form-region-province-130000');
    await choose(hr, 'position-form-region-city', 'position-form-region-city-130100');
    await field(hr, 'position-form-seats').fill('2');
    await field(hr, 'position-form-majors').fill('汽车维修');
    await field(hr, 'position-form-majors').press('Enter');
    await choose(hr, 'position-form-min_level', 'position-form-min_level-4');
    await field(hr, 'position-form-certificate').fill('职业技能等级证书');
    await field(hr, 'position-form-pay_min').fill('4500');
    await field(hr, 'position-form-pay_max').fill('6500');
    await field(hr, 'position-form-starts_on').fill('2027-03-01');
    await field(hr, 'position-form-starts_on').press('Enter');
    await field(hr, 'position-form-ends_on').fill('2027-12-31');
    await field(hr, 'position-form-ends_on').press('Enter');
    await field(hr, 'position-form-description').fill('负责乘用车维护保养与故障诊断，师傅带教。');
    await shot(hr, 'position-form');
    await hr.getByTestId('position-form-submit').click();
    await expectUrl(hr, (u) => /^\/console\/placement\/positions\/\d+$/.test(u.pathname), 'position URL');
    const pid = idFrom(hr);
    await expectText(hr.getByTestId('position-status'), '待审核');
    await expectText(hr.getByTestId('position-field-min_level'), '四级/中级工');
    let pos = await api(hr, 'GET', `/positions/${pid}`);
    assert.equal(pos.status, 'submitted');
    assert.deepEqual(pos.majors, ['汽车维修']);
    assert.equal(pos.seats, 2);

    // --- the secretariat publishes it from the review queue ---------------------
    const sec = await signedIn('secretariat');
    await sec.getByTestId('menu-position-review').click();
    await expectUrl(sec, (u) => u.pathname === '/console/placement/review', 'review URL');
    await expectText(sec.getByTestId(`position-review-link-${pid}`), title);
    await shot(sec, 'review-queue');
    await sec.getByTestId(`position-review-publish-${pid}`).click();
    await confirmOk(sec);
    await until(async () => (await sec.getByTestId(`position-review-link-${pid}`).count()) === 0, { message: 'published position leaves the queue' });
    pos = await api(sec, 'GET', `/positions/${pid}`);
    assert.equal(pos.status, 'published');

    // --- the secretariat makes a round with it and two demo positions -----------
    const scoreDemo = await demoPosition(sec, '数控加工操作工'); // she does not meet it
    const manualDemo = await demoPosition(sec, '整车质量检验实习');
    await sec.getByTestId('menu-rounds').click();
    await sec.getByTestId('rounds-table').waitFor();
    await sec.getByTestId('rounds-create').click();
    await sec.getByTestId('round-dialog').waitFor();
    await field(sec, 'round-form-name').fill(roundName);
    await field(sec, 'round-form-choices_deadline').fill(localTime(3));
    await field(sec, 'round-form-choices_deadline').press('Enter');
    await field(sec, 'round-form-answer_deadline').fill(localTime(10));
    await field(sec, 'round-form-answer_deadline').press('Enter');
    await field(sec, 'round-form-max_choices').fill('5');
    await sec.getByTestId('round-form-submit').click();
    await expectUrl(sec, (u) => /^\/console\/placement\/rounds\/\d+$/.test(u.pathname), 'round URL');
    const rid = idFrom(sec);
    await expectText(sec.getByTestId('round-name'), roundName);
    await expectText(sec.getByTestId('round-status'), '草稿');

    for (const p of [{ id: pid, title }, scoreDemo, manualDemo]) {
      await sec.getByTestId('round-pos-add').click();
      await sec.getByTestId('round-pos-add').locator('input').fill(p.title.slice(0, 6));
      await sec.getByTestId(`round-pos-add-option-${p.id}`).click();
      await expectText(sec.getByTestId(`round-pos-title-${p.id}`), p.title);
    }
    await sec.getByTestId(`round-pos-rule-${scoreDemo.id}-score`).click();
    await field(sec, `round-pos-w_level-${scoreDemo.id}`).fill('10');
    await sec.getByTestId('round-pos-save').click();
    await expectText(sec.locator('.el-message').first(), '岗位列表已保存');
    let rp = await api(sec, 'GET', `/rounds/${rid}/positions`);
    assert.deepEqual(rp.items.map((i) => i.position_id).sort((a, b) => a - b), [pid, scoreDemo.id, manualDemo.id].sort((a, b) => a - b));
    assert.equal(rp.items.find((i) => i.position_id === scoreDemo.id).rule, 'score');
    assert.equal(rp.items.find((i) => i.position_id === pid).rule, 'manual');
    await shot(sec, 'round-positions');
    await sec.getByTestId('round-open').click();
    await confirmOk(sec);
    await expectText(sec.getByTestId('round-status'), '填报志愿中');

    // --- the student orders her choices ----------------------------------------
    const stu = await signedIn('student');
    const me = await api(stu, 'GET', '/me/student');
    await stu.getByTestId('menu-my-choices').click();
    await expectUrl(stu, (u) => u.pathname === '/console/placement/choices', 'choices URL');
    await stu.getByTestId('choices-countdown').waitFor();
    if (await stu.getByTestId('choices-round').count()) await choose(stu, 'choices-round', `choices-round-${rid}`);
    await expectText(stu.getByTestId('choices-round-name'), roundName);
    await expectText(stu.getByTestId('choices-countdown'), '距截止还有');
    // Requirement badges: she (汽车维修, level 4) does not meet 数控加工操作工.
    await expectText(stu.getByTestId(`choices-pos-reqs-${scoreDemo.id}-major`), '专业不符合');
    await expectText(stu.getByTestId(`choices-pos-reqs-${pid}-major`), '专业符合');
    for (const id of [pid, scoreDemo.id, manualDemo.id]) await stu.getByTestId(`choices-add-${id}`).click();
    assert.deepEqual(await listOrder(stu, 'choices-list'), [pid, scoreDemo.id, manualDemo.id]);
    // Drag 数控加工操作工 onto the first place.
    await stu.getByTestId(`choices-list-item-${scoreDemo.id}`).dragTo(stu.getByTestId(`choices-list-item-${pid}`));
    await until(async () => JSON.stringify(await listOrder(stu, 'choices-list')) === JSON.stringify([scoreDemo.id, pid, manualDemo.id]), { message: 'order after the drag' });
    // The buttons: up and down again.
    await stu.getByTestId(`choices-list-up-${manualDemo.id}`).click();
    assert.deepEqual(await listOrder(stu, 'choices-list'), [scoreDemo.id, manualDemo.id, pid]);
    await stu.getByTestId(`choices-list-down-${manualDemo.id}`).click();
    assert.deepEqual(await listOrder(stu, 'choices-list'), [scoreDemo.id, pid, manualDemo.id]);
    await expectText(stu.getByTestId(`choices-list-place-${pid}`), '2');
    await stu.getByTestId('choices-dirty').waitFor();

    // A refused item: the request is changed on its way to name a position
    // twice; the server's positions.1 error shows beside the second item.
    await stu.route('**/api/v1/rounds/*/choices/mine', async (route) => {
      const req = route.request();
      if (req.method() !== 'PUT') return route.continue();
      const body = JSON.parse(req.postData());
      body.positions[1] = body.positions[0];
      return route.continue({ postData: JSON.stringify(body) });
    });
    await stu.getByTestId('choices-save').click();
    await expectText(stu.getByTestId(`choices-list-error-${pid}`), /\S/);
    assert.equal(await stu.getByTestId(`choices-list-error-${scoreDemo.id}`).count(), 0, 'no error on the first item');
    await shot(stu, 'choices-item-error');
    await stu.unroute('**/api/v1/rounds/*/choices/mine');
    assert.equal((await api(stu, 'GET', `/rounds/${rid}/choices/mine`)).items.length, 0, 'nothing saved');

    await stu.getByTestId('choices-save').click();
    await expectText(stu.locator('.el-message').first(), '志愿已保存');
    await until(async () => (await stu.getByTestId('choices-dirty').count()) === 0, { message: 'saved' });
    assert.equal(await stu.getByTestId(`choices-list-error-${pid}`).count(), 0);
    const mine = await api(stu, 'GET', `/rounds/${rid}/choices/mine`);
    assert.deepEqual(mine.items.sort((a, b) => a.place - b.place).map((c) => c.position_id), [scoreDemo.id, pid, manualDemo.id]);
    assert.equal(mine.items.find((c) => c.position_id === scoreDemo.id).meets, false);
    await shot(stu, 'choices-saved');

    // --- the secretariat closes the choices --------------------------------------
    await sec.reload();
    await sec.getByTestId('round-close-choices').click();
    await confirmOk(sec);
    await expectText(sec.getByTestId('round-status'), '企业排序中');

    // --- the recruiter ranks the applicants of her position ----------------------
    await hr.getByTestId('menu-recruit').click();
    await expectUrl(hr, (u) => u.pathname === '/console/placement/recruit', 'recruit URL');
    await hr.getByTestId('recruit-round').waitFor();
    await choose(hr, 'recruit-round', `recruit-round-${rid}`);
    await hr.getByTestId(`recruit-pos-${pid}`).click();
    await expectText(hr.getByTestId('ranking-title'), title);
    await expectText(hr.getByTestId(`ranking-name-${me.id}`), me.name);
    assert.ok(await hr.getByTestId(`ranking-ok-${me.id}`).locator('input').isChecked(), 'acceptable by default');
    await field(hr, `ranking-interview-${me.id}`).fill('88');
    await field(hr, `ranking-interview-${me.id}`).press('Tab');
    await hr.getByTestId('ranking-save').click();
    await expectText(hr.locator('.el-message').first(), '排序已保存');
    const applicants = await api(hr, 'GET', `/rounds/${rid}/positions/${pid}/applicants`);
    const her = applicants.items.find((a) => a.student_id === me.id);
    assert.ok(her && her.rank !== null && her.rank !== undefined, 'she is ranked');
    assert.equal(her.interview_score, 88);
    await shot(hr, 'ranking');

    // --- the secretariat runs the matching and publishes --------------------------
    await sec.reload();
    await sec.getByTestId('round-run').click();
    await confirmOk(sec);
    await sec.getByTestId('round-run-job').waitFor();
    await expectText(sec.getByTestId('round-run-state'), '已完成', { timeout: 30000 });
    await expectText(sec.getByTestId('round-run-progress'), '100%');
    await expectText(sec.getByTestId('round-stable'), '稳定：已验证');
    await expectText(sec.getByTestId('round-status'), '已匹配');
    const round = await api(sec, 'GET', `/rounds/${rid}`);
    assert.equal(round.stats.stable, true);
    assert.ok(round.stats.placed >= 1);
    await expectText(sec.getByTestId('round-stat-placed'), String(round.stats.placed));
    await shot(sec, 'round-run');
    await sec.getByTestId('round-tab-results').click();
    await expectText(sec.getByTestId(`round-result-status-${me.id}`), '已录取待确认');
    await sec.getByTestId('round-publish').click();
    await confirmOk(sec);
    await expectText(sec.getByTestId('round-status'), '已公布');

    // --- the student reads her result and accepts -------------------------------
    await stu.getByTestId('menu-my-result').click();
    await expectUrl(stu, (u) => u.pathname === '/console/placement/result', 'result URL');
    await stu.getByTestId('result-round-name').waitFor();
    if (await stu.getByTestId('result-round').count()) await choose(stu, 'result-round', `result-round-${rid}`);
    await expectText(stu.getByTestId('result-round-name'), roundName);
    await expectText(stu.getByTestId('result-status'), '已录取待确认');
    await expectText(stu.getByTestId('result-position'), title);
    await expectText(stu.getByTestId('result-place'), '第 2 志愿');
    await expectText(stu.getByTestId('result-explanation-1'), scoreDemo.title);
    await expectText(stu.getByTestId('result-explanation-1'), /第一志愿.*\S/);
    await expectText(stu.getByTestId('result-countdown'), '距截止还有');
    await shot(stu, 'result-offered');
    await stu.getByTestId('result-accept').click();
    await confirmOk(stu);
    await expectText(stu.getByTestId('result-status'), '已接受');
    assert.equal((await api(stu, 'GET', `/rounds/${rid}/results/mine`)).status, 'accepted');
    assert.equal(await stu.getByTestId('result-accept').count(), 0);

    // --- the recruiter sees her as accepted -------------------------------------
    await hr.goto(`${env.server.url}/console/placement/recruit?round=${rid}&position=${pid}`);
    await expectText(hr.getByTestId(`recruit-placed-${me.id}`), me.name);
    await expectText(hr.getByTestId(`recruit-placed-status-${me.id}`), '已接受');
    await shot(hr, 'recruit-placed');

    // --- the fairness report ---------------------------------------------------
    await sec.getByTestId('round-tab-fairness').click();
    await expectUrl(sec, (u) => u.searchParams.get('tab') === 'fairness', 'fairness tab');
    await sec.getByTestId('fairness-table').waitFor();
    await until(async () => (await tableRows(sec, 'fairness-table').count()) >= 2, { message: 'fairness rows' });
    await expectText(sec.getByTestId('fairness-total'), '合计');
    await sec.getByTestId('fairness-chart').locator('canvas').waitFor();
    await sec.getByTestId('fairness-by-major').click();
    await expectText(sec.getByTestId('fairness-table'), '汽车维修');
    await shot(sec, 'fairness');

    // --- closing the round, and a second round with the seats left ----------------
    await sec.getByTestId('round-close').click();
    await confirmOk(sec);
    await expectText(sec.getByTestId('round-status'), '已结束');
    await sec.getByTestId('round-second').click();
    await sec.getByTestId('round-dialog').waitFor();
    assert.equal(await field(sec, 'round-form-name').inputValue(), `${roundName}（第二轮）`);
    await field(sec, 'round-form-choices_deadline').fill(localTime(12));
    await field(sec, 'round-form-choices_deadline').press('Enter');
    await field(sec, 'round-form-answer_deadline').fill(localTime(20));
    await field(sec, 'round-form-answer_deadline').press('Enter');
    await sec.getByTestId('round-form-submit').click();
    await expectUrl(sec, (u) => /^\/console\/placement\/rounds\/\d+$/.test(u.pathname) && idFrom(sec) !== rid, 'second round URL');
    await expectText(sec.getByTestId('round-status'), '草稿');
    const second = await api(sec, 'GET', `/rounds/${idFrom(sec)}`);
    assert.equal(second.parent_id, rid);
    const left = (await api(sec, 'GET', `/rounds/${second.id}/positions`)).items.find((i) => i.position_id === pid);
    assert.equal(left && left.seats, 1, 'one seat of the position is left');
    await expectText(sec.getByTestId(`round-pos-title-${pid}`), title);
  });

  it('activates a student account with a one-time code', async () => {
    const no = `2027${stamp}`;
    const name = `测试学生${stamp}`;
    const username = `stu${stamp}`;
    const password = `Jl-${stamp}-activate!`;

    // --- the school creates the student and issues a code -----------------------
    const ua = await signedIn('unitadmin');
    await ua.getByTestId('menu-students').click();
    await expectUrl(ua, (u) => u.pathname === '/console/placement/students', 'students URL');
    await until(async () => (await ua.getByTestId('menu-positions').count()) === 0, { message: 'no positions menu for a school' });
    await ua.getByTestId('students-create').click();
    await ua.getByTestId('student-form').waitFor();
    await field(ua, 'student-form-student_no').fill(no);
    await field(ua, 'student-form-name').fill(name);
    await field(ua, 'student-form-major').fill('汽车维修');
    await field(ua, 'student-form-year').fill('2027');
    await choose(ua, 'student-form-skill_level', 'student-form-skill_level-5');
    await field(ua, 'student-form-certificates').fill('汽车维修工五级');
    await field(ua, 'student-form-certificates').press('Enter');
    await ua.getByTestId('student-form-submit').click();
    await expectUrl(ua, (u) => u.pathname === '/console/placement/students', 'back to the list');
    await field(ua, 'students-search').fill(no);
    await field(ua, 'students-search').press('Enter');
    await expectUrl(ua, (u) => u.searchParams.get('q') === no, 'search URL');
    await until(async () => (await tableRows(ua, 'students-table').count()) === 1, { message: 'one student found' });
    const sid = (await api(ua, 'GET', `/students?q=${no}`)).items[0].id;
    await expectText(ua.getByTestId(`student-name-${sid}`), name);
    await expectText(ua.getByTestId(`student-activated-${sid}`), '未激活');
    await ua.getByTestId(`student-code-${sid}`).click();
    await confirmOk(ua);
    await ua.getByTestId('activation-dialog').waitFor();
    const code = await field(ua, 'activation-value').inputValue();
    assert.ok(code.length >= 6, `an activation code (${code})`);
    await ua.getByTestId('activation-copy').click();
    await shot(ua, 'activation-code');
    await ua.getByTestId('activation-close').click();
    await ua.getByTestId('activation-dialog').waitFor({ state: 'hidden' });

    // --- the student activates in a fresh browser -----------------------------
    const fresh = await pages.page();
    await fresh.goto(`${env.server.url}/console/login`);
    await fresh.getByTestId('login-activate-link').click();
    await expectUrl(fresh, (u) => u.pathname === '/activate', 'activation URL');
    await fresh.getByTestId('activate-page').waitFor();
    // A wrong code is refused under its field.
    await field(fresh, 'activate-code').fill('WRONG-CODE-000');
    await field(fresh, 'activate-username').fill(username);
    await field(fresh, 'activate-password').fill(password);
    await field(fresh, 'activate-password2').fill(password);
    await fresh.getByTestId('activate-submit').click();
    await expectText(fresh.getByTestId('activate-item-code').locator('.el-form-item__error'), /\S/);
    // Passwords that differ are caught before sending.
    await field(fresh, 'activate-code').fill(code);
    await field(fresh, 'activate-password2').fill(`${password}x`);
    await fresh.getByTestId('activate-submit').click();
    await expectText(fresh.getByTestId('activate-item-password2').locator('.el-form-item__error'), '两次输入的密码不一致');
    await field(fresh, 'activate-password2').fill(password);
    await shot(fresh, 'activate');
    await fresh.getByTestId('activate-submit').click();
    await fresh.getByTestId('dashboard').waitFor();
    await expectUrl(fresh, (u) => u.pathname === '/console/', 'signed in');
    const who = await api(fresh, 'GET', '/me');
    assert.equal(who.user.username, username);
    assert.equal(who.user.role, 'student');
    await fresh.getByTestId('menu-my-profile').click();
    await expectText(fresh.getByTestId('profile-name'), name);
    await expectText(fresh.getByTestId('profile-major'), '汽车维修');
    await shot(fresh, 'student-profile');

    // The school's list shows the account as activated; the code is spent.
    await ua.reload();
    await expectText(ua.getByTestId(`student-activated-${sid}`), '已激活');
    assert.equal(await ua.getByTestId(`student-code-${sid}`).count(), 0);
  });

  it('shows the employment figures and exports them as XLSX', async () => {
    const sec = await signedIn('secretariat');
    await sec.getByTestId('menu-employment').click();
    await expectUrl(sec, (u) => u.pathname === '/console/placement/employment', 'employment URL');
    const totals = await api(sec, 'GET', '/outcomes/stats?by=school');
    assert.ok(totals.total.graduates > 0, 'demo outcomes');
    await expectText(sec.getByTestId('employment-total-graduates'), String(totals.total.graduates));
    await expectText(sec.getByTestId('employment-total-rate'), /^\d+\.\d%/);
    await sec.getByTestId('employment-chart-rates').locator('canvas').waitFor();
    await sec.getByTestId('employment-chart-statuses').locator('canvas').waitFor();
    await until(async () => (await tableRows(sec, 'employment-table').count()) === totals.items.length + 1, { message: 'a row per school and the total' });
    await expectText(sec.getByTestId(`employment-row-${totals.items[0].key}`), totals.items[0].name);
    await shot(sec, 'employment-school');

    // By major, then one year only.
    await sec.getByTestId('employment-by-major').click();
    await expectUrl(sec, (u) => u.searchParams.get('by') === 'major', 'by major');
    const byMajor = await api(sec, 'GET', '/outcomes/stats?by=major');
    await expectText(sec.getByTestId(`employment-row-${byMajor.items[0].key}`), byMajor.items[0].name);
    const years = (await api(sec, 'GET', '/outcomes/stats?by=year')).items.map((i) => i.key);
    await choose(sec, 'employment-year', `employment-year-${years[0]}`);
    await expectUrl(sec, (u) => u.searchParams.get('year') === String(years[0]), 'year filter');
    const oneYear = await api(sec, 'GET', `/outcomes/stats?by=major&year=${years[0]}`);
    await expectText(sec.getByTestId('employment-total-graduates'), String(oneYear.total.graduates));
    await shot(sec, 'employment-major-year');

    // 导出 XLSX: the link carries the grouping and the year.
    const href = await sec.getByTestId('employment-export-xlsx').getAttribute('href');
    const q = new URL(href, env.server.url).searchParams;
    assert.equal(q.get('format'), 'xlsx');
    assert.equal(q.get('by'), 'major');
    assert.equal(q.get('year'), String(years[0]));
    const [download] = await Promise.all([sec.waitForEvent('download'), sec.getByTestId('employment-export-xlsx').click()]);
    const file = await download.path();
    const bytes = fs.readFileSync(file);
    assert.ok(bytes.length > 100, 'a workbook');
    assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK', 'an XLSX (ZIP) file');
  });

  it('takes an application outside rounds, and imports students and outcomes', async () => {
    // --- the student applies to a published position of the recruiter --------
    const hr = await signedIn('recruiter');
    const target = (await api(hr, 'GET', '/positions?mine=true&status=published')).items.find((p) => p.status === 'published');
    assert.ok(target, 'a published position of the recruiter');
    const stu = await signedIn('student');
    const me = await api(stu, 'GET', '/me/student');
    await stu.getByTestId('menu-browse').click();
    await expectUrl(stu, (u) => u.pathname === '/console/placement/browse', 'browse URL');
    await field(stu, 'browse-search').fill(target.title);
    await field(stu, 'browse-search').press('Enter');
    await expectText(stu.getByTestId(`browse-link-${target.id}`), target.title);
    const majorMet = target.majors.length === 0 || target.majors.includes(me.major);
    if (target.majors.length) assert.equal(await stu.getByTestId(`browse-reqs-${target.id}-major`).getAttribute('data-met'), majorMet ? 'yes' : 'no');
    await stu.getByTestId(`browse-apply-${target.id}`).click();
    await stu.getByTestId('apply-dialog').waitFor();
    await field(stu, 'apply-note').fill('我对设备点检很感兴趣，暑期可以全职实习。');
    await stu.getByTestId('apply-submit').click();
    await stu.getByTestId('apply-dialog').waitFor({ state: 'hidden' });
    await expectText(stu.getByTestId(`browse-apply-${target.id}`), '已申请');
    await shot(stu, 'browse-applied');
    const app = (await api(stu, 'GET', '/job-applications')).items.find((a) => a.position_id === target.id);
    assert.equal(app.status, 'applied');

    // --- the recruiter accepts it --------------------------------------------
    await hr.goto(`${env.server.url}/console/placement/positions/${target.id}?tab=applicants`);
    await expectText(hr.getByTestId(`applicant-status-${app.id}`), '待处理');
    await hr.getByTestId(`applicant-accept-${app.id}`).click();
    await hr.getByTestId('decide-dialog').waitFor();
    await field(hr, 'decide-comment').fill('欢迎，请于下周一来面谈。');
    await hr.getByTestId('decide-submit').click();
    await hr.getByTestId('decide-dialog').waitFor({ state: 'hidden' });
    await expectText(hr.getByTestId(`applicant-status-${app.id}`), '已通过');
    await shot(hr, 'applicants');

    // --- the student sees the answer -----------------------------------------
    await stu.getByTestId('menu-my-applications').click();
    await expectText(stu.getByTestId(`my-application-status-${app.id}`), '已通过');
    await expectText(stu.getByTestId('my-applications-table'), '欢迎，请于下周一来面谈。');

    // --- the school imports students: a bad file is refused row by row --------
    const ua = await signedIn('unitadmin');
    await ua.goto(`${env.server.url}/console/placement/students`);
    await ua.getByTestId('students-import').click();
    await expectUrl(ua, (u) => u.pathname === '/console/placement/students/import', 'import URL');
    const header = 'student_no,name,major,year,skill_level,certificates,awards,award_points,school_score,cities';
    const no = `2028${stamp}`;
    const bad = `${header}\n${no},导入学生甲,数控加工技术,2028,4,数控车工四级,,0,80,130100\n${no}9,,数控加工技术,2028,9,,,0,180,130100\n`;
    await ua.getByTestId('students-import-file').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    await ua.getByTestId('students-import-check').click();
    await ua.getByTestId('students-import-dirty').waitFor();
    await until(async () => (await tableRows(ua, 'students-import-errors').count()) >= 2, { message: 'errors by row and field' });
    await expectText(ua.getByTestId('students-import-errors'), '技能等级');
    assert.equal(await ua.getByTestId('students-import-run').count(), 0, 'no import with errors');
    await shot(ua, 'students-import-errors');
    const good = `${header}\n${no},导入学生甲,数控加工技术,2028,4,数控车工四级,省赛三等奖,10,80,130100;130200\n`;
    await ua.getByTestId('students-import-file').setInputFiles({ name: 'good.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
    await ua.getByTestId('students-import-check').click();
    await ua.getByTestId('students-import-clean').waitFor();
    await expectText(ua.getByTestId('students-import-valid'), '1');
    await ua.getByTestId('students-import-run').click();
    await expectText(ua.getByTestId('students-import-done'), '新增 1 条');
    const imported = (await api(ua, 'GET', `/students?q=${no}`)).items[0];
    assert.equal(imported.name, '导入学生甲');
    assert.deepEqual(imported.cities, ['130100', '130200']);

    // --- and enters her outcome --------------------------------------------
    await ua.goto(`${env.server.url}/console/placement/outcomes?q=${no}`);
    await expectText(ua.getByTestId(`outcome-name-${imported.id}`), '导入学生甲');
    await expectText(ua.getByTestId(`outcome-status-${imported.id}`), '未填报');
    await ua.getByTestId(`outcome-edit-${imported.id}`).click();
    await ua.getByTestId('outcome-dialog').waitFor();
    await ua.getByTestId('outcome-form-status-employed_in_field').click();
    await field(ua, 'outcome-form-employer').fill('中车唐山机车车辆有限公司');
    await ua.getByTestId('outcome-form-city').click();
    await ua.getByTestId('outcome-form-city').locator('input').fill('唐山');
    await ua.getByTestId('outcome-form-city-option-130200').click();
    await choose(ua, 'outcome-form-salary_band', 'outcome-form-salary_band-5k_8k');
    await shot(ua, 'outcome-dialog');
    await ua.getByTestId('outcome-form-submit').click();
    await ua.getByTestId('outcome-dialog').waitFor({ state: 'hidden' });
    await expectText(ua.getByTestId(`outcome-status-${imported.id}`), '对口就业');
    const row = (await api(ua, 'GET', `/outcomes?q=${no}`)).items[0];
    assert.equal(row.city, '130200');
    assert.equal(row.salary_band, '5k_8k');
  });

  it('shows the server field errors on the position form', async () => {
    const hr = await signedIn('recruiter');
    await hr.goto(`${env.server.url}/console/placement/positions/new`);
    await hr.getByTestId('position-form').waitFor();
    await field(hr, 'position-form-title').fill(`校验测试岗位${stamp}`);
    await choose(hr, 'position-form-region-province', 'position-form-region-province-130000');
    await choose(hr, 'position-form-region-city', 'position-form-region-city-130100');

    // pay_min > pay_max is caught here, under 月薪上限, without a request.
    await field(hr, 'position-form-pay_min').fill('8000');
    await field(hr, 'position-form-pay_max').fill('5000');
    await field(hr, 'position-form-pay_max').press('Tab');
    await hr.getByTestId('position-form-save').click();
    await expectText(hr.getByTestId('position-form-item-pay_max').locator('.el-form-item__error'), '月薪下限不能高于上限');
    await field(hr, 'position-form-pay_max').fill('9000');
    await field(hr, 'position-form-pay_max').press('Tab');

    // seats 0 goes to the server; its message shows under 名额.
    await field(hr, 'position-form-seats').fill('0');
    await field(hr, 'position-form-seats').press('Tab');
    const [res] = await Promise.all([
      hr.waitForResponse((r) => r.url().endsWith('/api/v1/positions') && r.request().method() === 'POST'),
      hr.getByTestId('position-form-save').click(),
    ]);
    assert.equal(res.status(), 400);
    const body = await res.json();
    assert.ok(body.error.fields.seats, 'the server names seats');
    await expectText(hr.getByTestId('position-form-item-seats').locator('.el-form-item__error'), body.error.fields.seats);
    assert.equal(await hr.getByTestId('position-form-item-title').locator('.el-form-item__error').count(), 0);
    await expectUrl(hr, (u) => u.pathname === '/console/placement/positions/new', 'still on the form');
    await shot(hr, 'position-form-errors');

    // Fixed, it saves as a draft.
    await field(hr, 'position-form-seats').fill('3');
    await field(hr, 'position-form-seats').press('Tab');
    await hr.getByTestId('position-form-save').click();
    await expectUrl(hr, (u) => /^\/console\/placement\/positions\/\d+$/.test(u.pathname), 'position URL');
    await expectText(hr.getByTestId('position-status'), '草稿');
  });
});

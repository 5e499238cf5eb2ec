import { startServer, launchBrowser, newPage, shot, login, field } from './harness.mjs';
const s = await startServer();
const b = await launchBrowser();
const p = await newPage(b);
try {
  await login(p, s, 'secretariat');
  await p.getByTestId('dashboard').waitFor({ timeout: 5000 });
  console.log('dashboard ok', await p.getByTestId('user-menu').innerText());
  await p.goto(s.url + '/console/units');
  await p.getByTestId('units-table').locator('tbody tr').first().waitFor();
  for (const id of ['units-filter-kind', 'units-search', 'units-total', 'units-pagination'])
    console.log(id, (await p.evaluate((id) => document.querySelector(`[data-testid=${id}]`)?.outerHTML, id))?.slice(0, 300));
  await p.getByTestId('units-filter-kind').click();
  console.log((await p.evaluate(() => document.querySelector(`[data-testid=units-filter-kind-enterprise]`)?.outerHTML))?.slice(0, 300));
  await p.goto(s.url + '/console/units/new');
  await p.getByTestId('unit-form').waitFor();
  for (const id of ['unit-form-kind', 'unit-form-province', 'unit-form-joined', 'unit-form-intro', 'unit-form-item-uscc'])
    console.log(id, (await p.evaluate((id) => document.querySelector(`[data-testid=${id}]`)?.outerHTML, id))?.slice(0, 300));
} catch (e) { console.log('ERR', e.message.slice(0, 500)); }
console.log(p.problems);
await b.close(); await s.stop();

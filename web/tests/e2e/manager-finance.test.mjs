/**
 * Journey 1 (finance) in headless Chromium: Morgan Manager (manager@demo) picks Sunset Ridge, walks the associations
 * to the unit that owes the most, its owners of record, its balance and open charges; the delinquency view's buckets
 * add up to its units and match `accounting/report/v1/arAging`; and an AP invoice the test creates (small: under the
 * manager's limit) is approved from the payables queue (one call for both queues; the invoice names its vendor and
 * each line's account and fund), a stale second tab then being told the API's refusal. Every page: at most 3 API
 * calls, nothing serious for axe-core, usable at 375 px.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import {
	apiAs,
	chooseOrganization,
	fitsWidth,
	launch,
	logIn,
	noSeriousViolations,
	open,
	rpcCallsOf,
	screenshot
} from './support.mjs';

const ORG = 'sunset-ridge-hoa';
const ASSOCIATION = 'Sunset Ridge Homeowners Association';
const dollars = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
const money = (amount) => dollars.format(Number(amount));
/** "$1,205.00" (or "-$5.00") as cents. */
const cents = (text) => Math.round(Number(text.replace(/[$,\s]/g, '')) * 100);
const isoDay = (offset = 0) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

let browser;
let api;
let association;
before(async () => {
	browser = await launch();
	api = await apiAs('manager', ORG);
	const list = await api.call('association/v1/list', { limit: 200 });
	association = list.items.find((a) => a.name === ASSOCIATION);
	assert.ok(association, 'Sunset Ridge is one of the organization associations');
});
after(async () => {
	await browser?.close();
});

/** The page's calls on a full load of `path`, at most `most` (3); then axe-core and 375 px. Answers the calls. */
async function checkPage(page, path, ready, where = path, most = 3) {
	const calls = await rpcCallsOf(page, path, ready);
	assert.ok(calls.length <= most, `${where}: ${calls.length} calls (${calls.join(', ')})`);
	await noSeriousViolations(page, where);
	await page.setViewportSize({ width: 375, height: 800 });
	await fitsWidth(page, where);
	await page.setViewportSize({ width: 1280, height: 800 });
	return calls;
}

async function signIn() {
	const page = await open(browser);
	await logIn(page, 'manager');
	await chooseOrganization(page, ASSOCIATION);
	return page;
}

const section = (page, label) => page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: label });

test('associations → the unit that owes the most → its owners, balance and open charges', async () => {
	const aging = await api.call('accounting/report/v1/arAging', { association_id: association.id });
	const owing = [...aging.rows].sort((a, b) => Number(b.total) - Number(a.total))[0];
	assert.ok(owing, 'some unit of Sunset Ridge owes something (demo data)');
	const unitName = `Unit ${owing.unit_number}`;

	const page = await signIn();
	await section(page, 'Associations').click();
	await page.waitForURL((url) => url.pathname === '/manage/associations');
	const row = page.getByRole('row').filter({ hasText: ASSOCIATION });
	await row.waitFor();
	assert.match(await row.innerText(), /ACTIVE/);
	await checkPage(page, '/manage/associations', (p) => p.getByRole('link', { name: ASSOCIATION }));

	await page.getByRole('link', { name: ASSOCIATION }).click();
	await page.waitForURL((url) => url.pathname === `/manage/associations/${association.id}`);
	await page.getByRole('heading', { name: ASSOCIATION, level: 1 }).waitFor();
	await page.getByLabel('Unit number').fill(owing.unit_number);
	const unitRow = page.getByRole('row').filter({ has: page.getByRole('link', { name: unitName, exact: true }) });
	await unitRow.waitFor();
	const unitText = await unitRow.innerText();
	assert.ok(unitText.includes(money(owing.total)), 'the unit row says what it owes');
	const { owner_names: ownerNames } = await api.call('unit/v1/get', { id: owing.unit_id });
	assert.ok(ownerNames.length > 0, 'the unit has an owner of record (demo data)');
	for (const name of ownerNames) assert.ok(unitText.includes(name), `the unit row names its owner ${name}`);
	await checkPage(page, `/manage/associations/${association.id}`, (p) => p.getByLabel('Unit number'),
		'/manage/associations/<id>');

	await page.getByLabel('Unit number').fill(owing.unit_number);
	await page.getByRole('link', { name: unitName, exact: true }).click();
	await page.waitForURL((url) => url.pathname === `/manage/units/${owing.unit_id}`);
	await page.getByRole('heading', { name: unitName, level: 1 }).waitFor();
	const [owners, balance] = await Promise.all([
		api.call('ownership/v1/listByUnit', { unit_id: owing.unit_id }),
		api.call('accounting/assessment/v1/getUnitBalance', { unit_id: owing.unit_id })
	]);
	const ownersText = await page.getByRole('region', { name: 'Owners of record' }).innerText();
	for (const owner of owners.items) assert.ok(ownersText.includes(owner.party_name), owner.party_name);
	assert.equal(await page.getByTestId('balance').innerText(), money(balance.balance));
	await checkPage(page, `/manage/units/${owing.unit_id}`, (p) => p.getByTestId('balance'), '/manage/units/<id>');

	await page.getByRole('link', { name: `Charges and payments of unit ${owing.unit_number}` }).click();
	await page.waitForURL((url) => url.pathname === `/manage/units/${owing.unit_id}/account`);
	const open = page.getByRole('region', { name: 'Open charges' });
	await open.getByRole('table').waitFor();
	const charges = await api.call('accounting/assessment/v1/listCharges', {
		unit_id: owing.unit_id,
		open_only: true,
		limit: 200
	});
	assert.equal(await open.locator('tbody tr').count(), charges.items.length);
	assert.ok((await open.innerText()).includes(charges.items[0].description));
	await page.getByRole('region', { name: 'Recent payments' }).waitFor();
	await checkPage(page, `/manage/units/${owing.unit_id}/account`, (p) => p.getByRole('region', { name: 'Open charges' }),
		'/manage/units/<id>/account');
	page.assertNoErrors();
	await page.context().close();
});

test('delinquency: the buckets add up to the units listed, as the API ages them', async () => {
	const page = await signIn();
	await section(page, 'Delinquency').click();
	await page.waitForURL((url) => url.pathname === '/manage/delinquency');

	/** The page's figures against arAging's, asked right after the page showed them. */
	async function matchesApi(minDays) {
		const units = page.getByTestId('delinquent-units');
		await units.waitFor();
		const totals = await units.locator('tbody tr td:nth-child(6)').allInnerTexts();
		const shown = cents(await page.getByTestId('aging-total').innerText());
		assert.equal(totals.reduce((sum, t) => sum + cents(t), 0), shown, 'the units add up to the total');
		const aging = await api.call('accounting/report/v1/arAging', {
			association_id: association.id,
			min_days_past_due: minDays
		});
		assert.equal(shown, cents(money(aging.totals.total)), 'the total is the API aging total');
		assert.equal(totals.length, aging.rows.length);
		const buckets = await page.getByTestId('buckets').locator('tbody tr td:nth-child(3)').allInnerTexts();
		const expected = ['current', 'days_31_60', 'days_61_90', 'days_over_90'].map((k) => money(aging.totals[k]));
		assert.deepEqual(buckets, expected);
		assert.equal(buckets.reduce((sum, t) => sum + cents(t), 0), shown, 'the buckets add up to the total');
	}

	await matchesApi(0);
	await page.getByRole('img', { name: /^Receivables of Sunset Ridge Homeowners Association by age/ }).waitFor();
	await page.getByLabel('How far behind').selectOption({ label: 'More than 60 days behind' });
	await page.waitForURL((url) => url.searchParams.get('behind') === '61');
	await page.waitForLoadState('networkidle');
	await page.getByTestId('delinquent-units').waitFor();
	await matchesApi(61);
	const first = page.getByTestId('delinquent-units').locator('tbody tr').first().getByRole('link');
	const unitName = await first.innerText();
	await checkPage(page, '/manage/delinquency', (p) => p.getByTestId('aging-total'));
	await page.getByTestId('delinquent-units').getByRole('link', { name: unitName, exact: true }).click();
	await page.getByRole('heading', { name: unitName, level: 1 }).waitFor();
	page.assertNoErrors();
	await page.context().close();
});

/** An AP invoice of Sunset Ridge created as a draft and submitted through the API (the test's own setup). */
async function submittedInvoice(amountFor) {
	const suffix = randomUUID().slice(0, 8);
	const [vendors, accounts, settings] = await Promise.all([
		api.call('vendor/v1/list', { limit: 200 }),
		api.call('accounting/glAccount/v1/list', { association_id: association.id, account_type: 'EXPENSE', limit: 200 }),
		api.call('accounting/apApproval/v1/getSettings', { association_id: association.id })
	]);
	const vendor = vendors.items.find((v) => v.is_active);
	const account = accounts.items.find((a) => a.role === 'REPAIRS_EXPENSE') ?? accounts.items[0];
	const amount = amountFor(Number(settings.manager_limit)).toFixed(2);
	const draft = await api.call('accounting/apInvoice/v1/create', {
		association_id: association.id,
		vendor_id: vendor.id,
		invoice_number: `MF-${suffix}`,
		invoice_date: isoDay(),
		due_date: isoDay(14),
		amount,
		memo: `Clubhouse faucet repaired ${suffix}`,
		lines: [{ gl_account_id: account.id, description: 'Faucet cartridge and labor', amount }],
		submit: false
	});
	const invoice = await api.call('accounting/apInvoice/v1/submit', { id: draft.id });
	assert.equal(invoice.status, 'PENDING_APPROVAL');
	return { invoice, number: invoice.invoice_number, vendor, account, amount };
}

test('payables: the manager approves an invoice; a stale second tab is told why not', async () => {
	const { invoice, number, vendor, account, amount } = await submittedInvoice((limit) => Math.min(123.45, limit));

	const page = await signIn();
	await section(page, 'Payables').click();
	await page.waitForURL((url) => url.pathname === '/manage/payables');
	const row = page.getByRole('region', { name: /^Awaiting approval/ }).getByRole('row').filter({ hasText: number });
	await row.waitFor();
	const rowText = await row.innerText();
	assert.ok(rowText.includes(vendor.name) && rowText.includes(money(amount)), rowText);
	assert.match(rowText, /Awaiting approval/);
	// one call: both queues, each invoice naming its vendor
	const queueCalls = await checkPage(page, '/manage/payables', (p) => p.getByRole('link', { name: number }), undefined, 1);
	assert.deepEqual(queueCalls, ['accounting/apInvoice/v1/list']);

	await page.getByRole('link', { name: number }).click();
	await page.waitForURL((url) => url.pathname === `/manage/payables/${invoice.id}`);
	await page.getByRole('heading', { name: `Invoice ${number}` }).waitFor();
	assert.equal(await page.getByTestId('invoice-status').innerText(), 'PENDING APPROVAL');
	const lines = await page.getByRole('region', { name: 'Lines' }).innerText();
	assert.match(lines, /Faucet cartridge and labor/);
	assert.ok(lines.includes(`${account.account_number} ${account.name}`), `the line names its account: ${lines}`);
	assert.ok(lines.includes(account.fund.charAt(0) + account.fund.slice(1).toLowerCase()), `the line's fund: ${lines}`);
	assert.ok((await page.getByRole('main').innerText()).includes(vendor.name), 'the invoice names its vendor');
	// two calls: the invoice (its vendor and accounts named) and its approval history; no vendor/v1/get
	await checkPage(page, `/manage/payables/${invoice.id}`, (p) => p.getByRole('button', { name: `Approve invoice ${number}` }),
		'/manage/payables/<id>', 2);
	// window.open: the new tab starts with a copy of this one's sessionStorage (the session)
	const [stale] = await Promise.all([
		page.context().waitForEvent('page'),
		page.evaluate(() => void window.open(location.href, '_blank'))
	]);
	await stale.getByRole('button', { name: `Approve invoice ${number}` }).waitFor();

	await page.getByRole('button', { name: `Approve invoice ${number}` }).click();
	await page.getByRole('status').filter({ hasText: `Invoice ${number} is approved.` }).waitFor();
	await page.getByTestId('invoice-status').filter({ hasText: /^APPROVED$/ }).waitFor();
	assert.match(await page.getByRole('region', { name: 'Approval history' }).innerText(), /You \(manager\) approved/);
	assert.equal((await api.call('accounting/apInvoice/v1/get', { id: invoice.id })).status, 'APPROVED');
	await noSeriousViolations(page, '/manage/payables/<id> approved');
	await screenshot(page, 'manager-payable-approved');

	await stale.getByRole('button', { name: `Approve invoice ${number}` }).click();
	const refusal = stale.getByRole('alert');
	await refusal.waitFor();
	assert.match(await refusal.innerText(), /APPROVED/, 'the API\'s refusal is said');
	await stale.getByTestId('invoice-status').filter({ hasText: /^APPROVED$/ }).waitFor();
	assert.equal(await stale.getByRole('button', { name: `Approve invoice ${number}` }).count(), 0);
	const history = await api.call('accounting/apApproval/v1/history', { id: invoice.id });
	assert.equal(history.approvals.length, 1, 'approved once');
	page.assertNoErrors();
	await page.context().close();
});

test('payables: above the manager\'s limit the approval sends the invoice to the board, not further', async () => {
	const { invoice, number } = await submittedInvoice((limit) => limit + 100);
	try {
		const page = await signIn();
		await page.goto(`/manage/payables/${invoice.id}`);
		await page.getByText(/above the manager's limit/).waitFor();
		await page.getByRole('button', { name: `Approve invoice ${number}` }).click();
		await page.getByRole('status').filter({ hasText: `invoice ${number} now waits for the board` }).waitFor();
		await page.getByTestId('invoice-status').filter({ hasText: /^PENDING BOARD$/ }).waitFor();
		assert.match(await page.getByText(/^Waiting for the board:/).innerText(), /0 of 1 board approvals/);
		assert.equal(await page.getByRole('button', { name: `Approve invoice ${number}` }).count(), 0);
		assert.equal((await api.call('accounting/apInvoice/v1/get', { id: invoice.id })).status, 'PENDING_BOARD');

		await page.getByRole('link', { name: '← Payables' }).click();
		const row = page.getByRole('region', { name: /^Waiting for the board/ }).getByRole('row').filter({ hasText: number });
		await row.waitFor();
		assert.match(await row.innerText(), /Waiting for the board/);
		page.assertNoErrors();
		await page.context().close();
	} finally {
		await api.call('accounting/apInvoice/v1/void', { id: invoice.id, reason: 'Test invoice of the manager finance test' });
	}
});

/**
 * Journey 2, the rest of the owner's pages, in headless Chromium at 375 px: Olivia Owner (owner@demo, unit 14 at
 * Sunset Ridge) submits an ARC request with a document and finds it SUBMITTED with it; answers a violation the
 * manager records on her unit ("I cured it" with a photo, after the API's refusal of an answer without one); lists
 * and downloads the association's documents; and pays: a card saved from a declining checkout token is DECLINED,
 * she removes it, her default method pays $1.00 and the balance drops by it (screenshot: owner-paid). Each page: axe-core finds nothing serious, it fits
 * 375 px, and it shows its data in at most 3 API calls (her ARC requests and her violations in one: they carry their
 * units' numbers and the violation types' names).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { apiAs, fitsWidth, launch, logIn, noSeriousViolations, open, rpcCallsOf, screenshot } from './support.mjs';

const ORG = 'sunset-ridge-hoa';
// A 2x2 PNG (red): a real image for the server's checks.
const PNG = Buffer.from(
	'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGP4z8AARAwQCgAf7gP9i18U1AAAAABJRU5ErkJggg==',
	'base64'
);

let browser;
let owner;
let manager;
let unit;
before(async () => {
	browser = await launch();
	[owner, manager] = await Promise.all([apiAs('owner', ORG), apiAs('manager', ORG)]);
	const profile = await owner.call('portal/profile/v1/get');
	unit = profile.parties.flatMap((p) => p.holdings).find((h) => h.unit_number === '14' && h.relation === 'OWNER');
	assert.ok(unit, 'owner@demo owns unit 14');
});
after(async () => {
	await browser?.close();
});

const suffix = () => randomUUID().slice(0, 8);
const shortDay = (value) =>
	new Date(value).toLocaleDateString('en-US', { year: 'numeric', month: 'short', day: 'numeric' });

/** Every page: nothing serious for axe, no sideways scroll at 375 px, its data in at most 3 calls (or exactly
 * `only`, when given). */
async function checkPage(page, path, where, ready, only) {
	const calls = await rpcCallsOf(page, path, ready);
	assert.ok(calls.length <= 3, `${where}: ${calls.length} calls: ${calls.join(', ')}`);
	if (only) assert.deepEqual(calls, only, `${where}: ${calls.join(', ')}`);
	await noSeriousViolations(page, where);
	await fitsWidth(page, where);
}

async function ownerPage() {
	const page = await open(browser, 375);
	await logIn(page, 'owner');
	return page;
}

/** Opens a section from the navigation and waits until its data shows (`ready`). */
async function section(page, label, path, ready) {
	await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: label, exact: true }).click();
	await page.waitForURL((url) => url.pathname === path);
	await ready(page).waitFor();
	await page.waitForLoadState('networkidle');
}

test('the owner submits an ARC request with a document and finds it SUBMITTED with it', async () => {
	const page = await ownerPage();
	const arcListed = (p) => p.getByRole('main').getByRole('listitem').first().or(p.getByText('You have not asked'));
	await section(page, 'My ARC requests', '/my/arc', arcListed);
	await checkPage(page, '/my/arc', '/my/arc', arcListed, ['arc/request/v1/list']);

	await page.getByRole('link', { name: 'New ARC request' }).click();
	await page.waitForURL((url) => url.pathname === '/my/arc/new');
	await checkPage(page, '/my/arc/new', '/my/arc/new', (p) => p.getByLabel('What will change'));

	const title = `Repaint the trim ${suffix()}`;
	await page.getByLabel('Kind of project').selectOption('PAINT');
	await page.getByLabel('Project name (optional)').fill(title);
	await page.getByLabel('Document 1: kind').selectOption('PHOTO');
	await page.getByLabel('Document 1: file').setInputFiles({ name: 'trim.png', mimeType: 'image/png', buffer: PNG });
	// no description: the API's field error is said on its field, nothing is drafted
	await page.getByRole('button', { name: 'Submit for review' }).click();
	await page.locator('#description-error').waitFor();
	assert.equal(await page.getByLabel('What will change').getAttribute('aria-invalid'), 'true');

	await page.getByLabel('What will change').fill('Repaint the window trim and the garage door in Sandstone (sample attached).');
	await page.getByLabel('Planned start (optional)').fill('2027-03-01');
	await page.getByLabel('Planned end (optional)').fill('2027-03-05');
	await page.getByRole('button', { name: 'Submit for review' }).click();
	await page.waitForURL((url) => /^\/my\/arc\/[0-9a-f-]{36}$/.test(url.pathname));
	const id = new URL(page.url()).pathname.split('/').pop();
	await page.getByRole('heading', { name: new RegExp(`^ARC-\\d{6}: ${title}$`) }).waitFor();
	assert.equal(await page.getByTestId('arc-status').innerText(), 'SUBMITTED');
	const documents = page.getByRole('region', { name: 'Documents' });
	assert.match(await documents.innerText(), /trim\.png[\s\S]*Photo/);
	const [download] = await Promise.all([
		page.waitForEvent('download'),
		documents.getByRole('button', { name: 'Download trim.png' }).click()
	]);
	assert.equal(download.suggestedFilename(), 'trim.png');

	const request = await owner.call('arc/request/v1/get', { id });
	assert.equal(request.status, 'SUBMITTED');
	assert.equal(request.title, title);
	assert.equal(request.category, 'PAINT');
	const filed = await owner.call('arc/request/v1/listDocuments', { id });
	assert.deepEqual(filed.items.map((d) => [d.file_name, d.kind]), [['trim.png', 'PHOTO']]);

	await checkPage(page, `/my/arc/${id}`, '/my/arc/<id>', (p) => p.getByTestId('arc-status'));
	await page.getByRole('link', { name: '← My ARC requests' }).click();
	assert.match(await page.getByRole('listitem').filter({ hasText: title }).innerText(), /SUBMITTED[\s\S]*Unit 14\b/);
	page.assertNoErrors();
	await page.context().close();
});

/** The manager records a violation on unit 14 (the lifecycle sends the courtesy notice with its cure date). */
async function violationOnUnit14(description) {
	const types = await manager.call('violationType/v1/list', { association_id: unit.association_id });
	const type = types.items.find((t) => t.code === 'LANDSCAPING' && t.active) ?? types.items.find((t) => t.active);
	const made = await manager.call('violation/v1/create', {
		association_id: unit.association_id,
		unit_id: unit.unit_id,
		violation_type_id: type.id,
		description,
		location: 'Front yard',
		observed_at: new Date(Date.now() - 60_000).toISOString()
	});
	for (let attempt = 0; attempt < 20; attempt += 1) {
		const now = await manager.call('violation/v1/get', { id: made.id });
		if (now.cure_due_at) return now;
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	await manager.call('violation/v1/sendNotice', { id: made.id });
	return manager.call('violation/v1/get', { id: made.id });
}

test('the owner sees a violation on her home with its cure date and answers it cured with a photo', async () => {
	const description = `Weeds over the front walk ${suffix()}`;
	const violation = await violationOnUnit14(description);
	assert.ok(violation.cure_due_at, 'the violation has a cure date');

	const page = await ownerPage();
	await section(page, 'My violations', '/my/violations', (p) => p.getByRole('listitem').filter({ hasText: description }));
	const listed = page.getByRole('listitem').filter({ hasText: description });
	assert.match(await listed.innerText(), new RegExp(`${violation.reference}: ${violation.violation_type_name}[\\s\\S]*Cure by ${shortDay(violation.cure_due_at)}[\\s\\S]*Unit 14\\b`));
	const listedHere = (p) => p.getByRole('listitem').filter({ hasText: description });
	await checkPage(page, '/my/violations', '/my/violations', listedHere, ['violation/v1/list']);

	await page.getByRole('link', { name: new RegExp(`^${violation.reference}:`) }).click();
	await page.waitForURL((url) => url.pathname === `/my/violations/${violation.id}`);
	await page.getByRole('heading', { name: `${violation.reference}: ${violation.violation_type_name}` }).waitFor();
	assert.equal(await page.getByTestId('cure-date').innerText(), shortDay(violation.cure_due_at));
	assert.match(await page.getByRole('region', { name: 'Notices' }).innerText(), /notice[\s\S]*Cure by/);
	await checkPage(page, `/my/violations/${violation.id}`, '/my/violations/<id>', (p) => p.getByTestId('cure-date'));

	// "I cured it" without a photo: the API's refusal is said on the photo field
	await page.getByLabel('I cured it (with a photo)').check();
	await page.getByRole('button', { name: 'Send my answer' }).click();
	await page.locator('#photo-error').waitFor();
	assert.equal(await page.getByLabel('Photo of the cure').getAttribute('aria-invalid'), 'true');

	await page.getByLabel('Photo of the cure').setInputFiles({ name: 'cured.png', mimeType: 'image/png', buffer: PNG });
	await page.getByLabel('Note (optional)').fill('Pulled the weeds and edged the walk.');
	await page.getByRole('button', { name: 'Send my answer' }).click();
	await page.getByRole('status').filter({ hasText: 'Your cure photo is filed' }).waitFor();
	const evidence = page.getByRole('region', { name: 'Photos and evidence' });
	await evidence.getByText('cured.png').waitFor();
	assert.match(await evidence.innerText(), /My cure photo[\s\S]*Pulled the weeds/);

	const filed = await owner.call('violation/v1/listEvidence', { id: violation.id });
	const cure = filed.items.filter((e) => e.purpose === 'CURE');
	assert.deepEqual(cure.map((e) => [e.file_name, e.note]), [['cured.png', 'Pulled the weeds and edged the walk.']]);
	await noSeriousViolations(page, '/my/violations/<id> answered');
	page.assertNoErrors();
	await page.context().close();
});

test('the owner lists the documents she may read, by category, and downloads one', async () => {
	const page = await ownerPage();
	const listed = (p) => p.getByRole('button', { name: /^Download / }).first();
	await section(page, 'Documents', '/my/documents', listed);
	await checkPage(page, '/my/documents', '/my/documents', listed);
	const first = (await owner.call('portal/document/v1/list', { limit: 1 })).items[0];
	assert.ok(first, 'the owner may read at least one document');
	const button = page.getByRole('button', { name: `Download ${first.title}` });
	const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
	assert.equal(download.suggestedFilename(), first.current_version.file_name);
	await page.getByRole('status').filter({ hasText: `Downloading ${first.current_version.file_name}.` }).waitFor();
	assert.ok((await page.getByRole('heading', { level: 2 }).count()) >= 1, 'a heading per category');
	page.assertNoErrors();
	await page.context().close();
});

test('the owner pays: a declining card is DECLINED, she removes it, her default method pays $1.00 and the balance drops by it', async () => {
	const before = await owner.call('portal/payment/v1/balance', { unit_id: unit.unit_id });
	const page = await ownerPage();
	await section(page, 'Pay', '/my/pay', (p) => p.getByTestId('balance'));
	await checkPage(page, '/my/pay', '/my/pay', (p) => p.getByTestId('balance'));
	const dollars = (amount) =>
		new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(Number(amount));
	assert.equal(await page.getByTestId('balance').innerText(), dollars(before.balance));
	const defaultMethod = (await owner.call('portal/payment/v1/listMethods')).items.find((m) => m.is_default);

	// a card saved from a checkout token the recording provider declines
	const last4 = String(1000 + Math.floor(Math.random() * 9000));
	await page.getByRole('button', { name: 'Add a card' }).click();
	await page.getByLabel(/^Checkout token/).fill(`tok_decline${suffix()}`);
	await page.getByLabel('Last 4 digits').fill(last4);
	await page.getByLabel('Expiry month').fill('12');
	await page.getByLabel('Expiry year').fill(String(new Date().getFullYear() + 3));
	await page.getByLabel('Name for this card (optional)').fill(`Test card ${last4}`);
	await page.getByRole('button', { name: 'Save card' }).click();
	await page.getByRole('listitem').filter({ hasText: `Test card ${last4}` }).waitFor();
	const declining = (await owner.call('portal/payment/v1/listMethods')).items.find((m) => m.label === `Test card ${last4}`);
	try {
		assert.equal(await page.getByLabel('Pay with').inputValue(), declining.id);
		await page.getByLabel('Amount in dollars').fill('1.00');
		await page.getByRole('button', { name: 'Pay $1.00' }).click();
		await page.getByRole('alert').filter({ hasText: /^Declined: \$1\.00 was not charged/ }).waitFor();
		const unchanged = await owner.call('portal/payment/v1/balance', { unit_id: unit.unit_id });
		assert.equal(unchanged.balance, before.balance);

		// she removes that card: the form falls back to her default method
		await page.getByRole('button', { name: `Remove Test card ${last4} (Visa ending ${last4})` }).click();
		await page.getByRole('status').filter({ hasText: `Test card ${last4} (Visa ending ${last4}) removed.` }).waitFor();
		assert.equal(await page.getByLabel('Pay with').inputValue(), defaultMethod.id);
		const kept = await owner.call('portal/payment/v1/listMethods');
		assert.ok(!kept.items.some((m) => m.id === declining.id), 'the declining card is removed');
		const due = await owner.call('portal/payment/v1/balance', { unit_id: unit.unit_id }); // just before paying
		await page.getByLabel('Amount in dollars').fill('1.00');
		await page.getByRole('button', { name: 'Pay $1.00' }).click();
		await page.getByRole('status').filter({ hasText: /^Paid \$1\.00\. Reference / }).waitFor();
		const reference = await page.getByTestId('payment-reference').innerText();
		assert.ok(reference.length > 0);
		const after = await owner.call('portal/payment/v1/balance', { unit_id: unit.unit_id });
		assert.equal(Math.round((Number(due.balance) - Number(after.balance)) * 100), 100, 'the balance drops by $1.00');
		assert.equal(await page.getByTestId('balance').innerText(), dollars(after.balance));
		await noSeriousViolations(page, '/my/pay paid');
		await fitsWidth(page, '/my/pay paid');
		await screenshot(page, 'owner-paid');
	} finally {
		// when the test failed before removing it in the page
		if (declining) await owner.call('portal/payment/v1/removeMethod', { id: declining.id }).catch(() => undefined);
	}
	page.assertNoErrors();
	await page.context().close();
});

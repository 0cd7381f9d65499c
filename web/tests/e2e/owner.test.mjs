/**
 * Journey 2 in headless Chromium: Olivia Owner (owner@demo, unit 14 at Sunset Ridge) logs in, sees her balance,
 * submits a MAINTENANCE request with a small PNG photo and finds it listed SUBMITTED; then a second browser context
 * as manager@demo converts it to a work order (through the API with fetch from that context's session: the
 * manager's console page is not built yet), and Olivia's request page shows it CONVERTED with the work order's
 * number. axe-core finds nothing serious or critical on the owner's pages, which fit 375 px.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { launch, logIn, open, screenshot, seriousViolations } from './support.mjs';

// A 2x2 PNG (red), small enough to read in the test and a real image for the server's checks.
const PHOTO = Buffer.from(
	'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGP4z8AARAwQCgAf7gP9i18U1AAAAABJRU5ErkJggg==',
	'base64'
);

let browser;
before(async () => {
	browser = await launch();
});
after(async () => {
	await browser?.close();
});

async function noSeriousViolations(page, where) {
	assert.deepEqual(await seriousViolations(page), [], where);
}

async function fitsWidth(page, where) {
	const { scrollWidth, clientWidth } = await page.evaluate(() => ({
		scrollWidth: document.documentElement.scrollWidth,
		clientWidth: document.documentElement.clientWidth
	}));
	assert.ok(scrollWidth <= clientWidth, `${where}: ${scrollWidth} px wide in a ${clientWidth} px viewport`);
}

/** The manager converts the request in their own browser context, with the session the console stored. */
async function managerConverts(requestId) {
	const page = await open(browser);
	await logIn(page, 'manager');
	const answer = await page.evaluate(async (id) => {
		const stored = JSON.parse(sessionStorage.getItem('hestami.session'));
		const sunset = stored.organizations.find((o) => o.slug === 'sunset-ridge-hoa');
		const response = await fetch('/api/v1/rpc/portal/request/v1/convertToWorkOrder', {
			method: 'POST',
			headers: {
				'Content-Type': 'application/json',
				Authorization: `Bearer ${stored.token}`,
				'X-Org-Id': sunset.id,
				'Idempotency-Key': crypto.randomUUID()
			},
			body: JSON.stringify({ id, priority: 'HIGH', category: 'GATE' })
		});
		return { status: response.status, body: await response.json() };
	}, requestId);
	assert.equal(answer.status, 200, JSON.stringify(answer.body));
	page.assertNoErrors();
	await page.context().close();
	return answer.body.data.work_order;
}

test('the owner sees her balance, asks with a photo, and follows the work order the manager made of it', async () => {
	const page = await open(browser, 375);
	await logIn(page, 'owner');
	await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'My home' }).click();
	await page.waitForURL((url) => url.pathname === '/my');
	await page.getByRole('heading', { name: /^My balance, unit 14$/ }).waitFor();
	assert.match(await page.getByTestId('balance').innerText(), /^-?\$[\d,]+\.\d{2}$/);
	await fitsWidth(page, '/my');
	await noSeriousViolations(page, '/my');

	await page.getByRole('main').getByRole('link', { name: 'New request' }).click();
	await page.waitForURL((url) => url.pathname === '/my/requests/new');
	await page.getByLabel('Subject').waitFor();
	await noSeriousViolations(page, '/my/requests/new');
	// an empty subject and description: the API's field errors are said on their fields
	await page.getByRole('button', { name: 'Send request' }).click();
	await page.locator('#subject-error').waitFor();
	assert.equal(await page.getByLabel('Subject').getAttribute('aria-invalid'), 'true');
	assert.ok(await page.locator('#description-error').isVisible());

	const subject = `Entry gate stuck ${randomUUID().slice(0, 8)}`;
	await page.getByLabel('Category').selectOption('MAINTENANCE');
	await page.getByLabel('Subject').fill(subject);
	await page.getByLabel('Description').fill('The arm of the entry gate stays up since Sunday.');
	await page.getByLabel(/^Photo/).setInputFiles({ name: 'gate.png', mimeType: 'image/png', buffer: PHOTO });
	await page.getByRole('button', { name: 'Send request' }).click();
	await page.waitForURL((url) => /^\/my\/requests\/[0-9a-f-]{36}$/.test(url.pathname));
	const requestId = new URL(page.url()).pathname.split('/').pop();
	await page.getByRole('heading', { name: new RegExp(`^REQ-\\d{6}: ${subject}$`) }).waitFor();
	assert.equal(await page.getByTestId('request-status').innerText(), 'SUBMITTED');
	assert.match(await page.getByRole('region', { name: 'Files' }).innerText(), /gate\.png/);

	await page.getByRole('link', { name: '← My home' }).click();
	const listed = page.getByRole('listitem').filter({ hasText: subject });
	await listed.waitFor();
	assert.match(await listed.innerText(), /SUBMITTED/);

	const workOrder = await managerConverts(requestId);

	await page.goto(`/my/requests/${requestId}`);
	await page.getByRole('heading', { name: `Work order ${workOrder.number}` }).waitFor();
	assert.equal(await page.getByTestId('request-status').innerText(), 'CONVERTED');
	assert.equal(await page.getByTestId('work-order-status').innerText(), workOrder.status.replaceAll('_', ' '));
	assert.match(await page.getByRole('region', { name: 'History' }).innerText(), /SUBMITTED → CONVERTED/);
	await fitsWidth(page, '/my/requests/<id>');
	await noSeriousViolations(page, '/my/requests/<id>');
	await screenshot(page, 'owner-request-converted');
	page.assertNoErrors();
});

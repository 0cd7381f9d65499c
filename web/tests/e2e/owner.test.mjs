/**
 * Journey 2 in headless Chromium: Olivia Owner (owner@demo, unit 14 at Sunset Ridge) logs in, sees her balance,
 * submits a MAINTENANCE request with a small PNG photo and finds it listed SUBMITTED; then a second browser context
 * as manager@demo finds it in the owner requests queue (/manage/requests) and converts it to a work order on its
 * page (a stale second tab is then told ALREADY_CONVERTED with the work order's number), and Olivia's request page
 * shows it CONVERTED with the work order's number. axe-core finds nothing serious or critical on the owner's pages
 * (which fit 375 px) nor on the manager's two pages.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { chooseOrganization, fitsWidth, launch, logIn, noSeriousViolations, open, screenshot } from './support.mjs';

// A 2x2 PNG (red), small enough to read in the test and a real image for the server's checks.
const PHOTO = Buffer.from(
	'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGP4z8AARAwQCgAf7gP9i18U1AAAAABJRU5ErkJggg==',
	'base64'
);

const INTERNAL_NOTE = 'Gate company called; they come Tuesday.';

let browser;
before(async () => {
	browser = await launch();
});
after(async () => {
	await browser?.close();
});

/** The manager converts the request in their own browser context, through the console's owner requests queue:
 * filtered to SUBMITTED, the request opened from its row, converted with a priority and a category. A second tab
 * left open on the request before the conversion then tries again and is told the work order it already became. */
async function managerConverts(subject) {
	const page = await open(browser);
	await logIn(page, 'manager');
	await chooseOrganization(page, 'Sunset Ridge Homeowners Association');
	await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Owner requests' }).click();
	await page.waitForURL((url) => url.pathname === '/manage/requests');
	await page.getByLabel('Status').selectOption('SUBMITTED');
	await page.waitForURL((url) => url.searchParams.get('status') === 'SUBMITTED');
	const row = page.getByRole('row').filter({ hasText: subject });
	await row.waitFor();
	assert.match(await row.innerText(), /REQ-\d{6}[\s\S]*Unit 14[\s\S]*SUBMITTED/);
	await noSeriousViolations(page, '/manage/requests');
	await page.setViewportSize({ width: 375, height: 800 });
	await fitsWidth(page, '/manage/requests');
	await page.setViewportSize({ width: 1280, height: 800 });

	await row.getByRole('link', { name: /^REQ-\d{6}$/ }).click();
	await page.waitForURL((url) => /^\/manage\/requests\/[0-9a-f-]{36}$/.test(url.pathname));
	await page.getByRole('heading', { name: new RegExp(`^REQ-\\d{6}: ${subject}$`) }).waitFor();
	assert.match(await page.getByRole('region', { name: 'Files' }).innerText(), /gate\.png/);
	await noSeriousViolations(page, '/manage/requests/<id>');
	// window.open: the new tab starts with a copy of this one's sessionStorage (the session), as a manager's would
	const [stale] = await Promise.all([
		page.context().waitForEvent('page'),
		page.evaluate(() => void window.open(location.href, '_blank'))
	]);
	await stale.getByRole('button', { name: 'Convert to work order' }).waitFor();

	await page.getByLabel('Priority').selectOption('HIGH');
	await page.getByLabel(/^Work order category/).fill('GATE');
	await page.getByRole('button', { name: 'Convert to work order' }).click();
	const done = page.getByRole('status').filter({ hasText: /^Converted to work order / });
	await done.waitFor();
	const number = (await done.innerText()).match(/work order (\S+)\.$/)[1];
	await page.getByRole('heading', { name: `Work order ${number}` }).waitFor();
	assert.equal(await page.getByTestId('request-status').innerText(), 'CONVERTED');
	const status = await page.getByTestId('work-order-status').innerText();
	assert.match(await page.getByRole('region', { name: `Work order ${number}` }).innerText(), /HIGH[\s\S]*GATE/);
	await noSeriousViolations(page, '/manage/requests/<id> converted');
	await page.setViewportSize({ width: 375, height: 800 });
	await fitsWidth(page, '/manage/requests/<id>');
	await page.setViewportSize({ width: 1280, height: 800 });
	await screenshot(page, 'manager-request-converted');
	// a note only managers see: in the manager's history, not in the owner's
	await page.getByRole('textbox', { name: 'Comment' }).fill(INTERNAL_NOTE);
	await page.getByLabel('Internal (managers only)').check();
	await page.getByRole('button', { name: 'Add comment' }).click();
	await page.getByRole('status').filter({ hasText: 'Internal note added.' }).waitFor();
	await page.getByRole('region', { name: 'History' }).getByText(INTERNAL_NOTE).waitFor();
	assert.match(await page.getByRole('region', { name: 'History' }).innerText(), /Internal note/);

	await stale.getByRole('button', { name: 'Convert to work order' }).click();
	await stale.getByRole('alert').filter({ hasText: `This request is already work order ${number}.` }).waitFor();
	await stale.getByRole('heading', { name: `Work order ${number}` }).waitFor();
	page.assertNoErrors();
	await page.context().close();
	return { number, status };
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

	const workOrder = await managerConverts(subject);

	await page.goto(`/my/requests/${requestId}`);
	await page.getByRole('heading', { name: `Work order ${workOrder.number}` }).waitFor();
	assert.equal(await page.getByTestId('request-status').innerText(), 'CONVERTED');
	assert.equal(await page.getByTestId('work-order-status').innerText(), workOrder.status);
	assert.match(await page.getByRole('region', { name: 'History' }).innerText(), /SUBMITTED → CONVERTED/);
	assert.doesNotMatch(await page.getByRole('region', { name: 'History' }).innerText(), /Gate company called/);
	await fitsWidth(page, '/my/requests/<id>');
	await noSeriousViolations(page, '/my/requests/<id>');
	await screenshot(page, 'owner-request-converted');
	page.assertNoErrors();
});

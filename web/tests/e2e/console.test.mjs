/**
 * The console in headless Chromium against a served Hestami with the demo logins (HESTAMI_WEB_URL): logging in
 * lands on the dashboard, the organization switcher works by keyboard, a wrong password is said on the form,
 * logging out returns to /login, axe-core finds nothing serious on /login and /, and the dashboard fits 375 px.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { baseUrl, DEMO_PASSWORD, fillLogin, launch, logIn, open, screenshot, seriousViolations } from './support.mjs';

let browser;
before(async () => {
	browser = await launch();
});
after(async () => {
	await browser?.close();
});

const currentOrganization = (page) => page.locator('section[aria-labelledby="org"] dd').first();

test('the owner logs in and lands on the dashboard: Olivia Owner in Sunset Ridge', async () => {
	const page = await open(browser);
	await logIn(page, 'owner');
	assert.equal(new URL(page.url()).pathname, '/');
	await page.getByRole('heading', { name: 'Signed in as Olivia Owner' }).waitFor();
	assert.match(await currentOrganization(page).innerText(), /^Sunset Ridge/);
	assert.match(await page.locator('header').innerText(), /Olivia Owner/);
	await screenshot(page, 'owner-dashboard');
	page.assertNoErrors();
});

test('the admin switches organization by keyboard alone', async () => {
	const page = await open(browser);
	await logIn(page, 'admin');
	if (new URL(page.url()).pathname === '/organizations') {
		// no default organization: the first one is chosen by keyboard as well
		await tabTo(page, page.getByRole('main').getByRole('button').first());
		await page.keyboard.press('Enter');
		await page.waitForURL((url) => url.pathname === '/');
	}
	await page.getByRole('heading', { name: 'Signed in as Avery Admin' }).waitFor();
	const before = await currentOrganization(page).innerText();
	const switcher = page.getByRole('combobox', { name: 'Organization' });
	const names = await switcher.locator('option:not([disabled])').allInnerTexts();
	assert.ok(names.length > 1, `the demo admin belongs to several organizations: ${names}`);

	await tabTo(page, switcher);
	await page.keyboard.press('Enter'); // opens the list
	await page.keyboard.press('ArrowDown');
	await page.keyboard.press('Enter'); // picks the next organization
	const after = await page.waitForFunction(
		(previous) => {
			const shown = document.querySelector('section[aria-labelledby="org"] dd')?.textContent?.trim();
			return shown && shown !== previous ? shown : null;
		},
		before
	);
	const now = await after.jsonValue();
	assert.ok(names.includes(now), `${now} is one of ${names}`);
	assert.equal(await switcher.evaluate((select) => select.selectedOptions[0].textContent.trim()), now);
	await screenshot(page, 'admin-switched-organization');
	page.assertNoErrors();
});

test('a wrong password is said on the form, and nobody is logged in', async () => {
	const page = await open(browser);
	// vendor@demo: the failures count towards its lockout (10 in 15 min), so no other journey's login is at stake
	await fillLogin(page, 'vendor@demo.hestami.test', `not-${DEMO_PASSWORD}`);
	const alert = page.getByRole('alert');
	await alert.waitFor();
	assert.equal(await alert.innerText(), 'That email and password do not match.');
	assert.equal(new URL(page.url()).pathname, '/login');
	assert.equal(await page.getByRole('button', { name: 'Log out' }).count(), 0);
	await screenshot(page, 'login-wrong-password');
	page.assertNoErrors();
});

test('logging out returns to /login, and / then asks to log in again', async () => {
	const page = await open(browser);
	await logIn(page, 'owner');
	await page.getByRole('button', { name: 'Log out' }).click();
	await page.waitForURL((url) => url.pathname === '/login');
	await page.getByRole('heading', { name: 'Log in to Hestami' }).waitFor();
	await page.goto('/');
	await page.waitForURL((url) => url.pathname === '/login');
	await screenshot(page, 'logged-out');
	page.assertNoErrors();
});

/** The stored session (sessionStorage, as the console keeps it), changed by `edit` once the page has settled (the
 * dashboard stores what `auth/v1/me` answers: an edit before that would be overwritten). */
async function editSession(page, edit) {
	await page.waitForLoadState('networkidle');
	return page.evaluate((source) => {
		const stored = JSON.parse(sessionStorage.getItem('hestami.session'));
		const changed = new Function(`return (${source})`)()(stored);
		sessionStorage.setItem('hestami.session', JSON.stringify(changed));
		return changed;
	}, String(edit));
}

test('a session about to lapse is refreshed before the page calls the API, and the old token no longer works', async () => {
	const page = await open(browser);
	await logIn(page, 'owner');
	const soon = new Date(Date.now() + 60_000).toISOString();
	const before = await editSession(page, `(s) => ({ ...s, expiresAt: '${soon}' })`);
	page.rpcCalls.length = 0;
	await page.goto('/my');
	await page.getByTestId('balance').waitFor();
	assert.equal(page.rpcCalls[0], 'auth/v1/refresh', `first call: ${page.rpcCalls.join(', ')}`);
	assert.equal(page.rpcCalls.filter((name) => name === 'auth/v1/refresh').length, 1);
	const after = await editSession(page, (s) => s);
	assert.notEqual(after.token, before.token);
	assert.ok(Date.parse(after.expiresAt) > Date.parse(soon) + 60_000, after.expiresAt);
	const old = await fetch(`${baseUrl()}/api/v1/rpc/auth/v1/me`, {
		method: 'POST',
		headers: { authorization: `Bearer ${before.token}`, 'content-type': 'application/json' },
		body: '{}'
	});
	assert.equal(old.status, 401);
	page.assertNoErrors();
});

test('a lapsed session goes back to the login, which says so and returns to the page', async () => {
	const page = await open(browser);
	await logIn(page, 'owner');
	await editSession(page, (s) => ({ ...s, token: 'lapsed-token' }));
	await page.goto('/my');
	await page.waitForURL((url) => url.pathname === '/login' && url.searchParams.get('expired') === '1');
	await page.getByText('Your session ended; please log in again.').waitFor();
	await page.getByLabel('Email').fill('owner@demo.hestami.test');
	await page.getByLabel('Password').fill(DEMO_PASSWORD);
	await page.getByRole('button', { name: 'Log in' }).click();
	await page.waitForURL((url) => url.pathname === '/my');
	await page.getByTestId('balance').waitFor();
	page.assertNoErrors();
});

test('axe-core: no serious or critical violations on /login and /', async () => {
	const page = await open(browser);
	await page.goto('/login');
	await page.getByRole('heading', { name: 'Log in to Hestami' }).waitFor();
	assert.deepEqual(await seriousViolations(page), [], '/login');
	await logIn(page, 'owner');
	await page.getByRole('heading', { name: 'Signed in as Olivia Owner' }).waitFor();
	assert.deepEqual(await seriousViolations(page), [], '/');
	await screenshot(page, 'axe-dashboard');
	page.assertNoErrors();
});

test('at 375 px wide the dashboard has no horizontal scroll', async () => {
	const page = await open(browser, 375);
	await logIn(page, 'owner');
	await page.getByRole('heading', { name: 'Signed in as Olivia Owner' }).waitFor();
	const { scrollWidth, clientWidth } = await page.evaluate(() => ({
		scrollWidth: document.documentElement.scrollWidth,
		clientWidth: document.documentElement.clientWidth
	}));
	assert.ok(scrollWidth <= clientWidth, `the page is ${scrollWidth} px wide in a ${clientWidth} px viewport`);
	await screenshot(page, 'dashboard-375px');
	page.assertNoErrors();
});

/** Presses Tab (from the top of the page) until `target` has the focus; fails after 30 presses. */
async function tabTo(page, target) {
	for (let presses = 0; presses < 30; presses += 1) {
		if (await target.evaluate((element) => element === document.activeElement)) return;
		await page.keyboard.press('Tab');
	}
	assert.fail('the element was not reachable with Tab');
}

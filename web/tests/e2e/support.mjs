/**
 * What the console's browser tests share: headless Debian Chromium driven by playwright-core (which downloads
 * nothing), the served app's address (HESTAMI_WEB_URL), logging in as a demo login, axe-core injected into the
 * page, and screenshots of a journey's last page under web/test-results/.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const DEMO_PASSWORD = 'demo-pass-2026';
export const RESULTS = fileURLToPath(new URL('../../test-results/', import.meta.url));
const AXE_SOURCE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** The served app (e.g. http://127.0.0.1:8000), from HESTAMI_WEB_URL. */
export function baseUrl() {
	const url = process.env.HESTAMI_WEB_URL;
	assert.ok(url, 'set HESTAMI_WEB_URL to a served Hestami (hestami serve or hestami dev) with the demo data');
	return url.replace(/\/$/, '');
}

/** Debian's chromium binary (its /usr/bin/chromium is a shell launcher), or CHROMIUM_PATH. */
function chromiumPath() {
	const candidates = [process.env.CHROMIUM_PATH, '/usr/lib/chromium/chromium', '/usr/bin/chromium'];
	const found = candidates.find((path) => path && existsSync(path));
	assert.ok(found, 'no chromium: `make setup` installs Debian\'s chromium package (or set CHROMIUM_PATH)');
	return found;
}

export async function launch() {
	const args = process.getuid?.() === 0 ? ['--no-sandbox'] : [];
	return chromium.launch({ executablePath: chromiumPath(), headless: true, args });
}

/** A fresh context (its own sessionStorage) and page at `width` px, failing the test on a page error. */
export async function open(browser, width = 1280) {
	const context = await browser.newContext({ baseURL: baseUrl(), viewport: { width, height: 800 } });
	context.setDefaultTimeout(15_000); // a 2-core machine under the whole suite: slow, but not 30 s slow
	const page = await context.newPage();
	const errors = [];
	page.on('pageerror', (error) => errors.push(error.message));
	page.assertNoErrors = () => assert.deepEqual(errors, [], 'uncaught errors in the page');
	page.rpcCalls = []; // the procedures the page called (`rpcCallsOf` reads a page load's)
	page.on('request', (request) => {
		const path = new URL(request.url()).pathname;
		if (path.startsWith('/api/v1/rpc/')) page.rpcCalls.push(path.slice('/api/v1/rpc/'.length));
	});
	return page;
}

/**
 * The procedures a page called to show its data when opened at `path` (a full load): the shell's own session calls
 * (auth/*) aside, once the network is idle and `ready` (a locator) is visible. The console's budget is 3 per page.
 */
export async function rpcCallsOf(page, path, ready) {
	page.rpcCalls.length = 0;
	await page.goto(path);
	await ready(page).waitFor();
	await page.waitForLoadState('networkidle');
	return page.rpcCalls.filter((name) => !name.startsWith('auth/'));
}

export async function fillLogin(page, email, password) {
	await page.goto('/login');
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password').fill(password);
	await page.getByRole('button', { name: 'Log in' }).click();
}

/** Logs a demo login (owner, admin, ...) in and waits for the page it lands on to settle. */
export async function logIn(page, who) {
	await fillLogin(page, `${who}@demo.hestami.test`, DEMO_PASSWORD);
	await page.waitForURL((url) => url.pathname !== '/login');
}

/** Violations of impact serious or critical found by axe-core on the current page (as "id: help (n nodes)"). */
export async function seriousViolations(page) {
	await page.addScriptTag({ path: AXE_SOURCE });
	const results = await page.evaluate(() => globalThis.axe.run(document));
	return results.violations
		.filter((v) => v.impact === 'serious' || v.impact === 'critical')
		.map((v) => `${v.id}: ${v.help} (${v.nodes.length} nodes: ${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

/** Fails when axe-core finds a serious or critical violation on the current page (`where` names it). */
export async function noSeriousViolations(page, where) {
	assert.deepEqual(await seriousViolations(page), [], where);
}

/** Fails when the page scrolls sideways at its current width (every page is usable at 375 px). */
export async function fitsWidth(page, where) {
	const { scrollWidth, clientWidth } = await page.evaluate(() => ({
		scrollWidth: document.documentElement.scrollWidth,
		clientWidth: document.documentElement.clientWidth
	}));
	assert.ok(scrollWidth <= clientWidth, `${where}: ${scrollWidth} px wide in a ${clientWidth} px viewport`);
}

/** Selects an organization by its name in the header's switcher (explicit scope). */
export async function chooseOrganization(page, name) {
	await page.getByRole('combobox', { name: 'Organization' }).selectOption({ label: name });
}

export async function screenshot(page, name) {
	mkdirSync(RESULTS, { recursive: true });
	await page.screenshot({ path: `${RESULTS}${name}.png`, fullPage: true });
}

/**
 * The API as a demo login, for a test's own setup and checks (what the page under test does not show): `call(path,
 * body)` answers the envelope's data or throws with its error code; `orgs` by slug. `org` is the slug every call is
 * scoped to (`X-Org-Id`); each write carries a fresh Idempotency-Key.
 */
export async function apiAs(who, org) {
	const login = await rpc('auth/v1/login', { email: `${who}@demo.hestami.test`, password: DEMO_PASSWORD });
	const orgs = Object.fromEntries(login.organizations.map((o) => [o.slug, o]));
	assert.ok(orgs[org], `${who} is not a member of ${org}: ${Object.keys(orgs).join(', ')}`);
	const headers = { authorization: `Bearer ${login.token}`, 'x-org-id': orgs[org].id };
	return { orgs, call: (path, body = {}) => rpc(path, body, headers) };
}

async function rpc(path, body, headers = {}) {
	const response = await fetch(`${baseUrl()}/api/v1/rpc/${path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID(), ...headers },
		body: JSON.stringify(body)
	});
	const envelope = await response.json();
	if (!envelope.ok) {
		const error = new Error(`${path}: ${envelope.error.code}: ${envelope.error.message}`);
		error.code = envelope.error.code;
		throw error;
	}
	return envelope.data;
}

/**
 * Journey 3 in headless Chromium at 375 px: Blair Board (board@demo, a director of Sunset Ridge) finds a board
 * meeting the test scheduled (through the API, as the manager: noticed, called to order, Blair present, a motion
 * with a random text opened) in /board/meetings, reads its agenda and quorum, casts her vote on the motion in the
 * page (the API then holds her YES; a second cast is refused and said); approves a vendor invoice the manager sent
 * above the manager's limit (PENDING_BOARD → APPROVED, with the approval history); and reads the reserve's percent
 * funded, the same figure as the API's analysis. Every page: at most 3 API calls, nothing serious for axe-core, no
 * sideways scrolling.
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
const ORG_NAME = 'Sunset Ridge Homeowners Association';

let browser;
let page;
let manager;
let board;
let associationId;

before(async () => {
	browser = await launch();
	[manager, board] = await Promise.all([apiAs('manager', ORG), apiAs('board', ORG)]);
	const associations = await manager.call('association/v1/list', { limit: 200 });
	associationId = associations.items.find((a) => a.name === ORG_NAME).id;
	page = await open(browser, 375);
	await logIn(page, 'board');
	await chooseOrganization(page, ORG_NAME);
});
after(async () => {
	await browser?.close();
});

/** Up to 3 calls to show `path` (loaded again, once the page the test came to has settled), axe-core's nothing
 * serious, and 375 px wide without sideways scrolling. */
async function checkPage(path, ready) {
	await ready(page).waitFor();
	await page.waitForLoadState('networkidle');
	const calls = await rpcCallsOf(page, path, ready);
	assert.ok(calls.length <= 3, `${path}: ${calls.length} calls: ${calls.join(', ')}`);
	await noSeriousViolations(page, path);
	await fitsWidth(page, path);
	return calls;
}

/** The manager's board meeting, noticed (by the lifecycle), in session, Blair present, with an open motion. */
async function meetingWithMotion(title, question) {
	const startsAt = new Date(Date.now() + 7 * 86_400_000).toISOString();
	const meeting = await manager.call('governance/meeting/v1/schedule', {
		association_id: associationId,
		kind: 'BOARD',
		title,
		starts_at: startsAt,
		location: 'Clubhouse',
		agenda: [
			{ title: 'Treasurer report', item_type: 'REPORT' },
			{ title: `Motion: ${question}`, item_type: 'ACTION' }
		]
	});
	for (let tries = 0; ; tries++) {
		const now = await manager.call('governance/meeting/v1/get', { id: meeting.id });
		if (now.status === 'NOTICED') break;
		assert.ok(tries < 60, `the notice of ${title} did not go out: ${now.status}`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	await manager.call('governance/meeting/v1/callToOrder', { id: meeting.id });
	const boards = await manager.call('governance/board/v1/list', { association_id: associationId });
	const seat = boards.items
		.filter((b) => b.id === meeting.board_id)
		.flatMap((b) => b.seats)
		.find((s) => s.holder_name === 'Blair Board' && s.current);
	await manager.call('governance/meeting/v1/recordAttendance', { meeting_id: meeting.id, seat_id: seat.id });
	const vote = await manager.call('governance/vote/v1/open', { meeting_id: meeting.id, kind: 'MOTION', question });
	return { meeting, vote };
}

test('the board member reads a meeting, its agenda and quorum, and votes on its motion', async () => {
	const suffix = randomUUID().slice(0, 8);
	const title = `Board meeting ${suffix}`;
	const question = `Repaint the clubhouse trim ${suffix}?`;
	const { meeting, vote } = await meetingWithMotion(title, question);
	try {
		await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Meetings' }).click();
		await page.waitForURL((url) => url.pathname === '/board/meetings');
		await checkPage('/board/meetings', (p) => p.getByRole('link', { name: title }));
		const row = page.getByRole('row').filter({ hasText: title });
		assert.match(await row.innerText(), /Board[\s\S]*IN SESSION/);
		assert.ok(await page.getByRole('heading', { name: 'Past meetings' }).isVisible());

		await row.getByRole('link', { name: title }).click();
		await page.waitForURL((url) => url.pathname === `/board/meetings/${meeting.id}`);
		await checkPage(`/board/meetings/${meeting.id}`, (p) => p.getByRole('heading', { name: question }));
		await page.getByRole('heading', { name: title, level: 1 }).waitFor();
		const agenda = await page.getByRole('region', { name: 'Agenda' }).innerText();
		assert.match(agenda, /Treasurer report[\s\S]*REPORT/);
		assert.ok(agenda.includes(`Motion: ${question}`));
		const quorum = await board.call('governance/meeting/v1/quorum', { meeting_id: meeting.id });
		const said = await page.getByTestId('quorum').innerText();
		assert.ok(said.startsWith(quorum.met ? 'Quorum met' : 'No quorum'), said);
		assert.ok(said.includes(`${Number(quorum.present)} present of ${Number(quorum.total)} seats`), said);
		assert.ok(said.includes(`${Number(quorum.required)} required`), said);

		const card = page.getByRole('region', { name: question, exact: true });
		assert.equal(await card.getByTestId('ballots-cast').innerText(), '0');
		await card.getByRole('radio', { name: 'YES' }).check();
		await card.getByRole('button', { name: 'Cast my vote' }).click();
		await card.getByRole('status').filter({ hasText: 'Your vote YES is recorded' }).waitFor();
		await card.getByTestId('ballots-cast').filter({ hasText: /^1$/ }).waitFor();
		const after = await board.call('governance/vote/v1/get', { id: vote.id });
		assert.equal(after.ballots_cast, 1);
		assert.deepEqual(
			after.participations.map((p) => [p.voter_name, p.choice]),
			[['Blair Board', 'YES']]
		);

		// once is enough: the API refuses a second vote and the page says so
		await card.getByRole('button', { name: 'Cast my vote' }).click();
		await card.getByRole('alert').filter({ hasText: 'This vote was cast already.' }).waitFor();
		await card.getByRole('button', { name: 'Who voted' }).click();
		await card.getByRole('listitem').filter({ hasText: 'Blair Board: YES' }).waitFor();
		await noSeriousViolations(page, '/board/meetings/<id> after voting');
		await fitsWidth(page, '/board/meetings/<id> after voting');

		// two more directors arrive (quorum) and the manager closes the vote: the page shows its tally
		const boards = await manager.call('governance/board/v1/list', { association_id: associationId });
		const others = boards.items
			.filter((b) => b.id === meeting.board_id)
			.flatMap((b) => b.seats)
			.filter((s) => s.current && s.holder_name !== 'Blair Board')
			.slice(0, 2);
		for (const seat of others) {
			await manager.call('governance/meeting/v1/recordAttendance', { meeting_id: meeting.id, seat_id: seat.id });
		}
		const closed = await manager.call('governance/vote/v1/close', { id: vote.id });
		assert.equal(closed.result, 'PASSED');
		await page.reload();
		await card.getByRole('table', { name: 'Tally' }).waitFor();
		assert.equal(await card.getByTestId('vote-status').innerText(), 'CLOSED: PASSED');
		assert.match(await card.getByRole('table', { name: 'Tally' }).innerText(), /YES\s+1\s+1\s+NO\s+0\s+0\s+ABSTAIN\s+0\s+0/);
		assert.equal(await card.getByRole('button', { name: 'Cast my vote' }).count(), 0);
		const met = await board.call('governance/meeting/v1/quorum', { meeting_id: meeting.id });
		assert.ok(met.met);
		assert.ok(
			(await page.getByTestId('quorum').innerText()).startsWith(
				`Quorum met: ${Number(met.present)} present of ${Number(met.total)} seats`
			)
		);
		await noSeriousViolations(page, '/board/meetings/<id> with a closed vote');
		await fitsWidth(page, '/board/meetings/<id> with a closed vote');
		page.assertNoErrors();
	} finally {
		await manager.call('governance/meeting/v1/adjourn', { id: meeting.id }).catch(() => undefined);
	}
});

test('the board member approves an invoice above the manager limit, with its approval history', async () => {
	const settings = await manager.call('accounting/apApproval/v1/getSettings', { association_id: associationId });
	const amount = (Number(settings.manager_limit) + 1234.5).toFixed(2);
	const needed = settings.dual_approval_threshold && Number(amount) > Number(settings.dual_approval_threshold) ? 2 : 1;
	const [vendors, accounts] = await Promise.all([
		manager.call('vendor/v1/list', { limit: 200 }),
		manager.call('accounting/glAccount/v1/list', { association_id: associationId, account_type: 'EXPENSE', limit: 200 })
	]);
	const vendor = vendors.items.find((v) => v.is_active);
	const operating = accounts.items.filter((a) => a.fund === 'OPERATING' && a.is_active);
	const account = operating.find((a) => a.role === 'REPAIRS_EXPENSE') ?? operating[0];
	const number = `BRD-${randomUUID().slice(0, 8)}`;
	const due = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
	const invoice = await manager.call('accounting/apInvoice/v1/create', {
		association_id: associationId,
		vendor_id: vendor.id,
		invoice_number: number,
		invoice_date: new Date().toISOString().slice(0, 10),
		due_date: due,
		amount,
		memo: 'Clubhouse HVAC compressor replacement',
		lines: [{ gl_account_id: account.id, description: 'Compressor and labor', amount }],
		submit: true
	});
	const waiting = await manager.call('accounting/apInvoice/v1/approve', { id: invoice.id });
	assert.equal(waiting.status, 'PENDING_BOARD');

	await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Invoices to approve' }).click();
	await page.waitForURL((url) => url.pathname === '/board/invoices');
	const heading = `Invoice ${number} from ${vendor.name}`;
	const calls = await checkPage('/board/invoices', (p) => p.getByRole('heading', { name: heading }));
	assert.deepEqual(calls, ['accounting/apInvoice/v1/list'], 'one call: the invoices name their vendors and accounts');
	const card = page.getByRole('region', { name: heading });
	const shown = await card.innerText();
	const dollars = Number(amount).toLocaleString('en-US', { style: 'currency', currency: 'USD' });
	assert.ok(shown.includes(dollars), shown);
	assert.match(shown, /Fund\s+Operating/);
	assert.ok(shown.includes(`${account.account_number} ${account.name}`), 'the line names its account');
	assert.ok(shown.includes(new Date(`${due}T00:00:00`).toLocaleDateString('en-US', { year: 'numeric', month: 'short', day: 'numeric' })));
	assert.equal(await card.getByTestId('invoice-status').innerText(), 'PENDING BOARD');

	await card.getByRole('button', { name: `Approve ${dollars}` }).click();
	await card.getByRole('status').waitFor();
	await card.getByRole('heading', { name: 'Approval history' }).waitFor();
	const history = await board.call('accounting/apApproval/v1/history', { id: invoice.id });
	assert.equal(history.board_approvals, 1);
	assert.equal(history.board_approvals_needed, needed);
	assert.deepEqual(history.approvals.map((a) => a.role), ['MANAGER', 'BOARD_MEMBER']);
	const record = await card.innerText();
	assert.ok(record.includes(`Board approvals: 1 of ${needed} needed`), record);
	const managerName = history.approvals[0].approver_name;
	assert.ok(managerName, 'the history names the manager');
	const byManager = record.indexOf(`${managerName} (MANAGER) approved`);
	assert.ok(byManager >= 0 && record.indexOf('You (BOARD MEMBER) approved') > byManager, record);
	const now = await board.call('accounting/apInvoice/v1/get', { id: invoice.id });
	if (needed === 1) {
		assert.equal(now.status, 'APPROVED');
		assert.ok(now.journal_entry_id, 'the approved invoice posts its expense');
		assert.equal(await card.getByTestId('invoice-status').innerText(), 'APPROVED');
		assert.match(await card.getByRole('status').innerText(), /^Approved: invoice .* is now APPROVED/);
	} else {
		assert.equal(now.status, 'PENDING_BOARD');
	}
	await noSeriousViolations(page, '/board/invoices after approving');
	await fitsWidth(page, '/board/invoices after approving');
	page.assertNoErrors();
});

test("the board member reads the reserve study's percent funded", async () => {
	const studies = await board.call('reserve/study/v1/list', { limit: 200 });
	const latest = [...studies.items].sort((a, b) => b.study_date.localeCompare(a.study_date))[0];
	const analysis = await board.call('reserve/funding/v1/analyze', { study_id: latest.id });

	await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Reserves' }).click();
	await page.waitForURL((url) => url.pathname === '/board/reserve');
	await checkPage('/board/reserve', (p) => p.getByTestId('percent-funded'));
	assert.equal(await page.getByTestId('percent-funded').innerText(), `${analysis.percent_funded} %`);
	assert.match(await page.getByTestId('strength').innerText(), /^(Weak|Fair|Strong): /);
	const chart = page.getByRole('img', { name: /^Projected reserve balance against the fully funded balance/ });
	await chart.waitFor();
	const components = page.getByRole('table', { name: /Reserve components/ }).locator('tbody tr');
	assert.equal(await components.count(), analysis.components.length);
	await page.getByText('The projection year by year').click();
	const years = page.getByRole('table', { name: /Projection by year/ }).locator('tbody tr');
	assert.equal(await years.count(), analysis.projection.length);
	await noSeriousViolations(page, '/board/reserve with the projection open');
	await fitsWidth(page, '/board/reserve');
	await screenshot(page, 'board-reserve');
	page.assertNoErrors();
});

/**
 * What the board member's pages share (journey 3): meetings split into upcoming and past, a vote's tallies read
 * from the API's JSON, the funds an invoice is charged to, the reserve's strength band and the geometry of the
 * reserve projection chart. Pure functions: the pages call the API; the figures are the API's, never recomputed.
 */
import type { Output } from './api/client';

export type Meeting = Output<'governance/meeting/v1/list'>['items'][number];
export type Vote = Output<'governance/vote/v1/list'>['items'][number];
export type Invoice = Output<'accounting/apInvoice/v1/list'>['items'][number];
export type Analysis = Output<'reserve/funding/v1/analyze'>;
export type ProjectionYear = Analysis['projection'][number];

const UPCOMING: ReadonlySet<string> = new Set(['SCHEDULED', 'NOTICED', 'IN_SESSION']);
/** A meeting's statuses in which its open votes take votes (the API refuses any other: NOT_IN_SESSION). */
const CASTING: ReadonlySet<string> = new Set(['NOTICED', 'IN_SESSION']);

/** Upcoming meetings (not yet held or in session), soonest first; past ones (adjourned, cancelled), latest first. */
export function splitMeetings(meetings: readonly Meeting[]): { upcoming: Meeting[]; past: Meeting[] } {
	const at = (m: Meeting) => new Date(m.starts_at).getTime();
	return {
		upcoming: meetings.filter((m) => UPCOMING.has(m.status)).sort((a, b) => at(a) - at(b)),
		past: meetings.filter((m) => !UPCOMING.has(m.status)).sort((a, b) => at(b) - at(a))
	};
}

export function meetingKind(kind: string): string {
	const kinds: Record<string, string> = {
		BOARD: 'Board',
		ANNUAL: 'Annual (owners)',
		SPECIAL: 'Special (owners)',
		COMMITTEE: 'Committee'
	};
	return kinds[kind] ?? kind;
}

/** Whether a vote takes votes now: open, at a meeting noticed or in session. */
export function castable(vote: Vote, meetingStatus: string): boolean {
	return vote.status === 'OPEN' && CASTING.has(meetingStatus);
}

/** A count or weight the API writes with decimals ("4.0000") as the number it is ("4", "4.5"). */
export function figure(value: string | number): string {
	return new Intl.NumberFormat('en-US', { maximumFractionDigits: 4 }).format(Number(value));
}

export interface TallyRow {
	option: string;
	count: number;
	weight: string;
}

/** A closed vote's tallies (`{counts, weights, result, leading}`), one row per option in the vote's order; empty
 * while the vote is open (the API counts only at closing) or when it lapsed uncounted. */
export function tallyRows(vote: Pick<Vote, 'options' | 'tallies'>): TallyRow[] {
	const tallies = vote.tallies;
	if (!tallies) return [];
	const counts = (tallies['counts'] ?? {}) as Record<string, unknown>;
	const weights = (tallies['weights'] ?? {}) as Record<string, unknown>;
	return vote.options.map((option) => ({
		option,
		count: typeof counts[option] === 'number' ? counts[option] : 0,
		weight: typeof weights[option] === 'string' ? weights[option] : '0'
	}));
}

/** The funds an invoice is charged to, in words, from its lines' accounts as the API names them ("Operating",
 * "Reserve"). */
export function fundsOf(invoice: Pick<Invoice, 'lines'>): string {
	const funds = new Set<string>();
	for (const line of invoice.lines) {
		if (line.fund) funds.add(line.fund.charAt(0) + line.fund.slice(1).toLowerCase());
	}
	return funds.size ? [...funds].join(', ') : '—';
}

/** An invoice line's account, "5300 Landscaping" (as the API names it now). */
export function accountOf(line: Invoice['lines'][number]): string {
	return [line.gl_account_number, line.gl_account_name].filter(Boolean).join(' ') || '—';
}

export interface Band {
	name: 'Weak' | 'Fair' | 'Strong';
	meaning: string;
}

/** The usual strength bands of a reserve's percent funded: 0–30 % weak (high risk of special assessments), 30–70 %
 * fair, 70 % and more strong. */
export function strength(percent: string | null): Band | null {
	if (percent === null) return null;
	const value = Number(percent);
	if (value < 30) return { name: 'Weak', meaning: 'high risk of special assessments or deferred repairs' };
	if (value < 70) return { name: 'Fair', meaning: 'some risk of special assessments' };
	return { name: 'Strong', meaning: 'low risk of special assessments' };
}

export interface Chart {
	width: number;
	height: number;
	/** The plot's edges inside the view box. */
	left: number;
	right: number;
	top: number;
	bottom: number;
	balance: string;
	funded: string;
	/** y of the zero line. */
	zero: number;
	ticks: { y: number; label: number }[];
	years: { x: number; label: number }[];
}

/** The projection as two polylines (closing balance, fully funded balance) over the years, scaled to a view box,
 * with the zero line and a few round ticks. */
export function projectionChart(years: readonly ProjectionYear[], width = 640, height = 300): Chart {
	const left = 64;
	const right = width - 12;
	const top = 12;
	const bottom = height - 28;
	const values = years.flatMap((y) => [Number(y.closing), Number(y.fully_funded_balance)]);
	const low = Math.min(0, ...values);
	const high = Math.max(1, ...values);
	const step = roundStep((high - low) / 4);
	const from = Math.floor(low / step) * step;
	const to = Math.ceil(high / step) * step;
	const first = years[0]?.year ?? 1;
	const last = years.at(-1)?.year ?? first + 1;
	const x = (year: number) => left + ((year - first) / Math.max(1, last - first)) * (right - left);
	const y = (value: number) => bottom - ((value - from) / (to - from)) * (bottom - top);
	const line = (pick: (p: ProjectionYear) => string) =>
		years.map((p) => `${x(p.year).toFixed(1)},${y(Number(pick(p))).toFixed(1)}`).join(' ');
	const ticks: { y: number; label: number }[] = [];
	for (let value = from; value <= to + step / 2; value += step) ticks.push({ y: y(value), label: value });
	const every = last - first >= 20 ? 5 : last - first >= 10 ? 2 : 1;
	const labels = years.filter((p) => (p.year - first) % every === 0 || p.year === last);
	return {
		width,
		height,
		left,
		right,
		top,
		bottom,
		balance: line((p) => p.closing),
		funded: line((p) => p.fully_funded_balance),
		zero: y(0),
		ticks,
		years: labels.map((p) => ({ x: x(p.year), label: p.year }))
	};
}

/** 1, 2 or 5 times a power of ten, at least `raw`. */
function roundStep(raw: number): number {
	const power = 10 ** Math.floor(Math.log10(Math.max(raw, 1)));
	for (const factor of [1, 2, 5, 10]) if (factor * power >= raw) return factor * power;
	return 10 * power;
}

/** A dollar amount on an axis: short ("$150k", "-$50k"). */
export function shortDollars(value: number): string {
	const sign = value < 0 ? '-' : '';
	const size = Math.abs(value);
	if (size >= 1_000_000) return `${sign}$${figure(size / 1_000_000)}M`;
	if (size >= 1000) return `${sign}$${figure(size / 1000)}k`;
	return `${sign}$${figure(size)}`;
}

/**
 * What the contractor's pages share (journeys 5 and 6): the dispatch board's cards (a visit waiting or assigned), the
 * day and its times in the dispatch time zone, the slot a dropped visit is tried at, a refusal of `assignTech` /
 * `reschedule` in words (its eligibility reasons), and the estimate's options and addressee.
 */
import { ApiError, type Output } from './api/client';

export type Board = Output<'dispatch/v1/getBoard'>;
export type Lane = Board['technicians'][number];
export type Estimate = Output<'estimate/v1/get'>;
export type EstimateOption = NonNullable<Estimate['options']>[number];
export type EstimateLine = NonNullable<EstimateOption['lines']>[number];

/** Where the API reads a `date` when none is configured (`DISPATCH_TIME_ZONE`); the board names the one it used. */
export const DISPATCH_TIME_ZONE = 'America/Chicago';

/** A visit on the board: waiting for a technician (no assignment) or assigned in a lane. */
export interface Card {
	visitId: string;
	jobId: string;
	jobNumber: string;
	title: string;
	priority: string;
	trade: string;
	zipCode: string | null;
	/** Whom the job is for and where ("Dana Doe, 12 Oak Ln"), as the board names them; empty when it names neither. */
	site: string;
	windowStart: string | null;
	windowEnd: string | null;
	minutes: number;
	/** The assignment's status, or WAITING. */
	status: string;
	assignmentId: string | null;
	technicianId: string | null;
	startsAt: string | null;
	endsAt: string | null;
}

export function waitingCards(board: Board): Card[] {
	return board.unassigned_visits.map((v) => ({
		visitId: v.visit_id,
		jobId: v.job_id,
		jobNumber: v.job_number,
		title: v.title,
		priority: v.priority,
		trade: v.trade,
		zipCode: v.zip_code,
		site: siteOf(v),
		windowStart: v.window_start,
		windowEnd: v.window_end,
		minutes: v.duration_minutes,
		status: 'WAITING',
		assignmentId: null,
		technicianId: null,
		startsAt: null,
		endsAt: null
	}));
}

/** A lane's cards in time order. */
export function laneCards(lane: Lane): Card[] {
	return [...lane.assignments]
		.sort((a, b) => Date.parse(a.starts_at) - Date.parse(b.starts_at))
		.map((a) => ({
			visitId: a.visit_id,
			jobId: a.job_id,
			jobNumber: a.job_number,
			title: a.title,
			priority: a.priority,
			trade: a.trade,
			zipCode: a.zip_code,
			site: siteOf(a),
			windowStart: a.window_start,
			windowEnd: a.window_end,
			minutes: Math.round((Date.parse(a.ends_at) - Date.parse(a.starts_at)) / 60_000),
			status: a.status,
			assignmentId: a.assignment_id,
			technicianId: lane.technician_id,
			startsAt: a.starts_at,
			endsAt: a.ends_at
		}));
}

/** A card a dispatcher may still move: waiting, or assigned with nobody on the way yet. */
export function movable(card: Card): boolean {
	return card.status === 'WAITING' || card.status === 'ASSIGNED';
}

/** Today (YYYY-MM-DD) in the dispatch time zone. */
export function today(zone = DISPATCH_TIME_ZONE): string {
	return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
		new Date()
	);
}

/** `?date=` when it is a day, else today. */
export function dayParam(value: string | null): string {
	return value && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : today();
}

/** A time of day in the dispatch time zone ("9:30 AM"). */
export function clock(value: string, zone: string): string {
	return new Date(value).toLocaleTimeString('en-US', { timeZone: zone, hour: 'numeric', minute: '2-digit' });
}

export function span(start: string | null, end: string | null, zone: string): string {
	return start && end ? `${clock(start, zone)}–${clock(end, zone)}` : 'no window';
}

/** Minutes as "3 h 30 min". */
export function duration(minutes: number): string {
	const h = Math.floor(Math.abs(minutes) / 60);
	const m = Math.abs(minutes) % 60;
	const text = [h ? `${h} h` : '', m || !h ? `${m} min` : ''].filter(Boolean).join(' ');
	return minutes < 0 ? `-${text}` : text;
}

const STEP_MINUTES = 30;

/**
 * The slots a visit is tried at on a technician's lane, earliest first: every half hour of its arrival window that
 * does not overlap the technician's other assignments of the day (the API checks the shift and time off).
 */
export function startsToTry(card: Card, lane: Lane): string[] {
	if (!card.windowStart || !card.windowEnd) return [];
	const taken = lane.assignments
		.filter((a) => a.visit_id !== card.visitId)
		.map((a) => [Date.parse(a.starts_at), Date.parse(a.ends_at)] as const);
	const last = Date.parse(card.windowEnd);
	const found: string[] = [];
	for (let at = Date.parse(card.windowStart); at <= last; at += STEP_MINUTES * 60_000) {
		const end = at + card.minutes * 60_000;
		if (!taken.some(([s, e]) => at < e && s < end)) found.push(new Date(at).toISOString());
	}
	return found;
}

/** Eligibility reasons a later slot of the same window may cure: the next one is tried. */
const TIME_BOUND = new Set(['OUTSIDE_SHIFT', 'TIME_OFF']);

interface Reason {
	code: string;
	message: string;
}

function reasonsOf(error: ApiError): Reason[] {
	const details = (error.details ?? {}) as { reasons?: unknown };
	if (!Array.isArray(details.reasons)) return [];
	return details.reasons.map((r: unknown) => {
		const { code, message } = (r ?? {}) as { code?: unknown; message?: unknown };
		return { code: String(code ?? ''), message: String(message ?? '') };
	});
}

function reasonCode(error: unknown): string | null {
	if (!(error instanceof ApiError)) return null;
	const { reason } = (error.details ?? {}) as { reason?: unknown };
	return typeof reason === 'string' ? reason : null;
}

/** Whether the refusal is about the time only (double booked, off shift, time off): another slot may pass. */
export function anotherSlotMayPass(error: unknown): boolean {
	const reason = reasonCode(error);
	if (reason === 'DOUBLE_BOOKED') return true;
	if (reason !== 'NOT_ELIGIBLE' || !(error instanceof ApiError)) return false;
	const reasons = reasonsOf(error);
	return reasons.length > 0 && reasons.every((r) => TIME_BOUND.has(r.code));
}

const REASON_WORDS: Record<string, string> = {
	NO_SKILL: 'Lacks the skill',
	OUT_OF_TERRITORY: 'Outside their territory',
	OUTSIDE_SHIFT: 'Not on shift then',
	TIME_OFF: 'On time off',
	CERTIFICATION_EXPIRED: 'Certification expired',
	INACTIVE: 'Inactive',
	CONTRACTOR_NON_COMPLIANT: 'Your company is not compliant',
	NO_ZIP_CODE: 'The job has no zip code'
};

/** A refusal of an assignment in words: what happened, and each eligibility reason the API gave. */
export interface Refusal {
	summary: string;
	reasons: string[];
}

export function refusalOf(error: unknown, technician: string): Refusal {
	if (!(error instanceof ApiError)) return { summary: 'The server could not be reached; try again.', reasons: [] };
	switch (reasonCode(error)) {
		case 'NOT_ELIGIBLE':
			return {
				summary: `${technician} may not take this visit:`,
				reasons: reasonsOf(error).map((r) => `${REASON_WORDS[r.code] ?? r.code.replaceAll('_', ' ')}: ${r.message}`)
			};
		case 'DOUBLE_BOOKED':
			return { summary: `${technician} has another assignment during every free slot of the window.`, reasons: [] };
		default:
			return { summary: error.message, reasons: [] };
	}
}

/** What the board says of a job's customer and site (each assignment, waiting visit and job without a visit). */
interface Site {
	customer_name?: string | null;
	site_address?: string | null;
	site_postal_code?: string | null;
}

/** Who and where a job is for: "Dana Doe, 12 Oak Ln" (the zip code when there is no address; empty with neither). */
export function siteOf(site: Site): string {
	const where = site.site_address ?? (site.site_postal_code ? `Zip ${site.site_postal_code}` : '');
	return [site.customer_name, where].filter(Boolean).join(', ');
}

const TIERS: Record<string, string> = { GOOD: 'Good', BETTER: 'Better', BEST: 'Best' };

export function tierLabel(tier: string | null): string {
	return tier ? (TIERS[tier] ?? tier) : '';
}

/** The options in their order (Good, Better, Best as the estimate has them). */
export function optionsInOrder(estimate: Estimate): EstimateOption[] {
	return [...(estimate.options ?? [])].sort((a, b) => a.position - b.position);
}

/** Who an estimate is for: the name the API gives (a customer's, or an association's for a work order). */
export function addressee(
	estimate: Pick<Estimate, 'customer_id' | 'customer_name' | 'hoa_organization_id' | 'work_order_id'>
): string {
	if (estimate.customer_name) return estimate.customer_name;
	if (estimate.customer_id) return 'A customer';
	if (estimate.work_order_id || estimate.hoa_organization_id) return 'An association (work order)';
	return '—';
}

/** Statuses in which the contractor may still send the estimate (ADMIN, MANAGER: the API decides). */
export function sendable(status: string): boolean {
	return status === 'DRAFT' || status === 'APPROVED';
}

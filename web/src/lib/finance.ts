/**
 * What the manager's finance pages share (journey 1): associations and their units, the receivables' aging
 * buckets as `accounting/report/v1/arAging` answers them, the latest collection step per unit, and the payables
 * approval queue's words (approvers, accounts and funds as the API names them). Figures are the API's decimal strings; only the chart's bar lengths read them as numbers.
 */
import { ApiError, type Output } from './api/client';
import { statusLabel } from './format';

export type Association = Output<'association/v1/list'>['items'][number];
export type PortfolioLine = Output<'report/portfolio/v1/dashboard'>['associations'][number];
export type Unit = Output<'unit/v1/list'>['items'][number];
export type Aging = Output<'accounting/report/v1/arAging'>;
export type AgingRow = Aging['rows'][number];
export type CollectionStep = Output<'accounting/posting/v1/collections'>['items'][number];
export type Invoice = Output<'accounting/apInvoice/v1/get'>;
export type QueuedInvoice = Output<'accounting/apInvoice/v1/list'>['items'][number];
export type ApprovalHistory = Output<'accounting/apApproval/v1/history'>;

/** The aging buckets, in the API's fields: "current" is 0–30 days past due. */
export const BUCKETS = [
	{ key: 'current', label: '0–30 days', long: 'Current (0–30 days past due)' },
	{ key: 'days_31_60', label: '31–60 days', long: '31–60 days past due' },
	{ key: 'days_61_90', label: '61–90 days', long: '61–90 days past due' },
	{ key: 'days_over_90', label: 'Over 90 days', long: 'Over 90 days past due' }
] as const;

export type BucketKey = (typeof BUCKETS)[number]['key'];

/** "How far behind" filters of the delinquency view: `min_days_past_due` of arAging. */
export const BEHIND = [
	{ value: 0, label: 'Every unit that owes' },
	{ value: 31, label: 'More than 30 days behind' },
	{ value: 61, label: 'More than 60 days behind' },
	{ value: 91, label: 'More than 90 days behind' }
] as const;

export function behindFilter(value: string | null): number {
	return BEHIND.find((b) => String(b.value) === value)?.value ?? 0;
}

/** Units in their natural order (2 before 10). */
export function byUnitNumber<T extends { unit_number: string }>(units: readonly T[]): T[] {
	return [...units].sort((a, b) => a.unit_number.localeCompare(b.unit_number, undefined, { numeric: true }));
}

/** A unit's street address on one line. */
export function addressOf(unit: Pick<Unit, 'address'>): string {
	const a = unit.address;
	const street = [a.line1, a.line2].filter(Boolean).join(', ');
	const town = [a.city, [a.state, a.postal_code].filter(Boolean).join(' ')].filter(Boolean).join(', ');
	return [street, town].filter(Boolean).join(', ') || '—';
}

export function unitTypeLabel(type: string): string {
	const words = statusLabel(type).toLowerCase();
	return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The most recent collection step taken for each unit (by notice date, then when it was recorded). */
export function latestSteps(steps: readonly CollectionStep[]): Map<string, CollectionStep> {
	const latest = new Map<string, CollectionStep>();
	for (const step of steps) {
		const known = latest.get(step.unit_id);
		if (
			!known ||
			step.noticed_on > known.noticed_on ||
			(step.noticed_on === known.noticed_on && step.created_at > known.created_at)
		) {
			latest.set(step.unit_id, step);
		}
	}
	return latest;
}

/** One bar of the aging chart: its share of the largest bucket (0..1). */
export function barShares(totals: Pick<AgingRow, BucketKey>): Record<BucketKey, number> {
	const largest = Math.max(0, ...BUCKETS.map((b) => Number(totals[b.key])));
	const share = (key: BucketKey) => (largest > 0 ? Math.max(0, Number(totals[key])) / largest : 0);
	return {
		current: share('current'),
		days_31_60: share('days_31_60'),
		days_61_90: share('days_61_90'),
		days_over_90: share('days_over_90')
	};
}

/** Where an invoice is in the approval chain, in words for the manager. */
export function invoiceStage(status: string): string {
	if (status === 'PENDING_APPROVAL') return 'Awaiting approval';
	if (status === 'PENDING_BOARD') return 'Waiting for the board';
	return statusLabel(status);
}

/** Who approved, as the history says it: you, or someone else by name (their role when the history has no name). */
export function approverLabel(role: string, mine: boolean, name?: string | null): string {
	const as = roleLabel(role).toLowerCase();
	if (mine) return `You (${as})`;
	return name ? `${name} (${as})` : `A ${as}`;
}

/** Whether a page names each invoice's association: the organization manages several (a management company), or
 * the invoices shown come from more than one. */
export function namesAssociations(
	organizationType: string | undefined,
	invoices: readonly { association_id: string }[]
): boolean {
	return organizationType === 'MANAGEMENT_COMPANY' || new Set(invoices.map((i) => i.association_id)).size > 1;
}

/** An invoice line's account, "5300 Landscaping" (as the API names it now). */
export function accountLabel(line: { gl_account_number?: string | null; gl_account_name?: string | null }): string {
	return [line.gl_account_number, line.gl_account_name].filter(Boolean).join(' ') || '—';
}

/** A fund in words: "OPERATING" → "Operating". */
export function fundLabel(fund: string | null | undefined): string {
	return fund ? fund.charAt(0) + fund.slice(1).toLowerCase() : '—';
}

export function roleLabel(role: string): string {
	if (role === 'BOARD_MEMBER') return 'Board member';
	if (role === 'ADMIN') return 'Administrator';
	if (role === 'MANAGER') return 'Manager';
	return statusLabel(role);
}

/** A refused approval in the API's words; `NOT_FOUND` said plainly. */
export function refusalText(error: unknown): string {
	if (!(error instanceof ApiError)) return 'The server could not be reached; try again.';
	if (error.code === 'NOT_FOUND') return 'There is no such invoice in this organization.';
	return error.message;
}

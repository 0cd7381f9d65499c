/**
 * What the manager's operations pages share (journey 1: the work order board, the violations queue, the ARC queue):
 * the work order lifecycle's columns and the moves `workOrder/v1/updateStatus` makes, the SLA badge in words, the
 * next step of a violation, and the names the outputs carry (unit numbers, common areas, providers) in words.
 */
import type { Input, Output } from './api/client';
import { day } from './format';

export type WorkOrder = Output<'workOrder/v1/list'>['items'][number];
export type WorkOrderStatus = WorkOrder['status'];
export type Violation = Output<'violation/v1/list'>['items'][number];
export type ViolationStatus = NonNullable<Input<'violation/v1/list'>['status']>;
export type ArcRequest = Output<'arc/request/v1/list'>['items'][number];
export type ArcStatus = NonNullable<Input<'arc/request/v1/list'>['status']>;

/** The lifecycle's statuses in order (src/hestami/cam/work_order/lifecycle.py); the last two end it. */
export const WORK_ORDER_STATUSES: readonly WorkOrderStatus[] = [
	'DRAFT',
	'SUBMITTED',
	'TRIAGED',
	'ASSIGNED',
	'SCHEDULED',
	'IN_PROGRESS',
	'ON_HOLD',
	'COMPLETED',
	'INVOICED',
	'CLOSED',
	'CANCELLED'
];
export const ENDED: readonly WorkOrderStatus[] = ['CLOSED', 'CANCELLED'];

const TRANSITIONS: Record<WorkOrderStatus, readonly WorkOrderStatus[]> = {
	DRAFT: ['SUBMITTED', 'CANCELLED'],
	SUBMITTED: ['TRIAGED', 'CANCELLED'],
	TRIAGED: ['ASSIGNED', 'CANCELLED'],
	ASSIGNED: ['SCHEDULED', 'CANCELLED'],
	SCHEDULED: ['IN_PROGRESS', 'CANCELLED'],
	IN_PROGRESS: ['ON_HOLD', 'COMPLETED', 'CANCELLED'],
	ON_HOLD: ['IN_PROGRESS', 'CANCELLED'],
	COMPLETED: ['INVOICED', 'CLOSED'],
	INVOICED: ['CLOSED'],
	CLOSED: [],
	CANCELLED: []
};
/** Moves that carry data have procedures of their own (assignVendor, schedule, complete, createInvoice). */
const DEDICATED: readonly WorkOrderStatus[] = ['ASSIGNED', 'SCHEDULED', 'COMPLETED', 'INVOICED'];

/** The moves `updateStatus` makes from a status (the API decides; it refuses any other). */
export function workOrderMoves(status: WorkOrderStatus): WorkOrderStatus[] {
	return TRANSITIONS[status].filter((s) => !DEDICATED.includes(s));
}

/** The moves from a status that need a form this console does not have yet (assigning, scheduling, ...). */
export function dedicatedMoves(status: WorkOrderStatus): WorkOrderStatus[] {
	return TRANSITIONS[status].filter((s) => DEDICATED.includes(s));
}

const SLA_RUNNING: readonly WorkOrderStatus[] = ['SUBMITTED', 'TRIAGED', 'ASSIGNED', 'SCHEDULED', 'IN_PROGRESS', 'ON_HOLD'];

export interface SlaBadge {
	text: string;
	tone: 'breached' | 'soon' | 'later';
}

/** The SLA in words: "Breached", "Due in 3 h" (within a day), "Due Dec 2, 2026"; none once the clock stopped
 * in time (or never ran). */
export function slaBadge(order: Pick<WorkOrder, 'status' | 'sla_due_at' | 'sla_breached'>, now = Date.now()): SlaBadge | null {
	if (!order.sla_due_at) return null;
	const running = SLA_RUNNING.includes(order.status);
	const left = new Date(order.sla_due_at).getTime() - now;
	if (order.sla_breached || (running && left <= 0)) return { text: 'Breached', tone: 'breached' };
	if (!running) return null;
	if (left < 3_600_000) return { text: `Due in ${Math.max(1, Math.round(left / 60_000))} min`, tone: 'soon' };
	if (left < 86_400_000) return { text: `Due in ${Math.round(left / 3_600_000)} h`, tone: 'soon' };
	return { text: `Due ${day(order.sla_due_at)}`, tone: 'later' };
}

export const PRIORITY_WORDS: Record<WorkOrder['priority'], string> = {
	LOW: 'Low',
	MEDIUM: 'Medium',
	HIGH: 'High',
	EMERGENCY: 'Emergency'
};

export const VIOLATION_STATUSES: readonly ViolationStatus[] = [
	'OPEN',
	'NOTICED',
	'CURE_PERIOD',
	'ESCALATED',
	'HEARING_SCHEDULED',
	'FINED',
	'CURED',
	'DISMISSED',
	'CLOSED'
];

/** What comes next for a violation in its status (the notice sequence of src/hestami/cam/violations/lifecycle.py). */
export function violationNextStep(status: string): string {
	switch (status) {
		case 'OPEN':
			return 'Courtesy notice';
		case 'NOTICED':
			return 'First notice if not cured';
		case 'CURE_PERIOD':
			return 'Second notice if not cured';
		case 'ESCALATED':
			return 'Schedule a hearing';
		case 'HEARING_SCHEDULED':
			return 'Hearing decision';
		case 'FINED':
		case 'CURED':
		case 'DISMISSED':
			return 'Close';
		default:
			return '—';
	}
}

/** The statuses from which `violation/v1/sendNotice` sends a next notice (courtesy, first or second). */
export function noticeDue(status: string): boolean {
	return status === 'OPEN' || status === 'NOTICED' || status === 'CURE_PERIOD';
}

export const ARC_STATUSES: readonly ArcStatus[] = [
	'DRAFT',
	'SUBMITTED',
	'UNDER_REVIEW',
	'CHANGES_REQUESTED',
	'APPROVED',
	'APPROVED_WITH_CONDITIONS',
	'DENIED',
	'WITHDRAWN',
	'EXPIRED'
];

/** `?status=` of a queue's address when it is one of `statuses`; otherwise every status. */
export function chosen<S extends string>(statuses: readonly S[], value: string | null): S | null {
	return statuses.find((s) => s === value) ?? null;
}

// --- names: the outputs carry them (unit numbers, common areas, providers, violation types, as they are now) ---------

/** A unit in words: "Unit 12", or "A unit" when its number is not readable. */
export function unitName(unitNumber: string | null | undefined): string {
	return unitNumber ? `Unit ${unitNumber}` : 'A unit';
}

/** Where a work order is, in words: its unit, its common area, or neither. */
export function workOrderPlace(
	order: Pick<WorkOrder, 'unit_id' | 'unit_number' | 'common_area_id' | 'common_area_name'>
): string {
	if (order.unit_id) return unitName(order.unit_number);
	if (order.common_area_id) return order.common_area_name ?? 'Common area';
	return '—';
}

/** The provider a work order is assigned to, by name when known. */
export function providerName(order: Pick<WorkOrder, 'assigned_provider_org_id' | 'provider_name'>): string {
	if (!order.assigned_provider_org_id) return 'Not assigned';
	return order.provider_name ?? 'A linked provider';
}

/**
 * What the manager's pages share (journey 1, the owner requests queue of README "Domain 9"): the request statuses a
 * queue filters by, the work order priorities a conversion chooses from, unit numbers by id, and the
 * ALREADY_CONVERTED refusal read back as the work order it names.
 */
import { ApiError, type Input, type Output } from './api/client';

export type RequestStatus = NonNullable<Input<'portal/request/v1/list'>['status']>;
export type QueuedRequest = Output<'portal/request/v1/list'>['items'][number];
export type Priority = NonNullable<Input<'portal/request/v1/convertToWorkOrder'>['priority']>;
export type Unit = Output<'unit/v1/list'>['items'][number];

export const STATUSES: readonly RequestStatus[] = ['SUBMITTED', 'IN_REVIEW', 'CONVERTED', 'RESOLVED', 'CLOSED', 'CANCELLED'];

/** A status a manager may still convert from (the API refuses any other with INVALID_STATE_TRANSITION). */
export function convertible(status: string): boolean {
	return status === 'SUBMITTED' || status === 'IN_REVIEW';
}

/** `?status=` of the queue's address, when it is one of the statuses; otherwise every status. */
export function statusFilter(value: string | null): RequestStatus | null {
	return STATUSES.find((s) => s === value) ?? null;
}

export const PRIORITIES: readonly { value: Priority; label: string }[] = [
	{ value: 'LOW', label: 'Low' },
	{ value: 'MEDIUM', label: 'Medium' },
	{ value: 'HIGH', label: 'High' },
	{ value: 'EMERGENCY', label: 'Emergency' }
];

/** Unit numbers by unit id. */
export function unitNumbers(units: readonly Unit[]): Map<string, string> {
	return new Map(units.map((u) => [u.id, u.unit_number]));
}

/** Where a request is about, in words: its unit, a common area, or neither. */
export function place(request: Pick<QueuedRequest, 'unit_id' | 'common_area_id'>, units: Map<string, string>): string {
	if (request.unit_id) {
		const number = units.get(request.unit_id);
		return number ? `Unit ${number}` : 'A unit';
	}
	return request.common_area_id ? 'Common area' : '—';
}

/** The work order number an ALREADY_CONVERTED refusal names, or null for any other error. */
export function alreadyConverted(error: unknown): string | null {
	if (!(error instanceof ApiError) || error.code !== 'BUSINESS_RULE_VIOLATION') return null;
	const details = (error.details ?? {}) as { reason?: unknown; work_order_number?: unknown };
	if (details.reason !== 'ALREADY_CONVERTED') return null;
	return typeof details.work_order_number === 'string' ? details.work_order_number : 'another work order';
}

export type Move = Input<'portal/request/v1/updateStatus'>['status'];

/** The moves a manager may make from a status by `updateStatus` (conversion has its own form); the API decides. */
export function movesFrom(status: string): Move[] {
	if (status === 'SUBMITTED') return ['IN_REVIEW', 'RESOLVED', 'CLOSED'];
	if (status === 'IN_REVIEW' || status === 'CONVERTED') return ['RESOLVED', 'CLOSED'];
	if (status === 'RESOLVED') return ['CLOSED'];
	return [];
}

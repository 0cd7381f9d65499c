/**
 * What the owner's pages share (journey 2): the caller's units from `portal/profile/v1/get`, the request
 * vocabulary in words, money and dates as the owner reads them, and a chosen file as the base64 the portal's
 * request procedures take (`attachments[].content_base64`, JSON: no multipart).
 */
import type { Input, Output } from './api/client';

export type Profile = Output<'portal/profile/v1/get'>;
export type Holding = Profile['parties'][number]['holdings'][number];
export type RequestCategory = Input<'portal/request/v1/create'>['category'];
export type OwnerRequest = Output<'portal/request/v1/list'>['items'][number];

/** The units the caller owns or rents today, each once (a unit held by two of their parties is one unit). */
export function myUnits(profile: Profile): Holding[] {
	const seen = new Map<string, Holding>();
	for (const party of profile.parties) {
		for (const holding of party.holdings) {
			if (!seen.has(holding.unit_id) || holding.relation === 'OWNER') seen.set(holding.unit_id, holding);
		}
	}
	return [...seen.values()].sort((a, b) => a.unit_number.localeCompare(b.unit_number, undefined, { numeric: true }));
}

export const CATEGORIES: readonly { value: RequestCategory; label: string }[] = [
	{ value: 'MAINTENANCE', label: 'Maintenance or repair' },
	{ value: 'COMMON_AREA', label: 'Common area' },
	{ value: 'BILLING', label: 'Billing' },
	{ value: 'NOISE_OR_NUISANCE', label: 'Noise or nuisance' },
	{ value: 'GENERAL_INQUIRY', label: 'General question' },
	{ value: 'OTHER', label: 'Other' }
];

export function categoryLabel(category: string): string {
	return CATEGORIES.find((c) => c.value === category)?.label ?? category;
}

/** A status as the owner reads it: SUBMITTED stays recognisable (tests and support quote it). */
export function statusLabel(status: string): string {
	return status.replaceAll('_', ' ');
}

const dollars = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

/** The API's decimal strings ("1234.50") as dollars; the figure itself is never recomputed here. */
export function money(amount: string | number): string {
	return dollars.format(Number(amount));
}

export function day(value: string): string {
	const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00`) : new Date(value);
	return date.toLocaleDateString('en-US', { year: 'numeric', month: 'short', day: 'numeric' });
}

export function moment(value: string): string {
	return new Date(value).toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short' });
}

/** A chosen file as `{file_name, content_base64}`. */
export async function asAttachment(file: File): Promise<{ file_name: string; content_base64: string }> {
	const bytes = new Uint8Array(await file.arrayBuffer());
	let binary = '';
	const chunk = 0x8000;
	for (let start = 0; start < bytes.length; start += chunk) {
		binary += String.fromCharCode(...bytes.subarray(start, start + chunk));
	}
	return { file_name: file.name, content_base64: btoa(binary) };
}

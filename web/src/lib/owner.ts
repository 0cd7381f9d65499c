/**
 * What the owner's pages share (journey 2): the caller's units from `portal/profile/v1/get`, the request
 * vocabulary in words (money, dates and files: $lib/format).
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

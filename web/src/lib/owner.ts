/**
 * What the owner's pages share (journey 2): the caller's units from `portal/profile/v1/get`, the request
 * vocabulary in words (money, dates and files: $lib/format); ARC requests, violations, the association's documents
 * and paying, in words.
 */
import type { Input, Output } from './api/client';
import { statusLabel } from './format';

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

// ARC requests (journey 2: asking the committee before changing the unit)

export type ArcRequest = Output<'arc/request/v1/get'>;
export type ArcCategory = Input<'arc/request/v1/create'>['category'];
export type ArcDocument = Output<'arc/request/v1/listDocuments'>['items'][number];
export type ArcDocumentKind = NonNullable<Input<'arc/request/v1/addDocument'>['kind']>;

export const ARC_CATEGORIES: readonly { value: ArcCategory; label: string }[] = [
	{ value: 'FENCE', label: 'Fence' },
	{ value: 'ROOF', label: 'Roof' },
	{ value: 'PAINT', label: 'Paint' },
	{ value: 'ADDITION', label: 'Addition' },
	{ value: 'SOLAR', label: 'Solar' },
	{ value: 'LANDSCAPING', label: 'Landscaping' },
	{ value: 'OTHER', label: 'Other' }
];

export const ARC_DOCUMENT_KINDS: readonly { value: ArcDocumentKind; label: string }[] = [
	{ value: 'PLAN', label: 'Plan or drawing' },
	{ value: 'SPECIFICATION', label: 'Specification' },
	{ value: 'PHOTO', label: 'Photo' },
	{ value: 'PERMIT', label: 'Permit' },
	{ value: 'OTHER', label: 'Other' }
];

export function arcCategoryLabel(category: string): string {
	return ARC_CATEGORIES.find((c) => c.value === category)?.label ?? category;
}

export function arcKindLabel(kind: string): string {
	return ARC_DOCUMENT_KINDS.find((k) => k.value === kind)?.label ?? kind;
}

/** A request the owner may still add documents to and (re)submit. */
export function arcEditable(status: string): boolean {
	return status === 'DRAFT' || status === 'CHANGES_REQUESTED';
}

/** Each document filed with a request once, at its latest version (`listDocuments` lists every version). */
export function latestVersions(items: readonly ArcDocument[]): ArcDocument[] {
	const latest = new Map<string, ArcDocument>();
	for (const item of items) {
		const known = latest.get(item.document_id);
		if (!known || item.version_number > known.version_number) latest.set(item.document_id, item);
	}
	return [...latest.values()];
}

// Violations (the owner sees her own units')

export type Violation = Output<'violation/v1/get'>;
export type ViolationNotice = Output<'violation/v1/listNotices'>['items'][number];
export type ViolationEvidence = Output<'violation/v1/listEvidence'>['items'][number];
export type ViolationAnswer = Input<'violation/v1/respond'>['action'];

/** The violation type's name as it is now (`violation_type_name`) and its rule as recorded with the violation
 * (`settings.type`), or null when the name is not readable. */
export function violationType(
	violation: Pick<Violation, 'settings' | 'violation_type_name'>
): { name: string; rule: string | null } | null {
	const name = violation.violation_type_name;
	if (!name) return null;
	const type = violation.settings['type'];
	const rule = typeof type === 'object' && type !== null ? (type as { rule_reference?: unknown }).rule_reference : null;
	return { name, rule: typeof rule === 'string' ? rule : null };
}

/** Still open to the owner's answer: the API refuses any answer on a CLOSED violation. */
export function violationOpen(status: string): boolean {
	return status !== 'CLOSED';
}

export const NOTICE_STEPS: Readonly<Record<string, string>> = {
	COURTESY: 'Courtesy notice',
	FIRST: 'First notice',
	SECOND: 'Second notice',
	HEARING: 'Hearing notice',
	FINE: 'Fine notice'
};

// Documents of the association

export type PortalDocument = Output<'portal/document/v1/list'>['items'][number];

export const DOCUMENT_CATEGORIES: Readonly<Record<string, string>> = {
	CC_AND_RS: 'CC&Rs',
	BYLAWS: 'Bylaws',
	ARTICLES: 'Articles of incorporation',
	RULES: 'Rules and regulations',
	POLICY: 'Policies',
	FINANCIAL_REPORT: 'Financial reports',
	BUDGET: 'Budgets',
	CONTRACT: 'Contracts',
	INSURANCE: 'Insurance',
	RESERVE_STUDY: 'Reserve studies',
	ARC_PLAN: 'Architectural plans',
	INSPECTION_REPORT: 'Inspection reports',
	NOTICE: 'Notices',
	MINUTES: 'Meeting minutes',
	PHOTO: 'Photos',
	CORRESPONDENCE: 'Correspondence',
	OTHER: 'Other'
};

/** Documents grouped by category, the categories in the order above (unknown ones last), each newest first. */
export function byCategory(documents: readonly PortalDocument[]): { category: string; label: string; items: PortalDocument[] }[] {
	const order = Object.keys(DOCUMENT_CATEGORIES);
	const groups = new Map<string, PortalDocument[]>();
	for (const document of documents) groups.set(document.category, [...(groups.get(document.category) ?? []), document]);
	const rank = (category: string) => (order.includes(category) ? order.indexOf(category) : order.length);
	return [...groups.entries()]
		.sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
		.map(([category, items]) => ({ category, label: DOCUMENT_CATEGORIES[category] ?? statusLabel(category), items }));
}

/** A file's size in words. */
export function fileSize(bytes: number | null | undefined): string {
	if (bytes === null || bytes === undefined) return '';
	return bytes < 1024 ? `${bytes} bytes` : bytes < 1024 * 1024 ? `${Math.ceil(bytes / 1024)} KB` : `${(bytes / 1048576).toFixed(1)} MB`;
}

/** Saves a download link the API answered (a signed, short-lived URL, relative to the API's host) as `fileName`. */
export function saveFile(url: string, fileName: string): void {
	const link = document.createElement('a');
	link.href = url;
	link.download = fileName;
	link.rel = 'noopener';
	document.body.append(link);
	link.click();
	link.remove();
}

// Paying

export type Balance = Output<'portal/payment/v1/balance'>;
export type PaymentMethod = Output<'portal/payment/v1/listMethods'>['items'][number];
export type CardBrand = NonNullable<Input<'portal/payment/v1/addMethod'>['brand']>;

export const CARD_BRANDS: readonly { value: CardBrand; label: string }[] = [
	{ value: 'VISA', label: 'Visa' },
	{ value: 'MASTERCARD', label: 'Mastercard' },
	{ value: 'AMEX', label: 'American Express' },
	{ value: 'DISCOVER', label: 'Discover' },
	{ value: 'OTHER', label: 'Other' }
];

/** What a payment form starts at: the balance when something is due, else nothing (a credit is not paid). */
export function amountDue(balance: Pick<Balance, 'balance'>): string {
	return Number(balance.balance) > 0 ? balance.balance : '';
}

/** A stored method in words: "Visa for HOA dues (Visa ending 4242)". */
export function methodLabel(method: PaymentMethod): string {
	const what =
		method.kind === 'CARD'
			? `${CARD_BRANDS.find((b) => b.value === method.brand)?.label ?? 'Card'} ending ${method.last4}`
			: `${method.bank_name ?? 'Bank account'} ending ${method.last4}`;
	return method.label && method.label !== what ? `${method.label} (${what})` : what;
}

/** The party that pays for the unit: the one holding it as OWNER (else the caller's first). */
export function payingParty(profile: Profile, unitId: string): Profile['parties'][number] | null {
	return (
		profile.parties.find((p) => p.holdings.some((h) => h.unit_id === unitId && h.relation === 'OWNER')) ??
		profile.parties[0] ??
		null
	);
}

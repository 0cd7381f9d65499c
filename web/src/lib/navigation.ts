/** The console's sections, by the role the user holds in the selected organization and, where a section belongs to
 * one side of the platform, the organization's type (a contractor's manager does not run an association). The API
 * authorizes every call; navigation only shows the way. The dashboard is everyone's. */
export interface Section {
	href: string;
	label: string;
	roles: readonly string[] | 'any';
	/** Organization types the section is for; absent: any. */
	kinds?: readonly string[];
}

const ASSOCIATION_SIDE = ['COMMUNITY_ASSOCIATION', 'MANAGEMENT_COMPANY'] as const;
const CONTRACTOR_SIDE = ['SERVICE_PROVIDER', 'EXTERNAL_SERVICE_PROVIDER'] as const;
const MANAGERS = ['MANAGER', 'ADMIN'] as const;
const OWNERS = ['OWNER', 'TENANT'] as const;

export const SECTIONS: readonly Section[] = [
	{ href: '/', label: 'Dashboard', roles: 'any' },
	{ href: '/organizations', label: 'Organizations', roles: 'any' },
	// the owner (journey 2)
	{ href: '/my', label: 'My home', roles: OWNERS },
	{ href: '/my/requests/new', label: 'New request', roles: OWNERS },
	{ href: '/my/pay', label: 'Pay', roles: ['OWNER'] },
	{ href: '/my/arc', label: 'My ARC requests', roles: ['OWNER'] },
	{ href: '/my/violations', label: 'My violations', roles: OWNERS },
	{ href: '/my/documents', label: 'Documents', roles: OWNERS },
	// the manager (journey 1)
	{ href: '/manage/associations', label: 'Associations', roles: MANAGERS, kinds: ASSOCIATION_SIDE },
	{ href: '/manage/delinquency', label: 'Delinquency', roles: MANAGERS, kinds: ASSOCIATION_SIDE },
	{ href: '/manage/payables', label: 'Payables', roles: MANAGERS, kinds: ASSOCIATION_SIDE },
	{ href: '/manage/work-orders', label: 'Work orders', roles: MANAGERS, kinds: ASSOCIATION_SIDE },
	{ href: '/manage/violations', label: 'Violations', roles: MANAGERS, kinds: ASSOCIATION_SIDE },
	{ href: '/manage/arc', label: 'ARC queue', roles: MANAGERS, kinds: ASSOCIATION_SIDE },
	{ href: '/manage/requests', label: 'Owner requests', roles: MANAGERS, kinds: ASSOCIATION_SIDE },
	// the board (journey 3)
	{ href: '/board/meetings', label: 'Meetings', roles: ['BOARD_MEMBER'], kinds: ASSOCIATION_SIDE },
	{ href: '/board/invoices', label: 'Invoices to approve', roles: ['BOARD_MEMBER'], kinds: ASSOCIATION_SIDE },
	{ href: '/board/reserve', label: 'Reserves', roles: ['BOARD_MEMBER'], kinds: ASSOCIATION_SIDE },
	// the contractor (journeys 5 and 6)
	{ href: '/dispatch', label: 'Dispatch board', roles: ['DISPATCHER', ...MANAGERS], kinds: CONTRACTOR_SIDE },
	{ href: '/estimates', label: 'Estimates', roles: ['DISPATCHER', ...MANAGERS], kinds: CONTRACTOR_SIDE }
];

/** Boards use the whole width of the screen (a lane per technician, a column per status). */
export const WIDE_PAGES: ReadonlySet<string> = new Set(['/dispatch', '/manage/work-orders']);

export function sectionsFor(roles: readonly string[], kind: string | null = null): Section[] {
	return SECTIONS.filter(
		(s) =>
			(s.roles === 'any' || s.roles.some((r) => roles.includes(r))) &&
			(s.kinds === undefined || (kind !== null && s.kinds.includes(kind)))
	);
}
/** Who the user is in this organization, in words, for the header. */
export function audience(roles: readonly string[]): string {
	if (roles.includes('ADMIN')) return 'Administrator';
	if (roles.includes('MANAGER')) return 'Manager';
	if (roles.includes('BOARD_MEMBER')) return 'Board member';
	if (roles.includes('DISPATCHER')) return 'Dispatcher';
	if (roles.includes('TECHNICIAN')) return 'Technician';
	if (roles.includes('VENDOR')) return 'Contractor';
	if (roles.includes('OWNER')) return 'Owner';
	if (roles.includes('TENANT')) return 'Resident';
	return 'Member';
}

/** The console's sections, by the role the user holds in the selected organization. Pages for each audience
 * arrive with the journeys (issue 25); the dashboard is everyone's. */
export interface Section {
	href: string;
	label: string;
	roles: readonly string[] | 'any';
}

export const SECTIONS: readonly Section[] = [
	{ href: '/', label: 'Dashboard', roles: 'any' },
	{ href: '/organizations', label: 'Organizations', roles: 'any' },
	{ href: '/my', label: 'My home', roles: ['OWNER', 'TENANT'] },
	{ href: '/my/requests/new', label: 'New request', roles: ['OWNER', 'TENANT'] },
	{ href: '/manage/requests', label: 'Owner requests', roles: ['MANAGER', 'ADMIN'] }
];

export function sectionsFor(roles: readonly string[]): Section[] {
	return SECTIONS.filter((s) => s.roles === 'any' || s.roles.some((r) => roles.includes(r)));
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

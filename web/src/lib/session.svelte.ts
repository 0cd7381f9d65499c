/**
 * The signed-in session: token (sessionStorage: gone with the tab), the user, their organizations and the one
 * selected (explicit scope: every org-scoped call sends its id as `X-Org-Id`).
 */
import { createApi, type Output } from './api/client';

export type Organization = Output<'organization/v1/list'>['items'][number];
export type User = Output<'auth/v1/me'>['user'];

const STORE = 'hestami.session';

interface Stored {
	token: string;
	expiresAt: string;
	user: User;
	organizations: Organization[];
	organizationId: string | null;
}

function load(): Stored | null {
	try {
		const raw = sessionStorage.getItem(STORE);
		return raw ? (JSON.parse(raw) as Stored) : null;
	} catch {
		return null;
	}
}

class Session {
	current = $state<Stored | null>(load());
	/** The session ended because it lapsed (refused and not refreshable), not by logging out: the login says so. */
	lapsed = $state(false);

	get signedIn(): boolean {
		return this.current !== null;
	}

	get organization(): Organization | null {
		const current = this.current;
		return current?.organizations.find((o) => o.id === current.organizationId) ?? null;
	}

	/** The roles the user holds in the selected organization. */
	get roles(): string[] {
		return this.organization?.roles ?? [];
	}

	begin(login: Output<'auth/v1/login'>): void {
		this.lapsed = false;
		const organizations = login.organizations;
		const preferred = organizations.find((o) => o.is_default) ?? (organizations.length === 1 ? organizations[0] : undefined);
		this.save({
			token: login.token,
			expiresAt: login.expires_at,
			user: login.user,
			organizations,
			organizationId: preferred?.id ?? null
		});
	}

	select(organizationId: string): void {
		if (this.current?.organizations.some((o) => o.id === organizationId)) {
			this.save({ ...this.current, organizationId });
		}
	}

	know(user: User, organizations: Organization[]): void {
		if (!this.current) return;
		const kept = organizations.some((o) => o.id === this.current?.organizationId);
		this.save({ ...this.current, user, organizations, organizationId: kept ? this.current.organizationId : null });
	}

	end(lapsed = false): void {
		this.lapsed = lapsed;
		this.current = null;
		sessionStorage.removeItem(STORE);
	}

	private save(next: Stored): void {
		this.current = next;
		sessionStorage.setItem(STORE, JSON.stringify(next));
	}
}

export const session = new Session();

export const api = createApi({
	token: () => session.current?.token ?? null,
	organizationId: () => session.current?.organizationId ?? null,
	expiresAt: () => session.current?.expiresAt ?? null,
	renewed: (token, expiresAt) => {
		if (session.current) session.current = { ...session.current, token, expiresAt };
		if (session.current) sessionStorage.setItem(STORE, JSON.stringify(session.current));
	},
	expired: () => session.end(true) // the layout takes a signed-out page to /login
});

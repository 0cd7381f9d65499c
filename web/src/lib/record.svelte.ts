import { untrack } from 'svelte';
import { page } from '$app/state';
import { ApiError, problemText } from '$lib/api/client';
import { session } from '$lib/session.svelte';

/** `missing` (e.g. "There is no such violation in this organization.") when the record is not there or the id is no
 * id; otherwise the error's own words. */
export function noSuch(error: unknown, missing: string): string {
	return error instanceof ApiError && (error.code === 'NOT_FOUND' || error.code === 'VALIDATION_FAILED')
		? missing
		: problemText(error);
}

export interface RecordPage {
	/** What a record that is not there says, e.g. "There is no such ARC request in this organization." */
	missing: string;
	/** Clears the page before it reads (again). */
	start(): void;
	/** Reads the record and its lists together (the page ignores an answer for another id). */
	load(id: string): Promise<void>;
	/** Shows why the record could not be read. */
	failed(problem: string): void;
	/** Pages that need an organization: without one, say "Choose an organization first." and read nothing. */
	needsOrganization?: boolean;
}

/**
 * A record page's loading, set up while the page is created: whenever its `[id]` or the chosen organization changes,
 * it starts over and reads the record again. `reload(id)` reads it again after a change, its errors shown the same way.
 */
export function followRecord(record: RecordPage): { reload(id: string): void } {
	const reload = (id: string) => {
		record.load(id).catch((error: unknown) => record.failed(noSuch(error, record.missing)));
	};
	// derived: a new session object (e.g. the user read again) with the same organization reads nothing again
	const organizationId = $derived(session.current?.organizationId ?? null);
	$effect(() => {
		const id = page.params.id ?? '';
		const organization = organizationId;
		untrack(() => {
			if (record.needsOrganization && !organization) {
				record.failed('Choose an organization first.');
				return;
			}
			record.start();
			reload(id);
		});
	});
	return { reload };
}

/**
 * A record page's record and its lists, read together by `read(id)` whenever the page's `[id]` or the chosen
 * organization changes (create it while the page is created). `value` is null while it loads; `problem` says why it
 * could not be read (or, once shown, why a reading again failed); `done` what a form on the page just did.
 */
export class RecordLoad<T> {
	value = $state<T | null>(null);
	problem = $state('');
	done = $state('');
	readonly #id = $derived(page.params.id ?? '');
	readonly #record: { reload(id: string): void };

	constructor(missing: string, read: (id: string) => Promise<T>, needsOrganization = false) {
		this.#record = followRecord({
			missing,
			needsOrganization,
			start: () => {
				this.value = null;
				this.problem = '';
				this.done = '';
			},
			load: async (id) => {
				const value = await read(id);
				if (id === this.#id) this.value = value;
			},
			failed: (text) => (this.problem = text)
		});
	}

	/** A form changed the record: says so, and reads it again. */
	changed = (message: string): void => {
		this.done = message;
		this.problem = '';
		this.#record.reload(this.#id);
	};
}

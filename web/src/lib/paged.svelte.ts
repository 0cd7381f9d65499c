import { problemText } from '$lib/api/client';
import { session } from '$lib/session.svelte';

/** One page of a list as the API answers it. */
export interface Page<T> {
	items: T[];
	next_cursor: string | null;
}

/** Reads one page: the first with `cursor` null, the next with the cursor the last page answered. */
export type ReadPage<T> = (cursor: string | null) => Promise<Page<T>>;

/**
 * A list read a page at a time ("More …" fetches the next page). `items` is null while the first page loads;
 * `problem` says why it could not be read. `reset(read)` starts over (a new filter, another organization): the
 * answers of a replaced read are ignored.
 */
export class PagedList<T> {
	items = $state<T[] | null>(null);
	next = $state<string | null>(null);
	busy = $state(false);
	problem = $state('');
	#read: ReadPage<T> | null = null;

	/** Starts over with `read`, or with nothing to read (`problem` then says why, e.g. no organization chosen). */
	reset(read: ReadPage<T> | null, problem = ''): void {
		this.#read = read;
		this.items = null;
		this.next = null;
		this.busy = false;
		this.problem = problem;
		if (!read) return;
		read(null).then(
			(answer) => {
				if (this.#read !== read) return;
				this.items = answer.items;
				this.next = answer.next_cursor;
			},
			(error: unknown) => {
				if (this.#read === read) this.problem = problemText(error);
			}
		);
	}

	/** Starts over with its first page already read (together with the record it belongs to); `read` reads the next
	 * ones. */
	show(first: Page<T>, read: ReadPage<T>): void {
		this.#read = read;
		this.items = first.items;
		this.next = first.next_cursor;
		this.busy = false;
		this.problem = '';
	}

	/** Reads the next page and adds it to the items. */
	async more(): Promise<void> {
		const read = this.#read;
		const cursor = this.next;
		if (!read || !cursor || !this.items) return;
		this.busy = true;
		try {
			const answer = await read(cursor);
			if (this.#read !== read || !this.items) return;
			this.items = [...this.items, ...answer.items];
			this.next = answer.next_cursor;
		} catch (error) {
			if (this.#read === read) this.problem = problemText(error);
		} finally {
			if (this.#read === read) this.busy = false;
		}
	}
}

/** In a page's `$effect`: `list` starts over with `read` in the chosen organization (again when another is chosen);
 * without one, it says to choose one. */
export function readInOrganization<T>(list: PagedList<T>, read: ReadPage<T>): void {
	if (session.current?.organizationId) list.reset(read);
	else list.reset(null, 'Choose an organization first.');
}

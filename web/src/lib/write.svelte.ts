import { ApiError, newSubmission, problemText, type FieldErrors, type Submission } from '$lib/api/client';

/**
 * A form's write: `busy` while it runs, the API's field errors (`errors`, shown next to their fields) and a refusal
 * (`problem`, shown in `role="alert"`). One submission per submitted form: kept across retries of the same content,
 * new once anything is edited (`edited`, on the form's `oninput`) or once the write is done.
 */
export class FormWrite {
	busy = $state(false);
	errors = $state<FieldErrors>({});
	problem = $state('');
	#submission: Submission | null = null;
	readonly #prefix: string;
	readonly #correct: string | null;

	/** `prefix`: the form's ids' prefix, e.g. `send` for `send-message-error`; `correct`: what a refusal with field
	 * errors says above the form (null: the API's own message); `fields`: the API's fields as the form names them. */
	readonly #fields: (errors: FieldErrors) => FieldErrors;

	constructor(
		prefix = '',
		correct: string | null = 'Please correct the fields marked below.',
		fields: (errors: FieldErrors) => FieldErrors = (errors) => errors
	) {
		this.#prefix = prefix;
		this.#correct = correct;
		this.#fields = fields;
	}

	/** The form was edited: its next write is a new submission. */
	edited = (): void => {
		this.#submission = null;
	};

	/** The id of a field's error, while it has one (for `aria-describedby`). */
	described = (field: string): string | undefined =>
		this.errors[field] ? `${this.#prefix ? `${this.#prefix}-` : ''}${field}-error` : undefined;

	/** `aria-invalid` of a field. */
	invalid = (field: string): 'true' | undefined => (this.errors[field] ? 'true' : undefined);

	/** Runs the write with the form's submission: its answer, or null when it was refused (the errors are shown). */
	async run<R>(write: (submission: Submission) => Promise<R>): Promise<R | null> {
		this.busy = true;
		this.errors = {};
		this.problem = '';
		this.#submission ??= newSubmission();
		try {
			const answer = await write(this.#submission);
			this.#submission = null;
			return answer;
		} catch (error) {
			if (error instanceof ApiError) {
				this.errors = this.#fields(error.fieldErrors);
				this.problem = Object.keys(this.errors).length && this.#correct !== null ? this.#correct : error.message;
				if (!error.retryable) this.#submission = null;
			} else {
				this.problem = problemText(error, true);
			}
			return null;
		} finally {
			this.busy = false;
		}
	}
}

/**
 * The one way the console talks to the API: the generated types (`schema.d.ts`, from `hestami openapi`) and
 * openapi-fetch, plus what every call needs: the bearer token, `X-Org-Id` of the selected organization, one
 * `Idempotency-Key` per submitted form (kept across its retries), a single refresh on 401, and the error envelope
 * turned into an `ApiError` whose `field_errors` map onto form fields.
 */
import createClient from 'openapi-fetch';
import type { components, paths } from './schema';

type RpcPath = Extract<keyof paths, `/api/v1/rpc/${string}`>;
/** A procedure's name as API.md writes it: `auth/v1/login`, `workOrder/v1/create`. */
export type Procedure = RpcPath extends `/api/v1/rpc/${infer Name}` ? Name : never;
type Operation<P extends Procedure> = NonNullable<paths[`/api/v1/rpc/${P}`]['post']>;
type Body<P extends Procedure> = Operation<P> extends {
	requestBody: { content: { 'application/json': infer B } };
}
	? B
	: never;
type Envelope<P extends Procedure> = Operation<P> extends {
	responses: { 200: { content: { 'application/json': infer E } } };
}
	? E
	: never;
/** What a procedure answers (the success envelope's `data`). */
export type Output<P extends Procedure> = Envelope<P> extends { data: infer D } ? D : never;
/** What a procedure takes; `{}` for those without input. */
export type Input<P extends Procedure> = Body<P>;
type HeadersOf<P extends Procedure> = Operation<P> extends { parameters: { header: infer H } } ? H : object;
/** Mutating procedures declare `Idempotency-Key`: they need a submission. */
type NeedsSubmission<P extends Procedure> = HeadersOf<P> extends { 'Idempotency-Key': string } ? true : false;

export type ErrorBody = components['schemas']['ErrorBody'];
export type FieldErrors = Record<string, string>;

/** One submitted form: its key stays the same across the retries of that submission, so the API applies it once. */
export interface Submission {
	readonly key: string;
}

export function newSubmission(): Submission {
	return { key: crypto.randomUUID() };
}

export type CallOptions<P extends Procedure> =
	NeedsSubmission<P> extends true
		? { submission: Submission; signal?: AbortSignal }
		: { submission?: undefined; signal?: AbortSignal };

/** The API's error envelope as an exception. */
export class ApiError extends Error {
	readonly code: string;
	readonly status: number;
	readonly retryable: boolean;
	readonly details: unknown;
	readonly fieldErrors: FieldErrors;

	constructor(body: ErrorBody) {
		super(body.message);
		this.name = 'ApiError';
		this.code = body.code;
		this.status = body.http_status;
		this.retryable = body.retryable;
		this.details = body.details;
		this.fieldErrors = fieldErrors(body);
	}
}

/** What a page says when a call failed: the API's message, or that the server could not be reached (`retry`: a
 * submitted form, which the user may send again with the same idempotency key). */
export function problemText(error: unknown, retry = false): string {
	if (error instanceof ApiError) return error.message;
	return retry ? 'The server could not be reached; try again.' : 'The server could not be reached.';
}

/** `field_errors` as `{field: message}`: the JSON-pointer-like `/items/0/amount` becomes `items.0.amount`; the
 * first message per field wins; an error on the whole body (field `""` or `/`) is under `_`. */
export function fieldErrors(body: Pick<ErrorBody, 'field_errors'>): FieldErrors {
	const map: FieldErrors = {};
	for (const error of body.field_errors ?? []) {
		const field = error.field.replace(/^\/+/, '').split('/').join('.') || '_';
		map[field] ??= error.message;
	}
	return map;
}

/** Where the client keeps what it sends with every call; the session store implements it. */
export interface Credentials {
	token(): string | null;
	organizationId(): string | null;
	/** When the token's idle expiry falls (ISO 8601), or null. */
	expiresAt(): string | null;
	/** A refreshed token replaces the old one. */
	renewed(token: string, expiresAt: string): void;
	/** The session is over (refused and not refreshable): forget it and go to /login. */
	expired(): void;
}

const NO_REFRESH: ReadonlySet<string> = new Set(['auth/v1/login', 'auth/v1/refresh', 'auth/v1/register']);

/** A call made this close to the token's idle expiry refreshes it first: a session in use does not lapse (a refresh
 * needs a token that still works; once it has lapsed, only logging in again helps). */
export const REFRESH_MARGIN_MS = 5 * 60_000;

/** Whether the token's expiry (`expiresAt`, ISO 8601) is within the margin of `now`. */
export function refreshDue(expiresAt: string | null, now = Date.now()): boolean {
	return expiresAt !== null && Date.parse(expiresAt) - now < REFRESH_MARGIN_MS;
}

export function createApi(credentials: Credentials, baseUrl = '') {
	const http = createClient<paths>({ baseUrl });
	let refreshing: Promise<boolean> | null = null;

	async function send(procedure: string, body: unknown, submission?: Submission, signal?: AbortSignal) {
		const headers: Record<string, string> = {};
		const token = credentials.token();
		const organization = credentials.organizationId();
		if (token) headers['Authorization'] = `Bearer ${token}`;
		if (organization) headers['X-Org-Id'] = organization;
		if (submission) headers['Idempotency-Key'] = submission.key;
		// The typed surface is `call` below; openapi-fetch gets the path it declares and the body as is.
		const post = http.POST as unknown as (
			path: string,
			init: { body: unknown; headers: Record<string, string>; signal?: AbortSignal }
		) => Promise<{ data?: { data: unknown }; error?: { error: ErrorBody }; response: Response }>;
		return post(`/api/v1/rpc/${procedure}`, { body, headers, signal });
	}

	/** One refresh at a time; true when a new token came back. */
	function refresh(): Promise<boolean> {
		refreshing ??= (async () => {
			try {
				const answer = await send('auth/v1/refresh', {});
				const data = answer.data?.data as Output<'auth/v1/refresh'> | undefined;
				if (!data) return false;
				credentials.renewed(data.token, data.expires_at);
				return true;
			} catch {
				return false;
			} finally {
				refreshing = null;
			}
		})();
		return refreshing;
	}

	/** Calls a procedure: its output, or throws `ApiError` (the envelope's error). Near the token's expiry it is
	 * refreshed first; a 401 refreshes the session once and retries (with the same Idempotency-Key); when that fails
	 * too the session is over. */
	async function call<P extends Procedure>(
		procedure: P,
		input: Input<P>,
		...options: NeedsSubmission<P> extends true ? [CallOptions<P>] : [CallOptions<P>?]
	): Promise<Output<P>> {
		const { submission, signal } = (options[0] ?? {}) as { submission?: Submission; signal?: AbortSignal };
		if (!NO_REFRESH.has(procedure) && credentials.token() && refreshDue(credentials.expiresAt())) await refresh();
		let answer = await send(procedure, input, submission, signal);
		if (answer.response.status === 401 && !NO_REFRESH.has(procedure) && credentials.token()) {
			answer = (await refresh()) ? await send(procedure, input, submission, signal) : answer;
			if (answer.response.status === 401) credentials.expired();
		}
		if (answer.data) return answer.data.data as Output<P>;
		throw new ApiError(answer.error?.error ?? unreadable(answer.response));
	}

	return { call, refresh };
}

function unreadable(response: Response): ErrorBody {
	return {
		code: 'INTERNAL_ERROR',
		type: 'about:blank',
		http_status: response.status,
		message: `The server answered ${response.status} without the API's envelope.`,
		details: null,
		retryable: response.status >= 500,
		field_errors: []
	};
}

export type Api = ReturnType<typeof createApi>;

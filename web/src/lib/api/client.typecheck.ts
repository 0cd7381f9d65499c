/* Compile-time checks of the client's typing (svelte-check runs them; nothing here executes). */
import { newSubmission, type Api } from './client';

export function typing(api: Api): void {
	void api.call('auth/v1/login', { email: 'a@b.test', password: 'x' });
	// @ts-expect-error a mutating, org-scoped procedure needs a submission (its Idempotency-Key)
	void api.call('workOrder/v1/create', {} as never);
	// @ts-expect-error the input is checked against the procedure's schema
	void api.call('auth/v1/login', { email: 'a@b.test' });
	// @ts-expect-error only procedures the API declares
	void api.call('auth/v1/nonsense', {});
	const submission = newSubmission();
	void api.call('workOrder/v1/create', {} as never, { submission });
}

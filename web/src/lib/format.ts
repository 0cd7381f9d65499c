/**
 * How every page of the console writes what the API answers: statuses in words, the API's decimal strings as
 * dollars (never recomputed here), dates and moments, and a chosen file as the base64 the JSON procedures take
 * (`content_base64`: no multipart).
 */

/** A status in words: SUBMITTED stays recognisable (tests and support quote it). */
export function statusLabel(status: string): string {
	return status.replaceAll('_', ' ');
}

const dollars = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

/** The API's decimal strings ("1234.50") as dollars; the figure itself is never recomputed here. */
export function money(amount: string | number): string {
	return dollars.format(Number(amount));
}

export function day(value: string): string {
	const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00`) : new Date(value);
	return date.toLocaleDateString('en-US', { year: 'numeric', month: 'short', day: 'numeric' });
}

export function moment(value: string): string {
	return new Date(value).toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short' });
}

/** A chosen file as `{file_name, content_base64}`. */
export async function asAttachment(file: File): Promise<{ file_name: string; content_base64: string }> {
	const bytes = new Uint8Array(await file.arrayBuffer());
	let binary = '';
	const chunk = 0x8000;
	for (let start = 0; start < bytes.length; start += chunk) {
		binary += String.fromCharCode(...bytes.subarray(start, start + chunk));
	}
	return { file_name: file.name, content_base64: btoa(binary) };
}

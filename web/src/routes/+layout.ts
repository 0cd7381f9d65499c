// A static single-page app: nothing is rendered on the server or prerendered but the fallback page.
export const ssr = false;
export const prerender = false;
export const trailingSlash = 'never';

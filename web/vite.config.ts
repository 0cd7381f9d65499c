import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig, loadEnv } from 'vite';

// `npm run dev` (hot reload) forwards /api to a running `hestami dev`: HESTAMI_API, default http://127.0.0.1:8000.
export default defineConfig(({ mode }) => {
	const api = loadEnv(mode, '.', 'HESTAMI_').HESTAMI_API ?? 'http://127.0.0.1:8000';
	return {
		plugins: [sveltekit()],
		server: { proxy: { '/api': { target: api } } }
	};
});

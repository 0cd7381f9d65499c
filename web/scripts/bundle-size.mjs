// The JavaScript a first visit downloads, gzipped: what build/index.html preloads (the shell) and, as an upper
// bound of any page's first load, every script in the build. Fails when that bound is over the budget (issue 25:
// 200 KB gzipped on first load).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET = 200 * 1024;
const build = new URL('../build/', import.meta.url).pathname;

function scripts(folder) {
	return readdirSync(folder).flatMap((name) => {
		const path = join(folder, name);
		if (statSync(path).isDirectory()) return scripts(path);
		return path.endsWith('.js') ? [path] : [];
	});
}

const gzipped = (path) => gzipSync(readFileSync(path), { level: 9 }).length;
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

const index = readFileSync(join(build, 'index.html'), 'utf8');
const shell = [...new Set([...index.matchAll(/["'](\/_app\/[^"']+\.js)["']/g)].map((m) => m[1]))];
const shellBytes = shell.reduce((sum, url) => sum + gzipped(join(build, url)), 0);
const all = scripts(join(build, '_app'));
const allBytes = all.reduce((sum, path) => sum + gzipped(path), 0);

console.log(`JavaScript gzipped: shell (index.html) ${kb(shellBytes)} in ${shell.length} files; ` +
	`whole build ${kb(allBytes)} in ${all.length} files; budget ${kb(BUDGET)}`);
if (allBytes > BUDGET) {
	console.error(`over the first-load budget: ${kb(allBytes)} > ${kb(BUDGET)}`);
	process.exit(1);
}

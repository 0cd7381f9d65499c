#!/bin/sh
# Fails when the committed generated client (src/lib/api/schema.d.ts) differs from what the API describes now.
set -eu
tmp="$(mktemp)"
trap 'rm -f "$tmp"' EXIT
sh scripts/generate-client.sh "$tmp"
if ! cmp -s "$tmp" src/lib/api/schema.d.ts; then
	diff -u src/lib/api/schema.d.ts "$tmp" | head -40 >&2 || true
	echo 'web/src/lib/api/schema.d.ts is stale: run `npm run generate:client` in web/ and commit it.' >&2
	exit 1
fi
echo 'generated client is up to date'

# Hestami: the two commands are `make dev` and `make test`; both run `make setup` first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CERBOS_VERSION := 0.55.0
TOOLS := .tools
CERBOS_PKG := @cerbos/cerbos-$(shell uname -s | tr A-Z a-z)-$(shell uname -m | sed -e 's/x86_64/x64/' -e 's/aarch64/arm64/')
CERBOS_BIN := $(TOOLS)/cerbos/node_modules/$(CERBOS_PKG)/$(notdir $(CERBOS_PKG))
ARGS ?=
# pytest runs in one worker per CPU (pytest-xdist), each with its own embedded Postgres, Redis and Cerbos; a test
# module stays on one worker (its module-scoped fixtures are made once). `make pytest PYTEST_ARGS="-n 0 -k x"` runs serially.
PYTEST_ARGS ?= -n auto --dist loadscope

# The web console (web/, SvelteKit): `npm ci` when package-lock.json changed, a build when its sources did.
WEB_INSTALLED := web/node_modules/.installed
WEB_BUILD := web/build/index.html
WEB_SOURCES := $(shell find web/src web/static -type f 2>/dev/null) $(wildcard web/*.js web/*.ts web/*.json)

.PHONY: setup chromium dev test lint typecheck contracts policies pytest serve clean bench web web-dev

setup: $(BIN)/.installed $(CERBOS_BIN) $(WEB_BUILD) chromium

# The browser tests (web/tests/e2e, run by tests/web) drive Debian's chromium through playwright-core, which downloads
# no browser: apt installs it when it is missing (as root, else through sudo).
chromium:
	@command -v chromium >/dev/null || ( \
		SUDO=$$(test "$$(id -u)" = 0 || echo sudo); \
		$$SUDO apt-get update && $$SUDO apt-get install -y --no-install-recommends chromium )

$(BIN)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

$(CERBOS_BIN):
	mkdir -p $(TOOLS)/cerbos
	npm install --silent --no-save --no-audit --no-fund --prefix $(TOOLS)/cerbos $(CERBOS_PKG)@$(CERBOS_VERSION)
	test -x $@

$(WEB_INSTALLED): web/package.json web/package-lock.json
	cd web && npm ci --silent --no-audit --no-fund
	touch $@

$(WEB_BUILD): $(WEB_INSTALLED) $(WEB_SOURCES)
	cd web && npm run --silent build >/dev/null
	test -f $@ && touch $@

dev: setup
	HESTAMI_CERBOS_BIN=$(abspath $(CERBOS_BIN)) $(BIN)/hestami dev $(ARGS)

test: setup lint typecheck contracts policies web pytest

# The console: the committed generated client matches `hestami openapi`, the types check, the build is current,
# its JavaScript within budget. Hot reload: `make dev` in one shell, `make web-dev` (Vite on :5173, /api proxied
# to :8000; HESTAMI_API=http://host:port for another) in another.
web: setup
	cd web && sh scripts/check-client.sh
	cd web && npm run --silent check
	cd web && npm run --silent size

web-dev: setup
	cd web && npm run dev

lint: setup
	$(BIN)/ruff check src tests migrations
	$(BIN)/ruff format --check src tests migrations

typecheck: setup
	$(BIN)/mypy

contracts: setup
	$(BIN)/lint-imports

policies: setup
	@if find policies -name '*.yaml' | grep -q .; then $(CERBOS_BIN) compile policies/; else echo "no Cerbos policies yet"; fi

pytest: setup
	HESTAMI_CERBOS_BIN=$(abspath $(CERBOS_BIN)) $(BIN)/pytest $(PYTEST_ARGS)

bench: setup
	HESTAMI_CERBOS_BIN=$(abspath $(CERBOS_BIN)) $(BIN)/python -m bench.run $(ARGS)

clean:
	rm -rf $(VENV) $(TOOLS) .hestami .pytest_cache .mypy_cache .ruff_cache web/node_modules web/build web/.svelte-kit

# Crepo platform. `make run` serves on the embedded defaults; `make test` runs
# every test on SQLite, and on PostgreSQL whenever a server answers.

SHELL := /bin/bash
CARGO ?= cargo
PG_URL ?= postgres://postgres@127.0.0.1:5432
PG_HOST := 127.0.0.1
PG_PORT := 5432
VENV := .venv
NEXTEST := $(shell $(CARGO) nextest --version >/dev/null 2>&1 && echo yes)
ifeq ($(NEXTEST),yes)
TEST_CMD = $(CARGO) nextest run --workspace --no-fail-fast --test-threads 4
else
TEST_CMD = $(CARGO) test --workspace --no-fail-fast
endif

.PHONY: bench run test test-sqlite test-postgres test-web schemathesis openapi lint venv web web-deps

run: web
	$(CARGO) run --bin crepo -- serve

## Tests ---------------------------------------------------------------------

test: venv web-deps
	$(CARGO) build --workspace --all-targets
	$(MAKE) test-sqlite
	@if (exec 3<>/dev/tcp/$(PG_HOST)/$(PG_PORT)) 2>/dev/null; then \
		$(MAKE) test-postgres; \
	else \
		echo; \
		echo "################################################################"; \
		echo "## PostgreSQL is NOT reachable at $(PG_HOST):$(PG_PORT).        "; \
		echo "## The PostgreSQL pass was SKIPPED: only SQLite was tested.    "; \
		echo "################################################################"; \
		echo; \
	fi
	$(MAKE) test-web
	$(MAKE) schemathesis

test-sqlite:
	CREPO_TEST_ENGINE=sqlite $(TEST_CMD)

test-postgres:
	CREPO_TEST_ENGINE=postgres CREPO_TEST_PG_URL=$(PG_URL) $(TEST_CMD)

# Fuzz the API from openapi.yaml against a freshly started server.
schemathesis: venv
	tests/schemathesis.sh

# Typecheck and unit tests of the SPA, then the browser tests: the built SPA
# served by the real `crepo serve`, driven in Debian's Chromium.
test-web: web-deps
	cd web && npm run typecheck && npm test
	cd web && npm run build
	$(CARGO) build -q --bin crepo
	@test -x /usr/bin/chromium || { echo "/usr/bin/chromium missing: apt-get install chromium" >&2; exit 1; }
	cd web && npm run e2e

## Benchmarks (figures to read, not pass/fail tests) --------------------------

bench:
	@if (exec 3<>/dev/tcp/$(PG_HOST)/$(PG_PORT)) 2>/dev/null; then engine=postgres; else \
		echo "PostgreSQL not reachable: benchmarking on SQLite"; engine=sqlite; fi; \
	CREPO_TEST_ENGINE=$$engine CREPO_TEST_PG_URL=$(PG_URL) $(CARGO) run -q -p crepo-tests --bin bench

## Generated files -------------------------------------------------------------

openapi:
	$(CARGO) run -q --bin crepo -- openapi > openapi.yaml
	cd web && npm run gen:api

## Tooling ---------------------------------------------------------------------

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

venv: $(VENV)/bin/moto_server

$(VENV)/bin/moto_server:
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet 'moto[server]' schemathesis

web-deps: web/node_modules/.package-lock.json

web/node_modules/.package-lock.json: web/package.json web/package-lock.json
	cd web && npm ci
	@touch $@

web: web-deps
	cd web && npm run build

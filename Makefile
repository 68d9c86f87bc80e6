# Crepo platform. `make run` serves on the embedded defaults; `make test`
# installs what the machine lacks (scripts/setup.sh), then runs every test on
# SQLite, and on PostgreSQL whenever a server answers.

SHELL := /bin/bash
CARGO ?= cargo
PG_URL ?= postgres://postgres@127.0.0.1:5432
PG_HOST := 127.0.0.1
PG_PORT := 5432
NEXTEST := $(shell $(CARGO) nextest --version >/dev/null 2>&1 && echo yes)
ifeq ($(NEXTEST),yes)
TEST_CMD = $(CARGO) nextest run --workspace --no-fail-fast --test-threads 4
else
TEST_CMD = $(CARGO) test --workspace --no-fail-fast
endif

# Where cargo builds: CARGO_TARGET_DIR when set (CI may keep one outside the
# clone), else ./target. Tests, scripts and the browser tests run $(CREPO_BIN).
TARGET_DIR := $(abspath $(or $(CARGO_TARGET_DIR),target))
export CREPO_BIN ?= $(TARGET_DIR)/debug/crepo

# Clippy lints the workspace crates while they are compiled for real
# (clippy-driver as their compiler; dependencies are compiled by rustc as
# usual), so `make lint` reuses the build of `make test` instead of checking
# every dependency again. A plain `cargo build` outside make recompiles the
# workspace crates once (another compiler), not the dependencies.
CLIPPY_DRIVER := $(shell clippy-driver --version >/dev/null 2>&1 && command -v clippy-driver)
ifneq ($(CLIPPY_DRIVER),)
export RUSTC_WORKSPACE_WRAPPER ?= $(CLIPPY_DRIVER)
endif

# The phases run one after another (.ci/run runs the same ones, timed).
.NOTPARALLEL:
.PHONY: bench faults build run setup test test-sqlite test-postgres test-postgres-if-up test-web schemathesis openapi lint venv web web-deps

run: web
	$(CARGO) run --bin crepo -- serve

## Tests ---------------------------------------------------------------------

test: setup build test-sqlite test-postgres-if-up test-web schemathesis

# Debian packages (Chromium, CJK fonts, python3-venv …), .venv, web/node_modules.
setup:
	scripts/setup.sh

# Everything the tests run, in one build: the library, the `crepo` binary, the
# one integration-test binary (tests/tests/it) and the bench binary.
build:
	$(CARGO) build --workspace --all-targets

test-sqlite:
	CREPO_TEST_ENGINE=sqlite $(TEST_CMD)

test-postgres:
	CREPO_TEST_ENGINE=postgres CREPO_TEST_PG_URL=$(PG_URL) $(TEST_CMD)

test-postgres-if-up:
	@if (exec 3<>/dev/tcp/$(PG_HOST)/$(PG_PORT)) 2>/dev/null; then \
		$(MAKE) --no-print-directory test-postgres; \
	else \
		echo; \
		echo "################################################################"; \
		echo "## PostgreSQL is NOT reachable at $(PG_HOST):$(PG_PORT).        "; \
		echo "## The PostgreSQL pass was SKIPPED: only SQLite was tested.    "; \
		echo "################################################################"; \
		echo; \
	fi

# Fuzz the API from openapi.yaml against a freshly started server: on SQLite,
# then on PostgreSQL whenever a server answers (NUL bytes and the like only
# show there).
schemathesis: venv
	tests/schemathesis.sh
	@if (exec 3<>/dev/tcp/$(PG_HOST)/$(PG_PORT)) 2>/dev/null; then \
		SCHEMATHESIS_PG=$(PG_URL) tests/schemathesis.sh; \
	else \
		echo "## PostgreSQL is NOT reachable: schemathesis ran on SQLite only."; \
	fi

# Typecheck and unit tests of the SPA, then the browser tests: the built SPA
# served by the real `crepo serve`, driven in Debian's Chromium. The build
# prints the sign-in page's initial JavaScript and fails above 200 KB gzipped.
test-web: web-deps
	cd web && npm run typecheck && npm test
	cd web && npm run build
	$(CARGO) build -q --bin crepo
	@test -x /usr/bin/chromium || { echo "/usr/bin/chromium missing: run scripts/setup.sh" >&2; exit 1; }
	cd web && npm run e2e

## Benchmarks (figures to read, not pass/fail tests) --------------------------

# Dependencies failing under load: a throwaway PostgreSQL cluster stopped and
# killed, object storage and SMS down, the server killed mid-upload. Prints
# per fault the time to the first 503, the recovery time and the writes
# checked (tests/tests/it/faults.rs).
faults: venv build
	CREPO_FAULTS=1 CREPO_TEST_ENGINE=sqlite $(CARGO) nextest run --workspace --no-capture \
		--test-threads 1 -E 'test(/^faults::/)' 2>&1 | tee $(TARGET_DIR)/faults.log | grep -E '^FAULT|PASS|FAIL|panicked|Summary'; \
		test $${PIPESTATUS[0]} -eq 0

bench:
	@if (exec 3<>/dev/tcp/$(PG_HOST)/$(PG_PORT)) 2>/dev/null; then engine=postgres; else \
		echo "PostgreSQL not reachable: benchmarking on SQLite"; engine=sqlite; fi; \
	$(CARGO) build -q --release --bin crepo -p crepo-api && \
	CREPO_TEST_ENGINE=$$engine CREPO_TEST_PG_URL=$(PG_URL) $(CARGO) run -q --release -p crepo-tests --bin bench

## Generated files -------------------------------------------------------------

openapi:
	$(CARGO) run -q --bin crepo -- openapi > openapi.yaml
	cd web && npm run gen:api

## Tooling ---------------------------------------------------------------------

# rustfmt drift or any rustc/clippy warning fails (see scripts/lint.sh).
lint:
	scripts/lint.sh

venv:
	scripts/setup.sh venv

web-deps:
	scripts/setup.sh web

web: web-deps
	cd web && npm run build

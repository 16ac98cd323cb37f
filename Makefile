# Chalkmark — the README's two commands are `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 5000
export PORT

.PHONY: run test test-fast lint check bench bench-pages scale soak install chromium verifier migration clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

install: $(BIN)/.installed

## make run: set up, migrate, seed the demo on an empty database, serve on localhost:$(PORT)
run: install
	$(BIN)/chalkmark db upgrade
	$(BIN)/chalkmark seed-demo --if-empty
	CHALKMARK_DEMO=$${CHALKMARK_DEMO:-1} $(BIN)/chalkmark serve --host $${HOST:-127.0.0.1} --port $(PORT)

# pytest-xdist workers, each with its own PostgreSQL database (tests/conftest.py);
# `make test TEST_WORKERS=0` runs everything in one process.
TEST_WORKERS ?= 2
XDIST := -n $(TEST_WORKERS)

## make test: set up (Chromium too) and run unit, web, e2e; again on Postgres when configured
test: install chromium verifier
	$(BIN)/python -m pytest -q $(XDIST)

test-fast: install verifier
	$(BIN)/python -m pytest -q $(XDIST) -m "not e2e"

# Debian's Chromium for the e2e suite (Playwright never downloads a browser here).
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
		echo "Installing Debian's chromium for the browser tests..."; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-liberation; \
	fi

# The independent Open Badges 3.0 verifier (Digital Bazaar's VC libraries, node + npm),
# pinned by tests/verifier/package-lock.json.
verifier:
	@if [ ! -d tests/verifier/node_modules ]; then \
		npm ci --prefix tests/verifier --no-audit --no-fund; \
	fi

lint: install
	$(BIN)/ruff check server tests bench

## make check: what CI runs before the tests: lint, formatting, types (config in pyproject.toml)
check: lint
	$(BIN)/ruff format --check server tests bench
	$(BIN)/mypy

bench: install
	$(BIN)/python -m bench

## make bench-pages [QUICK=1] [PAGES=coach]: page throughput vs bare Flask, SQLite + PostgreSQL, demo + state scale
bench-pages: install
	$(BIN)/python -m bench.pages $(if $(QUICK),--quick) $(if $(PAGES),--pages $(PAGES))

## make scale [USERS=200 DURATION=60s]: PostgreSQL + Redis + RQ + S3 + 2 gunicorn behind nginx
## under a locust load; checks 0 errors, 0 lost uploads, every push delivered (bench/scale/run.sh)
scale: install
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test,scale]'
	SOAK=$${SOAK:-0} bench/scale/run.sh

## make soak: the same setup, 60 users for 10 minutes, every gunicorn worker's RSS sampled
soak:
	$(MAKE) scale SOAK=1

migration: install
	$(BIN)/chalkmark db revision -m "$(m)"

clean:
	rm -rf $(VENV) instance .pytest_cache

# Facilitator: `make run` starts the app; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := facilitator
PG_TEST_URL ?= postgresql+psycopg2://postgres@127.0.0.1:5432/test

.PHONY: run test setup catalogs venv vendor migrate seed-demo lint typecheck test-sqlite test-postgres test-postgres-core test-browsers test-topology test-js bench bench-stress bench-export bench-county bench-storm bench-scaleout bench-soak topology messages clean

run: setup migrate ## set up everything, migrate instance/, start on http://127.0.0.1:5000
	$(BIN)/python wsgi.py

# JOBS: pytest workers per stage (pytest-xdist); JOBS=1, or no xdist, runs serially.
# TOGETHER=1 runs the browser tests beside the other stages; TOGETHER=0 (default) one
# stage after another (see docs/tests.md).
JOBS ?= 2
TOGETHER ?= 0
# BROWSERS=postgres (default) runs tests/browser once, on PostgreSQL; BROWSERS=both on both databases.
BROWSERS ?= postgres
SQLITE_ONLY_ARGS = $(if $(filter postgres,$(BROWSERS)),--ignore=tests/browser,)
# The tests' temporary files (each test's SQLite database, the servers' instance folders) go
# on the RAM disk when there is one: SQLite waits for the disk at every commit (1-4 ms
# each on this machine's disk, a few microseconds in RAM).
TEST_TMPDIR ?= $(shell test -d /dev/shm -a -w /dev/shm && echo /dev/shm || echo $${TMPDIR:-/tmp})
PYTEST = TMPDIR=$(TEST_TMPDIR) $(BIN)/pytest
XDIST = $(shell $(BIN)/python -c "import xdist" 2>/dev/null && echo yes)
# worksteal: a worker that runs out takes tests from the other's queue, so one long test near
# the end does not leave a core idle
PYTEST_JOBS = $(if $(and $(XDIST),$(filter-out 0 1,$(JOBS))),-n $(JOBS) --dist worksteal,)

test: setup ## set up everything and run the whole suite; prints each stage's wall time
	$(BIN)/python scripts/test_stages.py $(if $(filter 1,$(TOGETHER)),--together,) \
		JOBS=$(JOBS) BROWSERS=$(BROWSERS)

setup: $(VENV)/.installed vendor catalogs

CATALOGS := $(patsubst %.po,%.mo,$(wildcard facilitator/translations/*/LC_MESSAGES/messages.po))
catalogs: $(CATALOGS) ## compile every language's catalog (.po) into the .mo the app reads

%.mo: %.po $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -i $< -o $@

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

vendor: static/vendor/.installed

static/vendor/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p static/vendor
	cp node_modules/socket.io-client/dist/socket.io.esm.min.js static/vendor/socket.io.esm.min.js
	cp node_modules/sortablejs/modular/sortable.core.esm.js static/vendor/sortable.esm.js
	cp node_modules/qrcode-generator/dist/qrcode.mjs static/vendor/qrcode.mjs
	touch $@

migrate: setup
	$(BIN)/flask db upgrade

seed-demo: migrate
	$(BIN)/flask seed-demo

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: setup
	$(BIN)/mypy

test-js: vendor
	node --test static/js/

test-sqlite: setup ## the pytest suite on SQLite (JOBS workers)
	$(PYTEST) $(PYTEST_JOBS) $(SQLITE_ONLY_ARGS) $(PYTEST_ARGS)

test-postgres: setup ## the pytest suite on PostgreSQL (JOBS workers)
	FACILITATOR_TEST_DATABASE_URL=$(PG_TEST_URL) $(PYTEST) $(PYTEST_JOBS) $(PYTEST_ARGS)

# make test runs the PostgreSQL suite as these two stages (together: test-postgres)
test-postgres-core: setup ## the pytest suite on PostgreSQL without tests/browser
	FACILITATOR_TEST_DATABASE_URL=$(PG_TEST_URL) $(PYTEST) $(PYTEST_JOBS) --ignore=tests/browser $(PYTEST_ARGS)

test-browsers: setup ## tests/browser (Chromium) on PostgreSQL
	FACILITATOR_TEST_DATABASE_URL=$(PG_TEST_URL) $(PYTEST) $(PYTEST_JOBS) tests/browser $(PYTEST_ARGS)

test-topology: setup ## two workers on PostgreSQL + Redis: changes cross workers, a killed one loses nothing
	FACILITATOR_TEST_DATABASE_URL=$(PG_TEST_URL) $(PYTEST) -m topology tests/topology tests/bench

WORKERS ?= 2
TOPOLOGY_PORT ?= 8080
TOPOLOGY_POSTGRES ?= postgresql+psycopg2://postgres@127.0.0.1:5432/postgres
TOPOLOGY_REDIS ?= redis://127.0.0.1:6379/0
topology: setup ## try the scale-out: WORKERS workers on PostgreSQL + Redis behind nginx on TOPOLOGY_PORT (needs nginx; Ctrl+C stops)
	$(BIN)/python scripts/topology.py --workers $(WORKERS) --port $(TOPOLOGY_PORT) \
		--postgres $(TOPOLOGY_POSTGRES) --redis $(TOPOLOGY_REDIS) $(TOPOLOGY_ARGS)

bench: setup ## app vs bare relay under load (BENCH_ARGS="--meetings 10" to change it)
	$(BIN)/python bench/load.py $(BENCH_ARGS)

bench-stress: setup ## issue 6: 500 clients in 50 meetings at one op/s each, app vs relay (bars 1.5x)
	$(BIN)/python bench/load.py --stress $(BENCH_ARGS)

bench-export: setup ## issue 19: other meetings' p99 while a 300-item PDF renders vs not (bar 2x)
	$(BIN)/python bench/export_stall.py $(BENCH_ARGS)

bench-county: setup ## issue 6: 3,000 clients in 300 meetings, one op every 10 s, SQLite (+ relay)
	$(BIN)/python bench/county.py $(BENCH_ARGS)

bench-storm: setup ## issue 6: 1,000 clients cut off by a server restart; time to resync
	$(BIN)/python bench/storm.py $(BENCH_ARGS)

bench-scaleout: setup ## issue 6: the county load on 2 workers (PostgreSQL + Redis) vs 1 (PostgreSQL)
	$(BIN)/python bench/scaleout.py $(BENCH_ARGS)

bench-soak: setup ## issue 19: the county load for an hour, a fifth of clients reconnecting each minute; RSS and p99 per minute
	$(BIN)/python bench/soak.py $(BENCH_ARGS)

messages: setup ## extract every translatable string into messages.pot and merge it into each language's .po
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k lazy_gettext --project=Facilitator --no-location --sort-output -o facilitator/translations/messages.pot .
	$(BIN)/pybabel update -i facilitator/translations/messages.pot -d facilitator/translations --width 100 --ignore-obsolete

clean:
	rm -rf $(VENV) node_modules static/vendor .pytest_cache .mypy_cache .ruff_cache

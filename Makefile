# Samspil: `make run` serves the portal with demo content, `make test` runs the suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install assets migrate demo check lint format messages lock bench bench-search bench-correspondence bench-conferences bench-bookings bench-referrals bench-stays bench-stays-pages bench-pages bench-baked bench-quality clean audit

# The task worker (search indexing, e-mail outbox) runs beside the web server and stops with it.
# Links in e-mails point at the address this server really answers on.
run: export SITE_URL ?= http://$(HOST):$(PORT)
run: install assets migrate demo
	trap 'kill 0' EXIT; \
	$(MANAGE) db_worker --interval 0.2 & \
	$(MANAGE) runserver $(HOST):$(PORT)

test: install assets check
	$(PY) -m pytest $(PYTEST_ARGS)

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=24"
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

# Det Fælles Designsystem and htmx from the npm registry, copied where Django serves static files.
assets: static/vendor/dkfds/.installed

static/vendor/dkfds/.installed: package-lock.json
	npm ci --no-audit --no-fund --silent
	rm -rf static/vendor/dkfds && mkdir -p static/vendor/dkfds
	cp -r node_modules/dkfds/dist/css node_modules/dkfds/dist/js node_modules/dkfds/dist/fonts node_modules/dkfds/dist/img static/vendor/dkfds/
	rm -rf static/vendor/htmx && mkdir -p static/vendor/htmx
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx/
	touch $@

migrate: install
	$(MANAGE) migrate --noinput

demo: install
	$(MANAGE) load_demo_content

check: install
	$(VENV)/bin/ruff check .
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run

lint: check

# pip-audit: known vulnerabilities in the pinned packages (every one is pinned, so --no-deps).
# It asks PyPI's JSON API for each name and version; a package it gets no answer for is
# skipped with "could not be audited" and pip-audit still exits 0. That is said loudly
# here, not passed silently; AUDIT_STRICT=1 makes it fail.
# bandit: our code; fails on high severity, reports medium (config in pyproject.toml).
audit: install
	@echo "==> pip-audit (requirements.txt)"
	@set -o pipefail; $(VENV)/bin/pip-audit -r requirements.txt --progress-spinner off --no-deps --disable-pip \
		2>&1 | grep -v "encouraged to fully hash\|Consider using a tool like" | tee $(VENV)/pip-audit.log
	@skipped=$$(grep -c "could not be audited" $(VENV)/pip-audit.log); \
	if [ "$$skipped" -gt 0 ]; then \
		echo "!!! pip-audit could NOT audit $$skipped packages: PyPI's JSON API gave no vulnerability data"; \
		echo "!!! for their versions (https://pypi.org/pypi/NAME/VERSION/json). They are unchecked, not clean."; \
		if [ "$(AUDIT_STRICT)" = 1 ]; then exit 1; fi; \
	fi
	@echo "==> bandit (portal, content, search): medium and high reported, high fails"
	$(VENV)/bin/bandit -q -c pyproject.toml -r portal content search -ll --exit-zero
	$(VENV)/bin/bandit -q -c pyproject.toml -r portal content search -lll

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Needs GNU gettext. The compiled .mo is committed so that running needs no gettext.
messages: install
	$(MANAGE) makemessages -l da --no-obsolete --ignore=node_modules --ignore=.venv --ignore=static
	$(MANAGE) compilemessages -l da --ignore=.venv --ignore=node_modules

lock: install
	$(PY) -m pip install --quiet -r requirements.in
	( echo "# Every package pinned; generated from requirements.in by \`make lock\`. Install with \`make install\`."; \
	  $(PY) -m pip freeze --exclude-editable | grep -v '^pip==' ) > requirements.txt

bench: install assets migrate
	$(PY) bench/run.py
	$(PY) bench/baked.py

# The correspondence inbox at 100,000 threads (a temporary SQLite file unless DATABASE_URL is set).
bench-correspondence: install assets
	$(PY) bench/correspondence.py

# "Who is on now" and the conference dashboard at 10,000 specialists x 5 years and 200,000 conferences.
bench-conferences: install assets
	$(PY) bench/conferences.py

# 20 concurrent bookers on the same popular slots (bookings/s, zero double bookings) and the
# free-slot look-up p95; meant for DATABASE_URL pointing at PostgreSQL (else a temporary SQLite file).
bench-bookings: install assets
	$(PY) bench/bookings.py

# The GP overview and the department worklist at 500,000 referrals over 5 years (p50/p95, wall
# clock and CPU, queries per request); a temporary SQLite file unless DATABASE_URL is set.
# BENCH_REFERRALS and BENCH_ROUNDS scale it down.
bench-referrals: install assets
	$(PY) bench/referrals.py

# The focused-stay matching proposal for a national year (1,500 trainees, 1,800 practices, 52 weeks):
# build and solve time, status, assigned count, objective, bound and gap; no database.
bench-stays: install
	$(PY) bench/stays.py

# The coordinator's focused-stay pages at national scale (1,500 trainees, 1,800 practices, a
# published and evaluated year): p50/p95, CPU and queries; a temporary SQLite file unless DATABASE_URL is set.
bench-stays-pages: install assets
	$(PY) bench/stays_pages.py

# The home page, a section listing and a guideline page as an anonymous visitor: p50/p95, CPU per
# request and queries, with caches warm and emptied (a temporary SQLite file unless DATABASE_URL is set).
bench-pages: install assets
	$(PY) bench/pages.py

# A quality cluster of 50 practices in an area of 500 with a year of activity: the cluster page, its
# CSV and XLSX, a chart and the area page (p50/p95, CPU and queries); a temporary SQLite file
# unless DATABASE_URL is set. BENCH_AREA_PRACTICES, BENCH_PER_MONTH and BENCH_ROUNDS scale it.
bench-quality: install assets
	$(PY) bench/quality.py

# A baked page through ops/nginx vs nginx serving the same bytes from a plain file (requests/s,
# one run, the ratio), and publish -> page and listing fresh through nginx (p50/p95 of
# BENCH_PUBLISHES); needs nginx. A temporary SQLite file and bake directory.
bench-baked: install assets
	$(PY) bench/baked.py

# Search p50/p95 and indexing rate on generated documents; set OPENSEARCH_URL to include the engine.
bench-search: install assets
	$(PY) bench/search.py

clean:
	rm -rf $(VENV) node_modules static/vendor staticfiles

# Samspil: `make run` serves the portal with demo content, `make test` runs the suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install assets migrate demo check lint format messages lock bench clean

run: install assets migrate demo
	$(MANAGE) runserver $(HOST):$(PORT)

test: install assets check
	$(PY) -m pytest $(PYTEST_ARGS)

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=24"
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

# Det Fælles Designsystem from the npm registry, copied where Django serves static files.
assets: static/vendor/dkfds/.installed

static/vendor/dkfds/.installed: package-lock.json
	npm ci --no-audit --no-fund --silent
	rm -rf static/vendor/dkfds && mkdir -p static/vendor/dkfds
	cp -r node_modules/dkfds/dist/css node_modules/dkfds/dist/js node_modules/dkfds/dist/fonts node_modules/dkfds/dist/img static/vendor/dkfds/
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

clean:
	rm -rf $(VENV) node_modules static/vendor staticfiles

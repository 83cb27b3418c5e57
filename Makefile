# The two commands: `make run` and `make test`. Everything else is a helper they call.
VENV    ?= .venv
PY      := $(VENV)/bin/python
PORT    ?= 8501
STAMP   := $(VENV)/.installed

.PHONY: run run-multi test setup assets lint format geodata clean bench

$(STAMP): pyproject.toml package.json package-lock.json
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $(STAMP)

setup: $(STAMP) assets

# Leaflet and plugins come from npm packages and are served by the app itself (no CDN).
assets: $(STAMP)
	$(PY) -m allianz.assets

# FORWARDED_ALLOW_IPS empty: uvicorn trusts no proxy; the app applies ALLIANZ_TRUSTED_PROXIES.
run: setup
	$(VENV)/bin/allianz db init
	FORWARDED_ALLOW_IPS= $(VENV)/bin/streamlit run app.py --server.port $(PORT) --server.address 127.0.0.1

# Several app processes on one database behind HAProxy (Debian package haproxy), see README "Betrieb".
PROCESSES ?= 2
run-multi: setup
	$(VENV)/bin/allianz db init
	$(VENV)/bin/allianz capacity serve --processes $(PROCESSES) --port $(PORT)

test: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(MAKE) lint-js
	$(PY) -m pytest -q $(PYTEST_ARGS)

# Our own map scripts (assets/js, served by the app) with ESLint's recommended rules.
lint-js: $(STAMP)
	node_modules/.bin/eslint assets/js

lint: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

geodata: $(STAMP)
	$(PY) geodata/generate_demo.py

clean:
	rm -rf $(VENV) node_modules static

bench: setup
	mkdir -p bench-results
	$(PY) bench/run.py --browser --live-viewers 200 --live-refresh 5 --json bench-results/latest.json
	$(PY) bench/capacity.py --profile 100 --json bench-results/capacity.json

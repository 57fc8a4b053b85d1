# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup lint check bench messages clean

$(VENV)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -c requirements.lock ".[dev]"
	touch $@

setup: $(VENV)/.installed

# The embedded default: SQLite, tasks in-process, files on disk, e-mail to the console.
run: setup
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py seed_demo
	DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

# The whole suite, one worker process per core (TEST_WORKERS=0 runs it in this
# process); then, alone, the tests that start real Celery workers (marked
# `worker`), which time what those workers do. Tests that need PostgreSQL,
# Redis, ffmpeg or chromium skip with a reason when those are missing; CI sets
# REQUIRE_ALL_TESTS=1 to fail instead. (Exit status 5: no test was selected.)
TEST_WORKERS ?= auto
test: setup
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadgroup -m "not worker" $(PYTEST_ARGS) || [ $$? -eq 5 ]
	$(PY) -m pytest -m worker $(PYTEST_ARGS) || [ $$? -eq 5 ]

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

messages: setup
	cd $(CURDIR) && $(PY) manage.py makemessages -l vi --no-obsolete --ignore=.venv --ignore=bench --ignore=tests --ignore=staticfiles --ignore=media
	$(PY) manage.py compilemessages --ignore=.venv

bench: setup
	$(PY) bench/run_http.py
	$(PY) bench/notify_fanout.py
	$(PY) bench/zalo_fanout.py
	$(PY) bench/media_upload.py
	$(PY) bench/media_rendition.py
	$(PY) bench/portfolio_build.py
	$(PY) bench/portfolio_labels.py
	$(PY) bench/donations.py

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles

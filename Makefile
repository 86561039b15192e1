# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: install messages run test lint format bench bench-comments bench-proposals bench-http serve backup restore clean

# Translation catalogs: the .po files are the source and live in git; the .mo files that
# Django reads are built from them by Babel (pure Python, no GNU gettext) whenever a .po
# is newer, and stay out of git.
PO_FILES := $(wildcard locale/*/LC_MESSAGES/django.po)
MO_FILES := $(PO_FILES:.po=.mo)

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed" if sys.version_info < (3, 11) else 0)'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed $(MO_FILES)

locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po $(VENV)/.installed
	$(VENV)/bin/pybabel --quiet compile --domain=django --directory=locale --locale=$*

# After new interface strings land: extract them into the catalogs (needs GNU gettext's
# xgettext and msgmerge, a developer's tools), then translate the new ja entries.
messages: $(VENV)/.installed
	$(PY) manage.py makemessages --locale=ja --locale=en --no-obsolete --add-location=file \
		--ignore=.venv --ignore=node_modules --ignore=tests --ignore=staticfiles --ignore=media
	$(MAKE) install

# Chromium, Java and the npm checkers for tests/browser/ (needs root for apt-get).
.PHONY: browser-deps
browser-deps:
	./scripts/install-browser.sh

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_report
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# The production stack, locally: DEBUG off, collectstatic, gunicorn from
# deploy/gunicorn.conf.py, on DATABASE_URL (SQLite by default) and REDIS_URL (or, without
# it, the database cache chosen explicitly). Plain HTTP on loopback, so no HTTPS redirect;
# a throwaway secret key unless SECRET_KEY is set. `make serve PORT=8123`.
SERVE_ENV = DEBUG=0 SECURE_SSL_REDIRECT=0 \
	SECRET_KEY="$${SECRET_KEY:-serve-locally-$$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')}" \
	ALLOWED_HOSTS="$${ALLOWED_HOSTS:-127.0.0.1,localhost}" \
	CACHE_BACKEND="$${CACHE_BACKEND:-$$( [ -n "$$REDIS_URL" ] && echo redis || echo database )}" \
	GUNICORN_BIND="$${GUNICORN_BIND:-127.0.0.1:$(PORT)}"
serve: install
	$(SERVE_ENV) $(PY) manage.py migrate --noinput
	$(SERVE_ENV) $(PY) manage.py createcachetable
	$(SERVE_ENV) $(PY) manage.py load_report
	$(SERVE_ENV) $(PY) manage.py collectstatic --noinput --verbosity 0
	$(SERVE_ENV) exec $(VENV)/bin/gunicorn -c deploy/gunicorn.conf.py

# One backup folder under BACKUP_DIR (default backups/): the database (pg_dump, or SQLite's
# online backup), the media files and a manifest of every table's rows and checksum.
backup: install
	$(PY) manage.py backup

# `make restore FROM=backups/<folder>`: into an EMPTY database (DATABASE_URL), then every
# table's count and checksum, and each media file, are checked against the manifest.
restore: install
	@test -n "$(FROM)" || { echo "usage: make restore FROM=backups/<folder>"; exit 2; }
	$(PY) manage.py restore "$(FROM)"

test: install
	$(VENV)/bin/pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Members post comments in parallel to a real server on 127.0.0.1; a throwaway database
# (SQLite, or a new one on the PostgreSQL server of BENCH_DATABASE_URL).
bench-comments: install
	$(PY) bench/comments_load.py

# The production stack under load (wrk on loopback): every public page type in ja and en,
# cached and uncached, as a share of a bare view; a throwaway PostgreSQL database and
# Redis database 5 (BENCH_DATABASE_URL, BENCH_REDIS_URL); figures added to bench/RESULTS.md.
bench-http: install
	@command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk"; exit 2; }
	$(PY) -m bench.http_load

# Residents send proposals in parallel over HTTP: nothing lost, nothing doubled, limits held.
bench-proposals: install
	$(PY) bench/proposals_load.py

# 10,000 generated initiatives imported as the admin does; seconds and peak memory.
bench-import: install
	$(PY) bench/import_bench.py

# Synthetic data at 1,000, 10,000 and 100,000 initiatives in throwaway SQLite and
# PostgreSQL databases; prints each key page's queries and server times (bench/RESULTS.md),
# then the import of 10,000 rows (seconds, peak memory), then the open-data downloads at
# 10,000 and 100,000 initiatives (seconds, peak memory, kept and 304).
bench: install
	$(PY) -m bench.run
	$(PY) bench/import_bench.py
	$(PY) -m bench.open_data --postgres
	$(PY) -m bench.open_data

clean:
	rm -rf $(VENV) node_modules db.sqlite3 staticfiles .pytest_cache .ruff_cache $(MO_FILES)

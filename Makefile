# Two entry points (see README "Quick start"): `make run` and `make test`.
# Everything installs into .venv in this folder; nothing else on the machine changes.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint messages

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.runtime-installed: requirements.txt constraints.txt | $(PY)
	$(PIP) install --quiet -r requirements.txt -c constraints.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt constraints.txt | $(PY)
	$(PIP) install --quiet -r requirements-dev.txt -c constraints.txt
	touch $@ $(VENV)/.runtime-installed

# A local secret key, made once and kept out of git.
.secret_key:
	$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

## The site with demo content on SQLite at http://127.0.0.1:8000 (PostgreSQL if DATABASE_URL is set).
run: $(VENV)/.runtime-installed .secret_key
	export SECRET_KEY="$$(cat .secret_key)" SITE_HTTPS=0 SERVE_MEDIA=1 \
		WAGTAILADMIN_BASE_URL="$${WAGTAILADMIN_BASE_URL:-http://$(HOST):$(PORT)}" && \
	$(PY) manage.py migrate --noinput && \
	$(PY) manage.py collectstatic --noinput --verbosity 0 && \
	$(PY) manage.py seed_site && \
	$(PY) manage.py create_local_admin && \
	echo "Site: http://$(HOST):$(PORT)/  Admin: http://$(HOST):$(PORT)/admin/" && \
	$(PY) manage.py runserver --noreload $(HOST):$(PORT)

## The whole test suite (SQLite by default; PostgreSQL when DATABASE_URL is set).
## The front-end checkers come from npm: installed here when npm is available, else their tests skip.
test: $(VENV)/.dev-installed
	@if [ ! -d node_modules ] && command -v npm >/dev/null; then \
		npm ci --no-audit --no-fund || echo "npm ci failed: the accessibility and HTML checks will be skipped"; fi
	$(VENV)/bin/pytest -n 2 -q

lint: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

## Refresh the .po files from the code and compile them.
messages: $(VENV)/.dev-installed
	SECRET_KEY=x $(PY) manage.py makemessages -l fr -l en --ignore=.venv --ignore=node_modules --ignore=tests
	SECRET_KEY=x $(PY) manage.py compilemessages --ignore=.venv

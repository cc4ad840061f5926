# The two commands: `make run` (platform with demo data on 127.0.0.1:8000) and `make test`.
# `make run` starts the web server and the notify worker (webhooks, e-mail, deadline sweep) side by
# side; when either stops, or on Ctrl-C / SIGTERM, both stop.
SHELL := /bin/bash
HOST ?= 127.0.0.1
PORT ?= 8000
# gunicorn's recommended 2 x cores + 1 sync workers (bench/intake.py measures this setting).
WORKERS ?= $(shell echo $$((2 * $$(nproc) + 1)))
PY := .venv/bin/python
# Every target runs with a secret: the environment's, else a per-checkout one kept in .local/.
ENV = export SECRET_KEY=$${SECRET_KEY:-$$(scripts/dev_secret.sh)} DATABASE_URL=$$url

.PHONY: run test superuser migrations-check messages lint bench

# nginx on HOST:PORT in front of gunicorn (scripts/serve.sh; the layout is in docs/operations.md).
run:
	@url=$$(scripts/provision.sh) && $(ENV) && \
	  $(PY) manage.py compilemessages -v 0 --ignore=.venv && \
	  $(PY) manage.py migrate --noinput -v 0 && \
	  $(PY) manage.py createcachetable && \
	  $(PY) manage.py import_areas fixtures/areas.geojson && \
	  $(PY) manage.py load_demo --scale small && \
	  $(PY) manage.py collectstatic --noinput -v 0 && \
	  echo "Waystation on http://$(HOST):$(PORT)/  (admin: /admin/, API docs: /api/docs/)" && \
	  HOST=$(HOST) PORT=$(PORT) WORKERS=$(WORKERS) exec scripts/serve.sh

test:
	@url=$$(scripts/provision.sh --with-browser) && $(ENV) && \
	  $(PY) manage.py compilemessages -v 0 --ignore=.venv && \
	  $(PY) manage.py collectstatic --noinput -v 0 && \
	  .venv/bin/pytest $(PYTEST_ARGS)

superuser:
	@url=$$(scripts/provision.sh) && $(ENV) && $(PY) manage.py migrate --noinput -v 0 && \
	  $(ENV) && $(PY) manage.py createsuperuser

migrations-check:
	@url=$$(scripts/provision.sh) && $(ENV) && $(PY) manage.py makemigrations --check --dry-run

# Refresh the catalogue after adding or changing strings; then translate the new entries in
# locale/zh_Hans/LC_MESSAGES/*.po (make test fails while any is untranslated or fuzzy).
messages:
	$(PY) manage.py makemessages -l zh_Hans --no-location --ignore=.venv --ignore=staticfiles
	$(PY) manage.py makemessages -d djangojs -l zh_Hans --no-location --ignore=.venv --ignore=staticfiles
	for po in locale/zh_Hans/LC_MESSAGES/*.po; do msgattrib --no-obsolete -o $$po $$po; done

lint:
	.venv/bin/ruff check .

bench:
	@url=$$(scripts/provision.sh --with-bench) && $(ENV) && \
	  $(PY) -c 'import tomllib; print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["project"]["optional-dependencies"]["bench"]))' \
	    > .venv/bench-requirements.txt && \
	  .venv/bin/pip install -q --disable-pip-version-check -r .venv/bench-requirements.txt >&2 || exit 1; \
	  for b in areas nearest intake gaps; do $(PY) bench/$$b.py || exit 1; done

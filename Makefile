# ZI Portal. Two commands do everything on a fresh machine:
#   make run   - install, migrate, load rulebooks, seed demo data, serve http://127.0.0.1:8000
#   make test  - install, lint, check migrations, run every test (browser tests included)
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
RUN_ENV := DEBUG=true
DEB_PACKAGES := chromium libharfbuzz-subset0 poppler-utils gettext libpango-1.0-0 libpangoft2-1.0-0 libreoffice-calc-nogui
PYTEST_ARGS ?=

.PHONY: run test install sysdeps lint migrations-check pytest messages clean

run: install sysdeps messages
	mkdir -p var
	$(RUN_ENV) $(PY) manage.py migrate --noinput
	$(RUN_ENV) $(PY) manage.py load_rulebooks
	$(RUN_ENV) $(PY) manage.py seed_demo
	@echo "ZI Portal: http://127.0.0.1:8000  (akun demo di README.md, kata sandi zi-demo-2026)"
	$(RUN_ENV) $(PY) manage.py runserver 127.0.0.1:8000

test: install sysdeps messages lint migrations-check pytest

install: $(STAMP)

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 tidak ditemukan ($(PYTHON))."; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check --upgrade pip
	$(PIP) install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

# Debian packages for browser tests (Chromium), PDF rendering (Pango, HarfBuzz), pdftotext,
# translations (gettext) and the LKE workbook's formula test (LibreOffice Calc, headless).
# Installed when missing and running as root; otherwise we say how.
sysdeps:
	@missing=""; for p in $(DEB_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Memasang paket sistem:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "Paket sistem belum terpasang. Jalankan: sudo apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi

messages: install
	$(RUN_ENV) $(PY) manage.py compilemessages --ignore=.venv --ignore=var -v0

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

migrations-check: install
	$(RUN_ENV) $(PY) manage.py makemigrations --check --dry-run

pytest: install
	$(RUN_ENV) $(PY) -m pytest $(PYTEST_ARGS); rc=$$?; if [ $$rc -eq 5 ]; then echo "Tidak ada tes yang dijalankan."; fi; exit $$rc

clean:
	rm -rf $(VENV) var/staticfiles

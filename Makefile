# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test check clean

$(INSTALLED): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(INSTALLED)

install: $(INSTALLED)

## run: migrate the SQLite database, load the Đầm Hà demo and serve on http://127.0.0.1:8000
run: install
	DEBUG=true $(PY) manage.py migrate --no-input
	DEBUG=true $(PY) manage.py load_demo
	@echo "Mở http://$(HOST):$(PORT)/ — đăng nhập bằng một tài khoản demo ở trên."
	DEBUG=true $(PY) manage.py runserver $(HOST):$(PORT)

## test: the whole suite (browser tests need Debian's chromium at /usr/bin/chromium)
test: install
	$(PY) -m pytest

## check: Django's system checks and missing migrations
check: install
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) staticfiles test-artefacts .pytest_cache

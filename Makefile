# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test check clean backup restore
AXE := node_modules/axe-core/axe.min.js

$(INSTALLED): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(INSTALLED)

install: $(INSTALLED)

# axe-core for the accessibility browser test (package.json, pinned in package-lock.json). Without
# npm the test skips locally (and fails in CI, which installs npm: .ci/run).
$(AXE): package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund && touch $@; \
	else echo "npm không có: bỏ qua axe-core (apt-get install -y --no-install-recommends npm)"; fi

## run: migrate the SQLite database, load both demos (Đầm Hà 2022, Quảng Ninh 2026) and serve on http://127.0.0.1:8000
run: install
	DEBUG=true $(PY) manage.py migrate --no-input
	DEBUG=true $(PY) manage.py load_demo --scenario dam-ha-2022 --scenario quang-ninh-2026
	@echo "Mở http://$(HOST):$(PORT)/ — đăng nhập bằng một tài khoản demo ở trên."
	DEBUG=true $(PY) manage.py runserver $(HOST):$(PORT)

## test: the whole suite (browser tests need Debian's chromium at /usr/bin/chromium)
test: install $(AXE)
	$(PY) -m pytest

## check: Django's system checks, missing migrations, lint, formatting and the app dependency rule
check: install
	DEBUG=true $(PY) manage.py check
	DEBUG=true $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

## backup: copy the database named by DATABASE_URL to $(BACKUP_DIR)/ntm-YYYYmmdd-HHMMSS.dump (or FILE=...)
## and the evidence files (EVIDENCE_ROOT) to the .evidence.tar beside it
BACKUP_DIR ?= backups
BACKUP_FILE ?= $(BACKUP_DIR)/ntm-$(shell date +%Y%m%d-%H%M%S).dump
backup: install
	@mkdir -p $(dir $(or $(FILE),$(BACKUP_FILE)))
	$(PY) manage.py backup_db --output "$(or $(FILE),$(BACKUP_FILE))"

## restore: replace the database's contents and the evidence files with FILE and the .evidence.tar
## beside it (asks for confirmation; NO_INPUT=1 skips it; WITHOUT_EVIDENCE=1 restores the database only)
restore: install
	@test -n "$(FILE)" || { echo "Dùng: make restore FILE=backups/ntm-....dump"; exit 2; }
	$(PY) manage.py restore_db "$(FILE)" $(if $(NO_INPUT),--no-input) $(if $(WITHOUT_EVIDENCE),--without-evidence)

clean:
	rm -rf $(VENV) staticfiles test-artefacts .pytest_cache node_modules

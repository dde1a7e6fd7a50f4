# yiti — make demo: set up and run with demo data; make test: the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
VENDOR := yiti/static/vendor

.PHONY: demo test lint setup assets messages bench-pages clean

$(BIN)/yiti: pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(BIN)/yiti

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts  # no package needs a build step; none may phone home (swagger-ui-dist pulls @scarf/scarf)

# Front-end assets come from the npm registry at setup and are served locally: no CDN.
assets: node_modules/.package-lock.json
	mkdir -p $(VENDOR)/tabler $(VENDOR)/htmx $(VENDOR)/echarts $(VENDOR)/swagger-ui $(VENDOR)/jsqr
	cp node_modules/@tabler/core/dist/css/tabler.min.css $(VENDOR)/tabler/
	cp node_modules/@tabler/core/dist/js/tabler.min.js $(VENDOR)/tabler/
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx/
	cp node_modules/echarts/dist/echarts.min.js $(VENDOR)/echarts/
	cp node_modules/swagger-ui-dist/swagger-ui-bundle.js node_modules/swagger-ui-dist/swagger-ui.css $(VENDOR)/swagger-ui/
	cp node_modules/jsqr/dist/jsQR.js $(VENDOR)/jsqr/  # 扫码签到 where the browser has no BarcodeDetector

setup: $(BIN)/yiti assets

demo: setup
	$(BIN)/yiti collectstatic --noinput --verbosity 0
	$(BIN)/yiti migrate --noinput
	$(BIN)/yiti purge-jobs  # ended jobs past YITI_JOB_RETENTION_DAYS and uploads no job names go
	$(BIN)/yiti demo-data --if-empty
	$(BIN)/yiti demo-admin
	$(BIN)/yiti supervise --schedule  # 督办: lights, automatic tasks, reminders for today; the worker below runs it daily
	$(BIN)/yiti figures --schedule  # the dashboards' figures, kept ready by the worker every 5 minutes
	$(BIN)/yiti matching-index --queue  # the worker below builds the matching index; pages say so meanwhile
	@echo "yiti: http://127.0.0.1:$(PORT)/ — demo accounts (one per role and per county office) and their passwords: $(CURDIR)/.demo-accounts.json"
	@# The database worker runs large imports in the background; it stops with the server.
	$(BIN)/yiti db_worker & trap "kill $$! 2>/dev/null" EXIT INT TERM; $(BIN)/yiti runserver 127.0.0.1:$(PORT) --insecure

test: setup
	$(BIN)/pytest -n auto  # one worker per core, each with its own test database (pytest-xdist)

lint: $(BIN)/yiti
	$(BIN)/ruff check yiti bench e2e
	$(BIN)/mypy yiti
	$(BIN)/mypy --strict yiti/engine

# Recompile the Chinese catalogue after editing yiti/locale/zh_Hans/LC_MESSAGES/django.po.
messages: $(BIN)/yiti
	cd yiti && ../$(BIN)/yiti makemessages --locale zh_Hans --no-obsolete --ignore "engine/*"
	cd yiti && ../$(BIN)/yiti compilemessages --locale zh_Hans

bench-pages: setup
	$(BIN)/python bench/list_pages.py

clean:
	rm -rf $(VENV) node_modules $(VENDOR) var

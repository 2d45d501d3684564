# Two commands on a fresh machine:
#   make run    set everything up and start the assistant (SQLite, REST on :5005)
#   make test   set everything up and run every test
# Python 3.10 is found on PATH, via pyenv, or via uv (Rasa 3.6 supports 3.8-3.10 only).

SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
ADVISOR := $(VENV)/bin/advisor
STAMP := $(VENV)/.installed
PO_FILES := $(wildcard locales/*/LC_MESSAGES/*.po)
MO_FILES := $(PO_FILES:.po=.mo)
KNOWLEDGE_DATA := $(wildcard knowledge/data/*.yml knowledge/data/**/*.yml)

.PHONY: run test setup catalogs knowledge model lint constraints browser clean

run: setup knowledge model
	$(ADVISOR) run --no-train

test: setup browser knowledge model
	$(PY) -m pytest -q

setup: $(STAMP) catalogs

# A Python 3.10 interpreter: python3.10 on PATH, a pyenv 3.10, or uv's.
define find_python310
for candidate in python3.10 \
    $$(command -v pyenv >/dev/null && ls -d "$$(pyenv root)"/versions/3.10*/bin/python3.10 2>/dev/null | sort -V -r) \
    $$(command -v uv >/dev/null && uv python find 3.10 2>/dev/null); do \
  if "$$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; then \
    echo "$$candidate"; exit 0; fi; \
done; exit 1
endef

$(STAMP): pyproject.toml constraints.txt
	@python=$$($(find_python310)) || { echo "Python 3.10 not found (PATH, pyenv or uv): install one, e.g. 'pyenv install 3.10'"; exit 1; }; \
	 echo "Using $$python"; \
	 [ -x $(PY) ] && $(PY) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' || { rm -rf $(VENV); "$$python" -m venv $(VENV); }
	$(PY) -m pip install -q --upgrade "pip<25" setuptools wheel
	$(PY) -m pip install -q -c constraints.txt -e ".[dev]"
	$(PY) -m pip check
	@touch $@

catalogs: $(MO_FILES)

%.mo: %.po | $(STAMP)
	$(ADVISOR) catalogs compile

knowledge: var/.knowledge-loaded

var/.knowledge-loaded: $(KNOWLEDGE_DATA) | $(STAMP)
	@mkdir -p var
	$(ADVISOR) knowledge load
	@touch $@

model: setup
	$(ADVISOR) train

# Debian's Chromium for the widget's browser tests (never a downloaded browser).
browser:
	@{ command -v chromium >/dev/null && fc-list 2>/dev/null | grep -qi wqy; } || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get install -y -q chromium fonts-wqy-microhei >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q chromium fonts-wqy-microhei >/dev/null; }; \
	  else echo "chromium is not installed: browser tests will be skipped (apt-get install chromium)"; fi; }

lint: setup
	$(VENV)/bin/ruff check .

constraints: $(STAMP)
	{ head -2 constraints.txt; $(PY) -m pip freeze --exclude-editable | grep -v '^-e'; } > constraints.tmp && mv constraints.tmp constraints.txt

clean:
	rm -rf $(VENV) models var .rasa results $(MO_FILES)

# The two commands of the README, and a few more for developers.
#   make run   set up .venv, validate, answer every question, write every export into build/
#   make test  set up .venv with the test tools and run the whole suite
#   make mutants  the full mutation run of the validator (benchmarks/mutants.md)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: run test bench clean tools mutants vocabulary

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall when the package's description changes; the code itself is installed
# editable, so edits to src/, data/, ontology/ and queries/ need no reinstall.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

run: $(VENV)/.installed
	$(BIN)/bonemet build --output build

# Debian tools that some tests use, installed when missing and this is root (as on CI),
# with one 'apt-get update' for all of them; otherwise each missing one is named, and its
# tests are skipped:
#   rapper (raptor2-utils)  an independent Turtle and N-Triples parser the tests read the exports with
#   virtuoso-t and isql-vt (virtuoso-opensource)  the Virtuoso server tests/test_virtuoso.py loads
#     the graph into, queries and publishes to (a private instance; the system service is not used)
#   chromium and chromedriver (chromium, chromium-driver)  the headless browser of tests/test_site_browser.py
# and, when npm is there, axe-core from the npm registry into .venv/node_modules (its accessibility check)
AXE_CORE := 4.14.1
tools:
	@missing=""; \
	command -v rapper >/dev/null 2>&1 || missing="$$missing raptor2-utils"; \
	{ command -v virtuoso-t && command -v isql-vt; } >/dev/null 2>&1 || missing="$$missing virtuoso-opensource"; \
	{ [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; } || missing="$$missing chromium chromium-driver"; \
	if [ -z "$$missing" ]; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
	  echo "make: installing$$missing (Debian packages the tests use)" >&2; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	else \
	  case "$$missing" in *raptor2-utils*) echo "make: rapper is missing; install it with 'sudo apt-get install raptor2-utils' (its tests are skipped until then)" >&2;; esac; \
	  case "$$missing" in *virtuoso*) echo "make: Virtuoso is missing; install it with 'sudo apt-get install virtuoso-opensource' (tests/test_virtuoso.py is skipped until then)" >&2;; esac; \
	  case "$$missing" in *chromium*) echo "make: Chromium is missing; install it with 'sudo apt-get install chromium chromium-driver' (tests/test_site_browser.py is skipped until then)" >&2;; esac; \
	fi
	@if [ -f $(VENV)/node_modules/axe-core/package.json ] && grep -q '"version": "$(AXE_CORE)"' $(VENV)/node_modules/axe-core/package.json; then :; \
	elif command -v npm >/dev/null 2>&1; then \
	  npm install --prefix $(VENV) --no-save --no-audit --no-fund --silent axe-core@$(AXE_CORE); \
	else \
	  echo "make: npm is missing, so the accessibility test of tests/test_site_browser.py is skipped; install it with 'sudo apt-get install npm', then run make test again" >&2; \
	fi

test: $(VENV)/.installed-test tools
	$(BIN)/python -m pytest

bench: $(VENV)/.installed-test
	$(BIN)/python benchmarks/bench.py

mutants: $(VENV)/.installed-test
	$(BIN)/python benchmarks/mutants.py

clean:
	rm -rf build dist .pytest_cache

# ontology/VOCABULARY.md: the table of every class and property, generated from the vocabulary
vocabulary: $(VENV)/.installed
	$(BIN)/python -c "from bonemet.exports.vocabulary import write_table; write_table()"

# Two entry points for a fresh machine (Debian, Python 3.11):
#   make demo   build the environment, crawl the bundled sample government web, serve the corpus
#   make test   build the environment and run the test suite
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
APT_PACKAGES = antiword redis-server chromium libreoffice-writer-nogui fonts-noto-cjk

.PHONY: demo test lint env system-packages bench clean

$(BIN)/nianbao: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

env: system-packages $(BIN)/nianbao

# Debian programs the parsers and tests call: antiword/LibreOffice for DOC and WPS,
# redis-server for the scale-out test, Chromium for the browser test.
system-packages:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] && echo "" || echo sudo ); \
	  echo "installing Debian packages:$$missing"; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi

demo: env
	$(BIN)/nianbao demo

test: env lint
	$(BIN)/python -m pytest -n 2 --durations=15 tests

lint: $(BIN)/nianbao
	$(BIN)/ruff check .

bench: env
	for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b; done

clean:
	rm -rf $(VENV) build *.egg-info

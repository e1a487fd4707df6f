# Two commands for a fresh machine: `make demo` and `make test`. Both create .venv and install first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test eval bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,bench,dask]"
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/vnextract demo

test: $(STAMP)
	$(BIN)/python -m pytest

eval: $(STAMP)
	$(BIN)/vnextract eval corpus/articles
	@for set in corpus/holdout corpus/holdout2 corpus/holdout3 corpus/holdout4 corpus/holdout5 corpus/holdout6 corpus/holdout7 corpus/holdout8; do echo "== $$set"; $(BIN)/vnextract eval $$set; done
	@if [ -d ../shared/dev ]; then echo "== ../shared/dev"; $(BIN)/vnextract eval ../shared/dev; fi

bench: $(STAMP)
	$(BIN)/python benchmarks/throughput.py

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache

# stance: `make demo` sets everything up and runs the main job on the seed article;
# `make test` runs the whole suite. Both create .venv on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SEED   := corpus/articles/moscow-nur-sultan-allies.txt
MODEL  := models/frames-default

.PHONY: demo test check lint model bench clean help

help:
	@echo "make demo   set up and analyse the seed article with the bundled model"
	@echo "make test   run the test suite"
	@echo "make check  ruff + mypy + tests"
	@echo "make model  retrain the default model from corpus/"
	@echo "make bench  run the benchmarks, write benchmarks/RESULTS.md"
	@echo "            (BASELINE=REV: time that git revision too, back to back)"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/stance analyze $(SEED)

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check stance tests benchmarks
	$(BIN)/ruff format --check stance tests benchmarks
	$(BIN)/mypy stance

check: lint test

model: $(STAMP)
	$(BIN)/stance train corpus --out $(MODEL) --seed 0

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py --out benchmarks/RESULTS.md $(if $(BASELINE),--baseline $(BASELINE))

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

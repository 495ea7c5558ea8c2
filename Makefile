# The two commands of the README, and a few more. Everything installs itself:
# the first run creates .venv and installs Python and Debian packages.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: samples test bench schema clean

$(STAMP): pyproject.toml scripts/setup.sh scripts/debian-packages.txt
	bash scripts/setup.sh
	touch $(STAMP)

samples: $(STAMP)  ## the main job on the bundled sample plans, then one scanned plan (read by OCR)
	$(BIN)/plancheck samples
	$(BIN)/plancheck samples --folder corpus/scanned

test: $(STAMP)  ## the test suite
	$(BIN)/pytest

bench: $(STAMP)  ## speed and memory benchmarks (benchmarks/README.md)
	$(BIN)/python -m benchmarks

schema: $(STAMP)
	$(BIN)/plancheck schema --out-dir docs/schema
	$(BIN)/python -m outputs.reports > docs/schema/summary.schema.json
	$(BIN)/python -m checks.docs

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis

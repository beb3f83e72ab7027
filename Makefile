# pawsgen: one botocore model in, a Python and an R client out.
# `make demo` and `make test` do all the set-up a new machine needs.

PYTHON ?= python3
# Empty: every pinned model (models/*/*/service-2.json); or one model file.
MODEL  ?=
PORT   ?= 9001
PY_DIRS = codegen python tests examples bench scripts
# Every R package, the runtime first (the generated packages are checked against it).
R_PKGS  = r/pawscore $(filter-out r/pawscore,$(patsubst %/DESCRIPTION,%,$(wildcard r/*/DESCRIPTION)))

.PHONY: setup generate check-generated lint format test test-fast check-r demo bench update-model clean

setup:
	@bash scripts/setup.sh

# Regenerate the packages, then the R runtime's test data derived from the same sources.
generate:
	$(PYTHON) -m codegen $(if $(MODEL),--model $(MODEL))
	$(PYTHON) scripts/sync_r_test_data.py

# Fails when the committed generated code differs from what the generator writes now.
check-generated: setup
	$(PYTHON) -m codegen check $(if $(MODEL),--model $(MODEL))

lint: setup
	$(PYTHON) -m ruff check $(PY_DIRS)
	$(PYTHON) -m ruff format --check $(PY_DIRS)
	$(PYTHON) -m mypy

# Python only: Debian has no r-cran-styler, so R code is formatted by hand (tidyverse style).
format:
	$(PYTHON) -m ruff check --select I --fix $(PY_DIRS)
	$(PYTHON) -m ruff format $(PY_DIRS)

# R CMD check --no-manual on every R package (built tarballs, their own tests, no
# Python): 0 errors and 0 warnings required; prints each package's test counts.
# This is the only place R CMD check runs.
check-r: setup
	@bash scripts/check_r.sh $(R_PKGS)

test: setup check-generated lint check-r
	$(PYTHON) -m pytest

# The quick loop while editing Python: the runtime, emulator, codec and generator tests
# (no R testthat driver, no rpy2 parity, no end-to-end tier, no R CMD check).
test-fast:
	$(PYTHON) -m pytest -q tests/python tests/pawslocal tests/eventstream/test_codec.py \
		tests/eventstream/test_properties.py tests/codegen

demo: setup
	$(PYTHON) examples/demo.py --port $(PORT)

bench: setup
	$(PYTHON) bench/run.py

# Copy the installed botocore's Lambda model, regenerate both packages, record the diff.
update-model: setup
	@bash scripts/update_model.sh

clean:
	rm -rf .stamp-* build *.Rcheck .pytest_cache .hypothesis

# pawsgen: one botocore model in, a Python and an R client out.
# `make demo` and `make test` do all the set-up a new machine needs.

PYTHON ?= python3
# Empty: every pinned model (models/*/*/service-2.json); or one model file.
MODEL  ?=
PORT   ?= 9001

.PHONY: setup generate check-generated lint test test-fast check-r demo bench update-model clean

setup:
	@bash scripts/setup.sh

generate:
	$(PYTHON) -m codegen $(if $(MODEL),--model $(MODEL))

# Fails when the committed generated code differs from what the generator writes now.
check-generated: setup
	$(PYTHON) -m codegen check $(if $(MODEL),--model $(MODEL))

lint: setup
	$(PYTHON) -m ruff check codegen python tests examples bench
	$(PYTHON) -m ruff format --check codegen python tests examples bench
	$(PYTHON) -m mypy

# Every R package: pawscore, then each generated one (r/*/DESCRIPTION).
R_PKGS := r/pawscore $(filter-out r/pawscore,$(patsubst %/DESCRIPTION,%,$(wildcard r/*/DESCRIPTION)))

# R CMD check --no-manual on every R package: 0 errors and 0 warnings required.
check-r: setup
	@bash scripts/check_r.sh $(R_PKGS)

test: setup check-generated lint check-r
	$(PYTHON) -m pytest

demo: setup
	$(PYTHON) examples/demo.py --port $(PORT)

bench: setup
	$(PYTHON) bench/run.py

# Copy the installed botocore's Lambda model, regenerate both packages, record the diff.
update-model: setup
	@bash scripts/update_model.sh

clean:
	rm -rf .stamp-* build *.Rcheck .pytest_cache .hypothesis

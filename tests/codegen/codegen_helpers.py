"""Helpers for the generator tests: paths, generation into temp dirs, an Rscript runner."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from codegen.argorder import LOCK_NAME, merge_lock, read_lock, write_lock
from codegen.generate import load_service, render_all, write_tree
from tests.paths import REPO, SEED_PAGE

PETSTORE = REPO / "tests/fixtures/codegen/petstore"
PETSTORE_LABEL = "tests/fixtures/codegen/petstore/service-2.json"
FIXTURE_MODELS = REPO / "tests/fixtures/models"
# Three fixed generations of the Lambda model, so that tests never depend on the pinned one:
OLD_MODEL = FIXTURE_MODELS / "lambda-1.31.0/service-2.json"  # paws' baseline, no lock
MID_MODEL = FIXTURE_MODELS / "lambda-1.43.11/service-2.json"  # with the lock published then
NEXT_MODEL = FIXTURE_MODELS / "lambda-1.44.8/service-2.json"  # newer, no lock of its own
# The pinned model: tests may generate from it but never count its contents.
NEW_MODEL = REPO / "models/lambda/2015-03-31/service-2.json"
SEED = SEED_PAGE


def rscript(code: str, timeout: int = 120) -> str:
    """Run R code with Rscript and return its stdout; fail the test on an R error."""
    if shutil.which("Rscript") is None:
        pytest.fail("Rscript is required for the R side of the generator tests")
    done = subprocess.run(
        ["Rscript", "--vanilla", "-e", code], capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, f"R failed:\n{done.stderr}"
    return done.stdout


def import_generated(path: Path, name: str) -> ModuleType:
    """Import the generated package at ``path`` under the module name ``name``."""
    spec = importlib.util.spec_from_file_location(
        name, path / "__init__.py", submodule_search_locations=[str(path)]
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _generate(model: Path, out: Path, package: str, label: str) -> tuple[Path, Path]:
    service = load_service(model, label=label)
    py, r = render_all(service)
    write_tree(py, out / "python" / package)
    write_tree(r, out / "r" / package)
    return out / "python" / package, out / "r" / package


@pytest.fixture(scope="session")
def petstore_out(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(python package dir, R package dir) generated from the made-up model."""
    out = tmp_path_factory.mktemp("petstore")
    return _generate(PETSTORE / "service-2.json", out, "pawspetstore", PETSTORE_LABEL)


@pytest.fixture(scope="session")
def lambda_old(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Packages generated from the botocore 1.31.0 Lambda model."""
    out = tmp_path_factory.mktemp("lambda_old")
    label = "tests/fixtures/models/lambda-1.31.0/service-2.json"
    return _generate(OLD_MODEL, out, "pawslambda", label)


@pytest.fixture(scope="session")
def lambda_new(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Packages generated from the pinned Lambda model."""
    out = tmp_path_factory.mktemp("lambda_new")
    return _generate(NEW_MODEL, out, "pawslambda", "models/lambda/2015-03-31/service-2.json")


@pytest.fixture(scope="session")
def lambda_mid(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Packages generated from the botocore 1.43.11 fixture with its argument-order lock."""
    out = tmp_path_factory.mktemp("lambda_mid")
    label = "tests/fixtures/models/lambda-1.43.11/service-2.json"
    return _generate(MID_MODEL, out, "pawslambda", label)


@pytest.fixture(scope="session")
def lambda_next(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Packages generated from the newer fixture model as `make update-model` would.

    The model is copied into a temporary folder beside the lock that `codegen lock`
    makes from the 1.43.11 lock (existing order kept, new members appended).
    """
    out = tmp_path_factory.mktemp("lambda_next")
    model_dir = out / "model"
    model_dir.mkdir()
    model = model_dir / "service-2.json"
    shutil.copy(NEXT_MODEL, model)
    lock, _ = merge_lock(read_lock(MID_MODEL.with_name(LOCK_NAME)), load_json(NEXT_MODEL))
    write_lock(model_dir / LOCK_NAME, lock)
    return _generate(model, out, "pawslambda", "tests/fixtures/models/lambda-1.44.8/service-2.json")


def load_json(path: Path) -> dict:
    """A parsed JSON file."""
    return json.loads(path.read_text())

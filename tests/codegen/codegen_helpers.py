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

from codegen.generate import load_service, render_all, write_tree
from tests.paths import REPO, SEED_PAGE

PETSTORE = REPO / "tests/fixtures/codegen/petstore"
PETSTORE_LABEL = "tests/fixtures/codegen/petstore/service-2.json"
OLD_MODEL = REPO / "tests/fixtures/models/lambda-1.31.0/service-2.json"
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
    """Packages generated from the pinned (botocore 1.43.11) Lambda model."""
    out = tmp_path_factory.mktemp("lambda_new")
    return _generate(NEW_MODEL, out, "pawslambda", "models/lambda/2015-03-31/service-2.json")


def load_json(path: Path) -> dict:
    """A parsed JSON file."""
    return json.loads(path.read_text())

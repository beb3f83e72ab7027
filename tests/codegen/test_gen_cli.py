"""`python -m codegen` generate / check on real directories."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from codegen_helpers import REPO

from codegen.generate import read_tree

PET = "tests/fixtures/codegen/petstore/service-2.json"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "codegen", *args], capture_output=True, text=True, cwd=REPO
    )


def test_committed_lambda_output_is_up_to_date() -> None:
    done = _run("check")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "up to date" in done.stdout


def test_check_fails_on_stale_or_extra_files(tmp_path: Path) -> None:
    py, r = tmp_path / "py", tmp_path / "r"
    gen = _run("--model", PET, "--python-out", str(py), "--r-out", str(r))
    assert gen.returncode == 0, gen.stderr
    args = ("--model", PET, "--python-out", str(py), "--r-out", str(r))
    assert _run("check", *args).returncode == 0
    assert _run(*args, "--check").returncode == 0

    client = py / "client.py"
    client.write_text(client.read_text().replace("def get_pet(", "def get_pet_renamed("))
    (r / "R" / "extra.R").write_text("x <- 1\n")
    (r / "man" / "petstore_ping.Rd").unlink()
    done = _run("check", *args)
    assert done.returncode == 1
    assert f"differs: {client}" in done.stdout
    assert "def get_pet_renamed(" in done.stdout
    assert "not generated (stale):" in done.stdout and "extra.R" in done.stdout
    assert "missing:" in done.stdout and "petstore_ping.Rd" in done.stdout


def test_generate_replaces_stale_files(tmp_path: Path) -> None:
    py, r = tmp_path / "py", tmp_path / "r"
    r.mkdir()
    (r / "old.R").write_text("stale\n")
    assert (
        _run(
            "--model",
            PET,
            "--operations",
            "Ping,GetPet",
            "--python-out",
            str(py),
            "--r-out",
            str(r),
        ).returncode
        == 0
    )
    files = read_tree(r)
    assert "old.R" not in files
    assert sorted(f for f in files if f.startswith("man/")) == [
        "man/pawspetstore-package.Rd",
        "man/petstore.Rd",
        "man/petstore_get_pet.Rd",
        "man/petstore_ping.Rd",
    ]


def test_unknown_operation_is_a_clear_error() -> None:
    done = _run(
        "--model",
        PET,
        "--operations",
        "Nope",
        "--python-out",
        "/nonexistent/x",
        "--r-out",
        "/nonexistent/y",
    )
    assert done.returncode != 0
    assert "Nope" in done.stderr


def test_update_model_extends_the_lock_before_regenerating() -> None:
    script = (REPO / "scripts/update_model.sh").read_text()
    lock = script.index('-m codegen lock --model "$dest/service-2.json"')
    assert lock < script.index('-m codegen --model "$dest/service-2.json"')

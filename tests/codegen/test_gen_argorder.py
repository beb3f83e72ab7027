"""The argument-order lock: merge rules, `python -m codegen lock`, and generation from it."""

from __future__ import annotations

import inspect
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from codegen_helpers import PETSTORE, REPO, import_generated

from codegen.argorder import LOCK_NAME, argument_order, dump_lock, merge_lock, model_arguments
from codegen.generate import load_service, render_all, write_tree


def _model(inputs: dict[str, list[str] | None]) -> dict[str, Any]:
    """A made-up model: operation -> input member names (None: no input)."""
    shapes: dict[str, Any] = {"S": {"type": "string"}}
    operations: dict[str, Any] = {}
    for op, members in inputs.items():
        operations[op] = {"name": op, "http": {"method": "POST", "requestUri": f"/{op}"}}
        if members is not None:
            operations[op]["input"] = {"shape": f"{op}Request"}
            shapes[f"{op}Request"] = {
                "type": "structure",
                "members": {m: {"shape": "S"} for m in members},
            }
    meta = {"serviceId": "Tiny", "protocol": "rest-json"}
    return {"metadata": meta, "operations": operations, "shapes": shapes}


V1 = _model({"Put": ["A", "B", "C"], "Get": ["Id"], "Ping": None})
# AWS inserts X before B, drops C, adds D at the end; Get goes away, List arrives.
V2 = _model({"Put": ["A", "X", "B", "D"], "Ping": None, "List": ["Next", "Max"]})


def test_no_lock_is_model_order_and_locked_members_come_first() -> None:
    assert argument_order(["A", "X", "B"], None) == ["A", "X", "B"]
    assert argument_order(["A", "X", "B"], []) == ["A", "X", "B"]
    assert argument_order(["A", "X", "B", "D"], ["A", "B", "C"]) == ["A", "B", "X", "D"]
    assert argument_order(["A", "B"], ["B", "A"]) == ["B", "A"]


def test_merge_creates_then_extends() -> None:
    assert model_arguments(V1) == {"Put": ["A", "B", "C"], "Get": ["Id"], "Ping": []}
    first, warnings = merge_lock(None, V1)
    assert first == {"Get": ["Id"], "Ping": [], "Put": ["A", "B", "C"]}
    assert list(first) == ["Get", "Ping", "Put"] and warnings == []

    second, warnings = merge_lock(first, V2)
    # Existing entries keep their order, new members are appended (model order), new
    # operations get model order, removed members and operations are dropped.
    assert second == {"List": ["Next", "Max"], "Ping": [], "Put": ["A", "B", "X", "D"]}
    assert len(warnings) == 2
    assert "Get" in warnings[0] and "dropped" in warnings[0]
    assert "Put: member C" in warnings[1] and "dropped" in warnings[1]

    # Extending with the same model again changes nothing and warns about nothing.
    assert merge_lock(second, V2) == (second, [])
    # The lock's own order wins over a model that reorders members.
    assert merge_lock({"Put": ["B", "A"]}, V1)[0]["Put"] == ["B", "A", "C"]


def test_lock_file_format() -> None:
    text = dump_lock({"b": ["Y", "X"], "a": []})
    assert text == '{\n  "a": [],\n  "b": [\n    "Y",\n    "X"\n  ]\n}\n'


def _lock_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "codegen", "lock", *args], capture_output=True, text=True, cwd=REPO
    )


def test_lock_command_creates_extends_and_warns(tmp_path: Path) -> None:
    v1, v2 = tmp_path / "v1" / "service-2.json", tmp_path / "v2" / "service-2.json"
    for path, model in ((v1, V1), (v2, V2)):
        path.parent.mkdir()
        path.write_text(json.dumps(model))
    lock = tmp_path / "lock.json"

    done = _lock_cli("--model", str(v1), "--lock", str(lock))
    assert done.returncode == 0, done.stderr
    assert "created" in done.stdout and done.stderr == ""
    assert lock.read_text() == dump_lock(merge_lock(None, V1)[0])

    done = _lock_cli("--model", str(v2), "--lock", str(lock))
    assert done.returncode == 0, done.stderr
    assert "extended" in done.stdout
    assert done.stderr.count("warning:") == 2
    assert "member C is not in the model" in done.stderr and "operation Get" in done.stderr
    assert json.loads(lock.read_text()) == {
        "List": ["Next", "Max"],
        "Ping": [],
        "Put": ["A", "B", "X", "D"],
    }
    assert lock.read_text().endswith("]\n}\n")

    # Without --lock the lock lives beside the model.
    assert _lock_cli("--model", str(v2)).returncode == 0
    assert json.loads((v2.parent / LOCK_NAME).read_text())["Put"] == ["A", "X", "B", "D"]

    (v1.parent / LOCK_NAME).write_text('{"Put": "A"}')
    bad = _lock_cli("--model", str(v1))
    assert bad.returncode == 2 and "list of member names" in bad.stderr


def test_generation_follows_the_lock(tmp_path: Path) -> None:
    """Arguments follow the lock; the keyword-only rule applies to the resulting order."""
    model_dir = tmp_path / "model"
    model_dir.mkdir()
    shutil.copy(PETSTORE / "service-2.json", model_dir / "service-2.json")
    assert not (PETSTORE / LOCK_NAME).exists()  # the snapshot tests are pure model order
    lock = {
        "DeletePet": ["PetId", "Reason", "Gone"],  # Gone: no longer in the model, ignored
        "GetPet": ["IfMatch"],  # the rest (PetId, Fields) follow in model order
    }
    (model_dir / LOCK_NAME).write_text(dump_lock(lock))
    service = load_service(model_dir / "service-2.json", label="pet")
    py, r = render_all(service)
    write_tree(py, tmp_path / "py" / "pawspetstore")
    pet = import_generated(tmp_path / "py" / "pawspetstore", "pawspetstore_locked")

    kw, pos = inspect.Parameter.KEYWORD_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD
    delete = inspect.signature(pet.PetStoreClient.delete_pet).parameters
    # PetId (required) now comes first: nothing is keyword-only any more.
    assert list(delete) == ["self", "PetId", "Reason", "Force"]
    assert all(p.kind is pos for p in delete.values())
    get = inspect.signature(pet.PetStoreClient.get_pet).parameters
    # PetId is required and now follows the optional IfMatch: keyword-only from there.
    assert [(n, p.kind) for n, p in get.items()][1:] == [
        ("IfMatch", pos),
        ("PetId", kw),
        ("Fields", kw),
    ]
    assert list(inspect.signature(pet.petstore_get_pet).parameters) == list(get)[1:]
    # Operations not in the lock keep model order.
    create = list(inspect.signature(pet.PetStoreClient.create_pet).parameters)
    assert create[1:4] == ["Name", "Kind", "Age"]

    # The runtime still gets parameters in model order.
    client_py = py["client.py"]
    assert '{"Reason": Reason, "PetId": PetId, "Force": Force}' in client_py
    assert service.api["shapes"]["DeletePetRequest"]["members"].keys() == {
        "Reason",
        "PetId",
        "Force",
    }

    ops_r = r["R/operations.R"]
    assert "petstore_delete_pet <- function(PetId, Reason = NULL, Force = NULL, ...)" in ops_r
    assert "petstore_get_pet <- function(IfMatch = NULL, PetId, Fields = NULL, ...)" in ops_r
    start = ops_r.index("petstore_delete_pet <- function")
    body = ops_r[start : ops_r.index("\n}\n", start)]
    assert body.index("Reason = Reason") < body.index("PetId = if (missing(PetId))")
    usage = r["man/petstore_delete_pet.Rd"]
    assert "petstore_delete_pet(PetId, Reason = NULL, Force = NULL, ...)" in usage
    assert usage.index("\\item{PetId}") < usage.index("\\item{Reason}")

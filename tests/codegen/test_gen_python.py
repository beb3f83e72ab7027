"""The generated Python package: signatures, types, errors, lint, and real calls over HTTP."""

from __future__ import annotations

import inspect
import json
import subprocess
import sys
import typing
from pathlib import Path

import pawscore
import pytest
from codegen_helpers import REPO, import_generated
from pawscore.eventstream import encode_message
from recording_server import Recorded, serve

CONFIG = {
    "region": "us-east-1",
    "credentials": {"creds": {"access_key_id": "AK", "secret_access_key": "SK"}},
}


@pytest.fixture(scope="module")
def pet(petstore_out: tuple[Path, Path]):
    return import_generated(petstore_out[0], "pawspetstore_under_test")


def test_generated_python_is_lint_and_format_clean(petstore_out: tuple[Path, Path]) -> None:
    ruff = [sys.executable, "-m", "ruff"]
    config = ["--config", str(REPO / "ruff.toml")]
    check = subprocess.run(
        [*ruff, "check", *config, str(petstore_out[0])], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout
    fmt = subprocess.run(
        [*ruff, "format", "--check", *config, str(petstore_out[0])], capture_output=True, text=True
    )
    assert fmt.returncode == 0, fmt.stdout


def test_exports_are_in_ruffs_order_whatever_the_client_name(tmp_path: Path) -> None:
    # ACMClient sorts before ERRORS in plain string order; ruff (RUF022) wants the
    # CONSTANTS first, and `make lint` checks the committed packages with it.
    out = tmp_path / "pawsacm"
    gen = subprocess.run(
        [sys.executable, "-m", "codegen", "generate", "--service", "acm",
         "--operations", "ListCertificates,AddTagsToCertificate",
         "--python-out", str(out), "--r-out", str(tmp_path / "r")],
        capture_output=True, text=True, cwd=REPO,
    )  # fmt: skip
    assert gen.returncode == 0, gen.stderr
    check = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--config", str(REPO / "ruff.toml"), str(out)],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stdout
    init = (out / "__init__.py").read_text()
    assert init.index('"ERRORS"') < init.index('"ACMClient"') < init.index('"acm_add_tags')


def test_signatures_follow_model_order_and_keyword_only_rule(pet) -> None:
    sig = inspect.signature(pet.PetStoreClient.delete_pet)
    kinds = {name: p.kind for name, p in sig.parameters.items()}
    # Reason (optional) precedes the required PetId: from PetId on, keyword-only.
    assert list(kinds) == ["self", "Reason", "PetId", "Force"]
    assert kinds["Reason"] is inspect.Parameter.POSITIONAL_OR_KEYWORD
    assert kinds["PetId"] is inspect.Parameter.KEYWORD_ONLY
    assert sig.parameters["PetId"].default is inspect.Parameter.empty
    assert sig.parameters["Reason"].default is None

    create = inspect.signature(pet.PetStoreClient.create_pet).parameters
    assert list(create)[:4] == ["self", "Name", "Kind", "Age"]
    assert create["Name"].default is inspect.Parameter.empty
    assert all(p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD for p in create.values())
    assert "on_event" not in create and "stream" not in create

    watch = inspect.signature(pet.PetStoreClient.watch_pet).parameters
    assert watch["on_event"].kind is inspect.Parameter.KEYWORD_ONLY
    assert watch["stream"].default is False

    assert list(inspect.signature(pet.PetStoreClient.list_pets).parameters) == [
        "self",
        "for_",
        "MaxResults",
    ]
    assert list(inspect.signature(pet.petstore_ping).parameters) == []


def test_module_functions_mirror_the_client(pet) -> None:
    assert sorted(pet.__all__) == pet.__all__
    for name in ("create_pet", "get_pet", "watch_pet", "delete_pet", "list_pets", "ping"):
        method = inspect.signature(getattr(pet.PetStoreClient, name))
        function = inspect.signature(getattr(pet, f"petstore_{name}"))
        assert list(method.parameters)[1:] == list(function.parameters)
        assert f"petstore_{name}" in pet.__all__


def test_docstrings_carry_args_returns_and_raises(pet) -> None:
    doc = pet.PetStoreClient.create_pet.__doc__
    assert doc.startswith("Creates a pet.")
    assert "Name: [required] The pet's name." in doc
    assert "Kind: [required] What kind of pet: ``DOG`` or ``CAT``." in doc
    assert "One of ``DOG``, ``CAT``, ``PARROT``." in doc
    # Returns names the TypedDict instead of repeating its structure.
    assert "CreatePetResponse: a dict of the output members" in doc
    assert "pawspetstore.types.CreatePetResponse" in " ".join(doc.split())
    assert '"PetId": "string"' not in doc
    assert "PetExistsException: A pet with that name exists." in doc
    assert "back\\slash" in pet.PetStoreClient.get_pet.__doc__


def test_deprecated_operations_and_members_are_marked(pet) -> None:
    doc = pet.PetStoreClient.delete_pet.__doc__
    assert doc.startswith("[Deprecated] Deletes a pet.")
    assert "Deprecated: AWS has deprecated this operation." in doc
    assert "Force: [deprecated] A boolean value." in doc
    assert "Deprecated: Deleting always forces now." in doc
    assert pet.petstore_delete_pet.__doc__ == doc
    assert not pet.PetStoreClient.get_pet.__doc__.startswith("[Deprecated]")


def test_typed_dicts_mark_required_members(pet) -> None:
    types = sys.modules["pawspetstore_under_test.types"]
    annotations = {
        k: getattr(v, "__forward_arg__", v)
        for k, v in types.CreatePetRequest.__annotations__.items()
    }
    assert annotations["Name"] == "Required[str]"
    assert annotations["Age"] == "int"
    assert annotations["Toys"] == "list[Toy]"
    assert types.CreatePetRequest.__total__ is False
    assert typing.get_origin(types.Person) is None and "Friends" in types.Person.__annotations__
    ret = inspect.signature(pet.PetStoreClient.get_pet).return_annotation
    assert ret == "GetPetResponse"


def test_error_classes_by_code(pet) -> None:
    errors = sys.modules["pawspetstore_under_test.errors"]
    assert errors.ERRORS["PetNotFound"] is errors.NotFoundException
    assert errors.ERRORS["PetAlreadyExists"] is errors.PetExistsException
    assert errors.ERRORS["InvalidInputException"] is errors.InvalidInputException
    assert issubclass(errors.NotFoundException, pawscore.ServiceError)


def test_real_call_builds_the_request_and_parses_the_reply(pet) -> None:
    def reply(rec: Recorded) -> tuple[int, dict[str, str], bytes]:
        body = json.dumps({"Pet": {"PetId": "p1", "Name": "Rex", "Kind": "DOG"}}).encode()
        return 200, {"Content-Type": "application/json", "ETag": "e1", "x-meta-color": "red"}, body

    with serve(reply) as (url, seen):
        svc = pet.client({**CONFIG, "endpoint": url})
        out = svc.get_pet("p1", ["a", "b"], IfMatch="abc")
    assert out == {
        "Pet": {"PetId": "p1", "Name": "Rex", "Kind": "DOG"},
        "Meta": {"color": "red"},
        "ETag": "e1",
    }
    assert (seen[0].method, seen[0].path, seen[0].query) == ("GET", "/pets/p1", "fields=a&fields=b")
    assert seen[0].headers["if-match"] == "abc"


def test_invalid_input_and_missing_required_send_nothing(pet) -> None:
    with serve(lambda rec: (200, {}, b"{}")) as (url, seen):
        svc = pet.client({**CONFIG, "endpoint": url})
        with pytest.raises(pawscore.ParamValidationError, match="PetId"):
            svc.delete_pet(PetId="Not Valid!")
        with pytest.raises(pawscore.ParamValidationError, match="Kind"):
            svc.create_pet("Rex", "HAMSTER")
        # PetId is keyword-only and required: invalid input, as in botocore, not TypeError
        with pytest.raises(pawscore.ParamValidationError, match="PetId: required parameter"):
            svc.delete_pet("because")
    assert seen == []


def test_event_stream_operation_yields_modeled_events(pet) -> None:
    frames = encode_message(
        {
            ":message-type": "event",
            ":event-type": "Moved",
            ":content-type": "application/octet-stream",
            "Room": "kitchen",
        },
        b"\x00\x01",
    ) + encode_message(
        {":message-type": "event", ":event-type": "Barked", ":content-type": "application/json"},
        b'{"Loudness": 2.5, "Pitch": "LOW"}',
    )

    def reply(rec: Recorded) -> tuple[int, dict[str, str], bytes]:
        return 200, {"Content-Type": "application/vnd.amazon.eventstream"}, frames

    seen_events: list[dict] = []
    with serve(reply) as (url, seen):
        svc = pet.client({**CONFIG, "endpoint": url})
        out = svc.watch_pet("p1", 5, on_event=lambda e: seen_events.append(e) or len(seen_events))
    assert seen_events == [
        {"Moved": {"Room": "kitchen", "Frame": b"\x00\x01"}},
        {"Barked": {"Loudness": 2.5, "Pitch": "LOW"}},
    ]
    assert out["Events"] == [1, 2]
    assert (seen[0].path, seen[0].query) == ("/pets/p1/watch", "seconds=5")


def test_shapes_named_like_module_names_are_renamed(tmp_path: Path) -> None:
    from codegen_helpers import PETSTORE

    from codegen.ir import build_service
    from codegen.python_out import render_python

    text = (
        (PETSTORE / "service-2.json")
        .read_text()
        .replace('"Toy"', '"Any"')
        .replace('"Pet"', '"API"')
    )
    files = render_python(build_service(json.loads(text), model_file="m.json", checksum="0"))
    pkg = tmp_path / "pk"
    pkg.mkdir()
    for name, body in files.items():
        (pkg / name).write_text(body)
    mod = import_generated(pkg, "pk_renamed_shapes")
    types = sys.modules["pk_renamed_shapes.types"]
    assert {"Any_", "API_"} <= set(vars(types))
    assert mod.client is not None and "list[Any_]" in files["types.py"]
    assert "API: dict[str, Any]" in files["_api.py"]

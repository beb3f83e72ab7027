"""`python -m codegen diff`: changelog Markdown between two models."""

from __future__ import annotations

import json
import subprocess
import sys

from codegen_helpers import MID_MODEL, NEXT_MODEL, OLD_MODEL, REPO, load_json

from codegen.diff import diff_models, to_markdown


def test_diff_names_tenant_id_and_the_19_new_operations() -> None:
    old, new = load_json(OLD_MODEL), load_json(MID_MODEL)
    diff = diff_models(old, new)
    added = sorted(set(new["operations"]) - set(old["operations"]))
    assert len(added) == 19
    assert sorted(diff.added_operations) == added
    assert diff.removed_operations == []
    iwrs = diff.shape_changes["InvokeWithResponseStreamRequest"]
    assert any("added member `TenantId`" in line and "X-Amz-Tenant-Id" in line for line in iwrs)
    assert any(
        "`DurableExecutionName` inserted before `Payload` in model order" in line
        and "positional calls unchanged" in line
        for line in diff.shape_changes["InvocationRequest"]
    )
    # Outside operation inputs an insertion moves no argument: no claim about calls.
    assert (
        "member `TagsError` inserted before `Concurrency`"
        in (diff.shape_changes["GetFunctionResponse"])
    )

    out = subprocess.run(
        [sys.executable, "-m", "codegen", "diff", str(OLD_MODEL), str(MID_MODEL), "--title", "t"],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=True,
    ).stdout
    assert out.startswith("## t\n")
    assert "### Added operations (19)" in out
    assert "TenantId" in out
    for op in added:
        assert f"- `{op}` (`lambda_" in out


def test_diff_of_the_next_fixture_names_its_new_operations() -> None:
    old, new = load_json(MID_MODEL), load_json(NEXT_MODEL)
    diff = diff_models(old, new)
    assert diff.added_operations == [n for n in new["operations"] if n not in old["operations"]]
    assert "GetResourcePolicy" in diff.added_operations
    text = to_markdown(diff, "next", "lambda")
    assert f"### Added operations ({len(diff.added_operations)})" in text
    assert "- `GetResourcePolicy` (`lambda_get_resource_policy`)" in text


def test_diff_reports_required_enum_and_constraint_changes() -> None:
    old = json.loads((REPO / "tests/fixtures/codegen/petstore/service-2.json").read_text())
    new = json.loads(json.dumps(old))
    new["shapes"]["CreatePetRequest"]["required"] = ["Name"]
    new["shapes"]["PetKind"]["enum"] = ["DOG", "CAT", "FERRET"]
    new["shapes"]["PetName"]["max"] = 128
    del new["operations"]["Ping"]
    text = to_markdown(diff_models(old, new), "x", "petstore")
    assert "member `Kind` is now optional" in text
    assert "enum values added: `FERRET`" in text and "enum values removed: `PARROT`" in text
    assert "max: `64` -> `128`" in text
    assert "### Removed operations (1)\n\n- `Ping`" in text
    assert "No changes" in to_markdown(diff_models(old, old), "x", "petstore")

"""The generated R package: Rd pages that R accepts, API data equal to Python's, function shapes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from codegen_helpers import NEW_MODEL, PETSTORE, PETSTORE_LABEL, rscript

from codegen.generate import load_service
from codegen.r_out import REEXPORTS

ROOT = Path(__file__).resolve().parents[2]


def _lists_for_empty(value: Any) -> Any:
    """R writes an empty dict and an empty list alike, as list()."""
    if isinstance(value, dict):
        return {k: _lists_for_empty(v) for k, v in value.items()} if value else []
    if isinstance(value, list):
        return [_lists_for_empty(v) for v in value]
    return value


def _r_api_as_json(r_dir: Path, name: str) -> Any:
    out = rscript(
        f'source("{r_dir / "R/api.R"}"); '
        f"cat(jsonlite::toJSON({name}, auto_unbox = TRUE, digits = NA))"
    )
    return json.loads(out)


def test_r_api_data_equals_python_api_data(petstore_out: tuple[Path, Path]) -> None:
    service = load_service(PETSTORE / "service-2.json", label=PETSTORE_LABEL)
    assert _r_api_as_json(petstore_out[1], ".petstore_api") == _lists_for_empty(service.api)


def test_lambda_r_api_data_equals_python(lambda_new: tuple[Path, Path]) -> None:
    service = load_service(NEW_MODEL, label="models/lambda/2015-03-31/service-2.json")
    assert _r_api_as_json(lambda_new[1], ".lambda_api") == _lists_for_empty(service.api)
    # Readable: one member per line; only a single long scalar (a regex) may pass 100 columns.
    for line in (lambda_new[1] / "R/api.R").read_text().splitlines():
        if len(line) > 100:
            assert "list(" not in line and line.count(" = ") == 1, line


def test_every_rd_page_passes_check_rd(
    petstore_out: tuple[Path, Path], lambda_new: tuple[Path, Path]
) -> None:
    for root in (petstore_out[1], lambda_new[1]):
        out = rscript(
            f'files <- list.files("{root / "man"}", full.names = TRUE); '
            "msgs <- unlist(lapply(files, function(f) "
            "as.character(tools::checkRd(f, encoding = 'UTF-8')))); "
            "cat(length(files), '\\n'); cat(msgs, sep = '\\n')"
        )
        count, *messages = out.splitlines()
        assert int(count) >= 8
        assert [m for m in messages if m.strip()] == []


def test_functions_have_model_arguments_and_runtime_call(petstore_out: tuple[Path, Path]) -> None:
    r = petstore_out[1]
    out = rscript(
        f'e <- new.env(); for (f in c("api.R", "operations.R", "service.R")) '
        f'sys.source(file.path("{r / "R"}", f), envir = e); '
        "fmt <- function(fn) paste(names(formals(fn)), vapply(formals(fn), function(x) "
        "if (identical(x, quote(expr = ))) '<req>' else deparse(x), ''), sep = '=', collapse = ','); "
        "cat(fmt(e$petstore_delete_pet), fmt(e$petstore_watch_pet), fmt(e$petstore_list_pets), "
        "fmt(e$petstore_ping), sep = '\\n'); "
        "cat(names(e$.petstore_operations), sep = ',')"
    )
    delete, watch, list_pets, ping, ops = out.splitlines()
    # `...` last: an argument the operation lacks reaches call_operation() as `dots`.
    assert delete == "Reason=NULL,PetId=<req>,Force=NULL,...=<req>"
    assert watch == "PetId=<req>,Seconds=NULL,.on_event=NULL,.stream=FALSE,...=<req>"
    assert list_pets == "for_=NULL,MaxResults=NULL,...=<req>"
    assert ping == "...=<req>"
    assert ops == "create_pet,get_pet,watch_pet,delete_pet,list_pets,ping"
    code = (r / "R/operations.R").read_text()
    assert "PetId = if (missing(PetId)) NULL else PetId" in code
    assert "`for` = for_" in code
    assert code.count("on_event = .on_event") == 1


def test_namespace_and_description(petstore_out: tuple[Path, Path]) -> None:
    ns = (petstore_out[1] / "NAMESPACE").read_text().splitlines()
    exports = [line for line in ns if line.startswith("export(")]
    own = ["petstore"] + [
        f"petstore_{n}"
        for n in ("create_pet", "get_pet", "watch_pet", "delete_pet", "list_pets", "ping")
    ]
    assert exports == [f"export({n})" for n in (*own, *REEXPORTS)]
    # Each re-export is imported from pawscore and documented on the reexports page.
    reexports_rd = (petstore_out[1] / "man/reexports.Rd").read_text(encoding="utf-8")
    for name in REEXPORTS:
        assert f"importFrom(pawscore, {name})" in ns
        assert f"\\alias{{{name}}}" in reexports_rd
    assert "\\code{\\link[pawscore:paginate]{paginate_lapply}}" in reexports_rd
    desc = (petstore_out[1] / "DESCRIPTION").read_text()
    assert "Package: pawspetstore\n" in desc
    runtime = (ROOT / "r" / "pawscore" / "DESCRIPTION").read_text()
    version = next(x for x in runtime.splitlines() if x.startswith("Version: "))[9:]
    assert f"Imports: pawscore (>= {version})\n" in desc
    assert "Depends: R (>= 4.2.0)\n" in desc
    assert "Encoding: UTF-8" in desc


def test_rd_page_content(petstore_out: tuple[Path, Path]) -> None:
    page = (petstore_out[1] / "man/petstore_create_pet.Rd").read_text(encoding="utf-8")
    assert "\\item{Name}{[required] The pet's name.}" in page
    assert "\\section{Request syntax}{\n\\preformatted{svc$create_pet(" in page
    assert 'Kind = "DOG"|"CAT"|"PARROT",' in page
    assert 'Birthday = as.POSIXct("2015-01-01")' in page
    assert 'Toys = list(\n    list(\n      ToyName = "string",' in page
    assert (
        "\\examples{\n\\dontrun{\nsvc <- petstore()\n\n# The following example creates a dog named Rex, 100\\% good."
        in page
    )
    assert "\\strong{Note:}" in page and "\\emph{unique}" in page
    watch = (petstore_out[1] / "man/petstore_watch_pet.Rd").read_text(encoding="utf-8")
    assert "\\item{.on_event}{" in watch
    # One entry per event, each a one-member list; the error event Trouble is not listed.
    assert (
        'Events = list(\n    list(\n      Moved = list(\n        Room = "string",\n'
        "        Frame = raw\n      )\n    ),\n    list(\n      Barked = list(" in watch
    )
    assert "    ...\n  )\n)}" in watch and "Trouble = " not in watch
    pkg = (petstore_out[1] / "man/pawspetstore-package.Rd").read_text(encoding="utf-8")
    assert (
        "\\alias{pawspetstore}" in pkg
        and "\\code{\\link{petstore_watch_pet}} \\tab Streams what a pet does, as events\\cr" in pkg
    )


def test_rd_marks_deprecated_operations_and_members(petstore_out: tuple[Path, Path]) -> None:
    page = (petstore_out[1] / "man/petstore_delete_pet.Rd").read_text(encoding="utf-8")
    assert "\\title{[Deprecated] Deletes a pet}" in page
    assert "\\strong{Deprecated:} AWS has deprecated this operation." in page
    assert (
        "\\item{Force}{[deprecated] A boolean value. Deprecated: Deleting always forces now.}"
        in page
    )
    index = (petstore_out[1] / "man/petstore.Rd").read_text(encoding="utf-8")
    assert "\\link[=petstore_delete_pet]{delete_pet} \\tab [Deprecated] Deletes a pet\\cr" in index


def test_long_enum_lists_wrap(tmp_path: Path) -> None:
    from codegen.ir import build_service
    from codegen.syntax import ENUM_WIDTH, r_value_syntax

    values = [f"VALUE_NUMBER_{n:02d}" for n in range(30)]
    model = {
        "metadata": {"protocol": "rest-json", "serviceId": "Enum Test", "apiVersion": "1"},
        "operations": {
            "Op": {
                "name": "Op",
                "http": {"method": "GET", "requestUri": "/"},
                "output": {"shape": "Out"},
            }
        },
        "shapes": {
            "Out": {"type": "structure", "members": {"Kind": {"shape": "Kind"}}},
            "Kind": {"type": "string", "enum": values},
        },
    }
    text = r_value_syntax(build_service(model, model_file="m"), "Out")
    lines = text.splitlines()
    assert len(lines) > 5
    assert all(len(line) <= ENUM_WIDTH + 12 for line in lines)
    # The wrapped alternatives still read as one R expression of all the values.
    joined = "".join(line.strip() for line in lines[1:-1])
    assert joined == "Kind = " + "|".join(f'"{v}"' for v in values)

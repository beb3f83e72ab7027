"""Docs of event-stream operations and blob arguments (issue 12, item 4).

Every operation with an event-stream output gets, from the generator alone, the event
list's real shape (one one-member list per event) and examples in its own names;
service notes come from the customization file's ``docs`` key; blob arguments lose
the AWS CLI's advice (``file://``, ``fileb://``, ``--payload``, "base64-encode it").
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from codegen_helpers import PETSTORE, PETSTORE_LABEL

from codegen import docs
from codegen.ir import build_service
from codegen.python_out import render_python
from codegen.r_out import render_r

LAMBDA_PAYLOAD = (
    "<p>The JSON that you want to provide to your Lambda function as input.</p> <p>You can "
    'enter the JSON directly. For example, <code>--payload \'{ "key": "value" }\'</code>. '
    "You can also specify a file path. For example, <code>--payload file://payload.json</code>.</p>"
)


def _method_doc(client_py: str, method: str) -> str:
    start = client_py.index(f"    def {method}(")
    return client_py[client_py.index('"""', start) : client_py.index("return self._call", start)]


# -- the generic CLI filter --------------------------------------------------------------


def test_blob_docs_lose_cli_advice() -> None:
    text = docs.to_text(LAMBDA_PAYLOAD, blob=True)
    assert text == "The JSON that you want to provide to your Lambda function as input."
    rd = docs.to_rd(LAMBDA_PAYLOAD, blob=True)
    assert "file://" not in rd and "--payload" not in rd
    # Without blob=True nothing is dropped: the filter is for blob arguments only.
    assert "--payload file://payload.json" in docs.to_text(LAMBDA_PAYLOAD)


@pytest.mark.parametrize(
    ("html", "kept", "dropped"),
    [
        # A CLI sentence inside the description goes; the description stays.
        (
            "<p>The wallet. Provide a <code>.sso</code> file using the <code>fileb://</code> "
            "prefix. It is read once.</p>",
            "The wallet. It is read once.",
            "fileb",
        ),
        # Base64 instructions meant for callers of the raw API or the CLI.
        (
            "<p>The public key. For API calls, the text must be base64-encoded. For command "
            "line tools, base64 encoding is performed for you.</p>",
            "The public key.",
            "base64",
        ),
        # A later paragraph or note about the CLI goes whole.
        (
            "<p>A zip file.</p><note><p>If you use the CLI version 1, pass a file.</p></note>"
            "<p>When using the CLI, prefix it with fileb://.</p><p>At most 5 MB.</p>",
            "A zip file.\n\nAt most 5 MB.",
            "CLI",
        ),
        # Facts that merely mention base64 stay.
        (
            "<p>The data, which is base64-encoded when serialized. The payload before "
            "base64-encoding must not exceed 1 MiB.</p>",
            "The data, which is base64-encoded when serialized. The payload before "
            "base64-encoding must not exceed 1 MiB.",
            None,
        ),
    ],
)
def test_cli_filter_cases(html: str, kept: str, dropped: str | None) -> None:
    text = docs.to_text(html, width=200, blob=True)
    assert text == kept
    if dropped:
        assert dropped not in text


# -- Lambda, generated from the pinned model --------------------------------------------


def test_lambda_blob_arguments_say_what_they_take(lambda_new: tuple[Path, Path]) -> None:
    py, r = lambda_new
    client = (py / "client.py").read_text(encoding="utf-8")
    pages = {p.name: p.read_text(encoding="utf-8") for p in (r / "man").glob("*.Rd")}
    for text in (client, *pages.values()):
        assert "fileb://" not in text and "file://" not in text and "--payload" not in text
    page = pages["lambda_invoke_with_response_stream.Rd"]
    assert (
        "\\item{Payload}{The JSON that you want to provide to your\nLambda function as input."
        "\n\nA raw vector, or a character string (sent as its UTF-8 bytes).}"
    ) in page
    doc = _method_doc(client, "invoke_with_response_stream")
    assert re.search(
        r"Payload: The JSON that you want to provide to your Lambda function as input\.\n\n"
        r" +``bytes``, a ``str`` \(sent as UTF-8\) or a binary file-like object",
        doc,
    )


def test_lambda_stream_page_value_and_examples(lambda_new: tuple[Path, Path]) -> None:
    page = (lambda_new[1] / "man/lambda_invoke_with_response_stream.Rd").read_text("utf-8")
    value = page[page.index("\\value{") : page.index("\\description{")]
    assert (
        "  EventStream = list(\n    list(\n      PayloadChunk = list(\n        Payload = raw\n"
        "      )\n    ),\n    ...,\n    list(\n      InvokeComplete = list(\n"
    ) in value
    assert "EventStream = list(\n    PayloadChunk" not in value
    words = " ".join(value.split())
    assert "one entry per event" in words
    assert "\\code{resp$EventStream$PayloadChunk} is \\code{NULL}" in words
    details = page[page.index("\\details{") : page.index("\\section{Request syntax}")]
    assert "\\code{Unhandled}" in details and "\\code{Sandbox.Timedout}" in details
    assert "as data, not as an error" in " ".join(details.split())
    examples = page[page.index("\\examples{") :]
    for code in (
        "decode <- text_decoder()",
        "cat(decode(event$PayloadChunk$Payload))",
        "text <- payload_text(resp)",
        ".on_event = function(event) stop_stream(event)",
        'attr(first$EventStream, "stopped")',
        "done <- resp$EventStream[[length(resp$EventStream)]]$InvokeComplete",
        "if (!is.null(done$ErrorCode)) {",
    ):
        assert code in examples, code
    assert max(len(line) for line in examples.splitlines()) <= 80


def test_lambda_stream_docstring(lambda_new: tuple[Path, Path]) -> None:
    client = (lambda_new[0] / "client.py").read_text(encoding="utf-8")
    doc = _method_doc(client, "invoke_with_response_stream")
    returns = " ".join(doc[doc.index("Returns:") : doc.index("Raises:")].split())
    assert "``EventStream`` is a list with one dict per event" in returns
    assert "(PayloadChunk, ..., InvokeComplete)" in returns
    note = " ".join(doc[doc.index("Note:") : doc.index("Examples:")].split())
    assert "``Unhandled``" in note and "``Sandbox.Timedout``" in note
    examples = doc[doc.index("Examples:") :]
    for code in (
        'resp = svc.invoke_with_response_stream(FunctionName="my-function", stream=True)',
        "for text in pawscore.iter_text(events):",
        'svc.invoke_with_response_stream(FunctionName="my-function", on_event=print)',
        "text = pawscore.payload_text(resp)",
        "pawscore.stop_stream(event)",
        'first["EventStream"].stopped  # True',
        'done = resp["EventStream"][-1]["InvokeComplete"]',
        'if "ErrorCode" in done:',
    ):
        assert code in examples, code
    assert max(len(line) for line in doc.splitlines() if "https://" not in line) < 100
    # The module-level function shows the same documentation.
    init = (lambda_new[0] / "__init__.py").read_text(encoding="utf-8")
    assert "lambda_invoke_with_response_stream.__doc__ = LambdaClient" in init


# -- generic: any event-stream operation, its own names ----------------------------------


def test_petstore_stream_docs_use_its_own_names(petstore_out: tuple[Path, Path]) -> None:
    py, r = petstore_out
    page = (r / "man/petstore_watch_pet.Rd").read_text(encoding="utf-8")
    assert "cat(decode(event$Moved$Frame))" in page
    assert 'vapply(resp$Events, names, "")' in page and '# "Moved", "Barked", ...' in page
    words = " ".join(page.split())
    assert "An error event (\\code{Trouble}) is raised as a condition, not returned." in words
    assert "\\details{" not in page  # no customization: no service notes
    doc = _method_doc((py / "client.py").read_text(encoding="utf-8"), "watch_pet")
    assert 'resp = svc.watch_pet(PetId="string", stream=True)' in doc
    assert "(``Trouble``) is raised as an exception" in " ".join(doc.split())
    for text in (page, doc):
        assert "InvokeComplete" not in text and "ErrorCode" not in text
    assert max(len(line) for line in page[page.index("\\examples{") :].splitlines()) <= 80
    # An operation without an event stream gets none of it.
    create = (r / "man/petstore_create_pet.Rd").read_text(encoding="utf-8")
    assert "stop_stream" not in create and "text_decoder" not in create


# -- the customization file's docs key -----------------------------------------------------


def _petstore(customizations: dict[str, Any]) -> Any:
    model = json.loads((PETSTORE / "service-2.json").read_text(encoding="utf-8"))
    return build_service(model, model_file=PETSTORE_LABEL, customizations=customizations)


CUSTOM = {
    "shapes": {"PetEvents": {"final_event": "Barked"}},
    "docs": {
        "WatchPet": {
            "example_args": {"PetId": "rex"},
            "notes": ["<p>A pet that sleeps sends <code>Barked</code> ", "with no Pitch.</p>"],
            "examples": [
                {
                    "title": "Count the barks.",
                    "r": ['n <- sum(vapply(resp$Events, names, "") == "Barked")'],
                    "python": ['n = sum("Barked" in e for e in resp["Events"])'],
                }
            ],
        }
    },
}


def test_customization_docs_reach_both_languages() -> None:
    service = _petstore(CUSTOM)
    page = render_r(service)["man/petstore_watch_pet.Rd"]
    assert "\\details{\nA pet that sleeps sends \\code{Barked} with no Pitch.\n}" in page
    assert 'svc$watch_pet(PetId = "rex")' in page
    assert '# Count the barks.\nn <- sum(vapply(resp$Events, names, "") == "Barked")' in page
    # final_event orders the Value: the final event last, after "...".
    assert "    ...,\n    list(\n      Barked = list(" in page
    doc = _method_doc(render_python(service)["client.py"], "watch_pet")
    assert "Note:\n            A pet that sleeps sends ``Barked`` with no Pitch." in doc
    assert 'svc.watch_pet(PetId="rex", stream=True)' in doc
    assert '# Count the barks.\n            n = sum("Barked" in e for e in resp["Events"])' in doc


@pytest.mark.parametrize(
    ("custom", "message"),
    [
        ({"extra": {}}, "unsupported keys ['extra']"),
        ({"docs": {"NoSuchOp": {}}}, "docs for NoSuchOp, which the model does not have"),
        ({"docs": {"WatchPet": {"summary": "x"}}}, "unsupported docs keys ['summary']"),
        (
            {"docs": {"WatchPet": {"examples": [{"title": "t", "r": ["x"]}]}}},
            "each WatchPet example needs exactly ['python', 'r', 'title']",
        ),
    ],
)
def test_customization_refuses_unknown_keys(custom: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        _petstore(custom)

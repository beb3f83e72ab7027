"""Hostile input, argument family (issue 8, item 7), both languages.

A call whose arguments do not fit the operation (a required one missing, an unknown
name, too many positions) or whose text is not valid UTF-8 is invalid input: each
language raises its typed validation error (Python ``ParamValidationError``, R
``paws_param_error``), and not one byte reaches the server.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pawslambda
import pytest

from .rrun import SECRET_KEY, SESSION_TOKEN, Case, Result, run_python, run_r

# Python's form of text that is not valid UTF-8: bytes decoded with surrogateescape.
PY_BAD = b"f\xff".decode("utf-8", "surrogateescape")
R_BAD = "rawToChar(as.raw(c(0x66, 0xff)))"
ARN = "arn:aws:lambda:us-east-1:123456789012:function:f"

CASES = [
    Case(
        id="missing-required",
        py=lambda svc: svc.get_policy(),
        r="svc$get_policy()",
        expect="param",
    ),
    Case(
        id="missing-required-module-function",
        py=lambda svc: pawslambda.lambda_get_policy(),
        r="pawslambda::lambda_get_policy()",
        expect="param",
    ),
    Case(
        id="unknown-keyword",
        py=lambda svc: svc.get_policy(FunctionName="f", Bogus=1),
        r='svc$get_policy(FunctionName = "f", Bogus = 1)',
        expect="param",
    ),
    Case(
        id="unknown-keyword-no-input",
        py=lambda svc: svc.get_account_settings(Bogus=1),
        r="svc$get_account_settings(Bogus = 1)",
        expect="param",
    ),
    Case(
        id="misspelt-callback",
        py=lambda svc: svc.invoke_with_response_stream(FunctionName="f", on_evnt=print),
        r='svc$invoke_with_response_stream(FunctionName = "f", .on_evnt = print)',
        expect="param",
    ),
    Case(
        id="too-many-positional",
        py=lambda svc: svc.get_policy("f", "q", "extra"),
        r='svc$get_policy("f", "q", "extra")',
        expect="param",
    ),
    Case(
        id="invalid-utf8-uri-label",
        py=lambda svc: svc.get_policy(FunctionName=PY_BAD),
        r=f"svc$get_policy(FunctionName = {R_BAD})",
        expect="param",
    ),
    Case(
        id="invalid-utf8-body-string",
        py=lambda svc: svc.update_function_configuration(FunctionName="f", Description=PY_BAD),
        r=f'svc$update_function_configuration(FunctionName = "f", Description = {R_BAD})',
        expect="param",
    ),
    Case(
        id="invalid-utf8-header",
        py=lambda svc: svc.invoke(FunctionName="f", ClientContext=PY_BAD),
        r=f'svc$invoke(FunctionName = "f", ClientContext = {R_BAD})',
        expect="param",
    ),
    Case(
        id="invalid-utf8-map-key",
        py=lambda svc: svc.tag_resource(Resource=ARN, Tags={PY_BAD: "v"}),
        r=f'svc$tag_resource(Resource = "{ARN}", Tags = stats::setNames(list("v"), {R_BAD}))',
        expect="param",
    ),
    Case(
        id="invalid-utf8-blob-text",
        py=lambda svc: svc.invoke(FunctionName="f", Payload=PY_BAD),
        r=f'svc$invoke(FunctionName = "f", Payload = {R_BAD})',
        expect="param",
    ),
    Case(
        id="latin-1-text-is-fine",
        py=lambda svc: svc.update_function_configuration(FunctionName="f", Description="café"),
        r=(
            'svc$update_function_configuration(FunctionName = "f", '
            'Description = iconv("caf\\u00e9", "UTF-8", "latin1"))'
        ),
        expect="ok",
    ),
]


@pytest.fixture(scope="module")
def r_results() -> Iterator[dict[str, Result]]:
    """Every case run once by the R client."""
    with run_r(CASES) as results:
        yield results


def _check(case: Case, result: Result) -> None:
    for secret in (SECRET_KEY, SESSION_TOKEN):
        assert secret not in json.dumps(result.outcome) + result.shown
    if case.expect == "ok":
        assert result.outcome == {"ok": True}, result.outcome
        (request,) = result.server.requests()
        assert json.loads(request.body)["Description"] == "café"
        return
    assert result.outcome.get("error") == case.expect, result.outcome
    assert result.server.received() == b""


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_python(case: Case) -> None:
    _check(case, run_python(case))


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_r(case: Case, r_results: dict[str, Result]) -> None:
    _check(case, r_results[case.id])


def test_python_lists_every_argument_problem() -> None:
    """A bad call names each problem, in validate()'s wording, and keeps the signature."""
    import inspect

    svc = pawslambda.client({"region": "us-east-1"})
    with pytest.raises(pawslambda.pawscore.ParamValidationError) as info:
        svc.remove_permission(Qualifier="1", Bogus=2)
    assert info.value.problems[:2] == [
        "FunctionName: required parameter is missing",
        "StatementId: required parameter is missing",
    ]
    assert info.value.problems[2].startswith("Bogus: unknown parameter; expected one of")
    assert list(inspect.signature(svc.remove_permission).parameters)[:2] == [
        "FunctionName",
        "StatementId",
    ]

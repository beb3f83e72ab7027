"""Paginators and waiters on moto's server: boto3 == pawslambda (Python) == (R).

120 functions are listed page by page by the three clients; a walk cut by MaxItems
gives the same names and the same resume token everywhere, and each client resumes
from the others' tokens. Waiters poll GetFunction until the function exists/is
active, or give up the same way.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
from collections.abc import Iterator
from typing import Any

import boto3
import pawscore
import pytest
from botocore.exceptions import WaiterError as BotoWaiterError
from pawscore.paths import PathError
from pawslambda import client as pawslambda_client

from .conftest import zip_bytes

N_FUNCTIONS = 120
PREFIX = "pg-"


@pytest.fixture(scope="module")
def many_functions(boto_kwargs: dict[str, Any], role_arn: str) -> Iterator[list[str]]:
    lam = boto3.client("lambda", **boto_kwargs)
    names = [f"{PREFIX}{i:03d}" for i in range(N_FUNCTIONS)]
    for name in names:
        lam.create_function(
            FunctionName=name,
            Runtime="python3.11",
            Role=role_arn,
            Handler="app.handler",
            Code={"ZipFile": zip_bytes()},
        )
    yield names
    for name in names:
        lam.delete_function(FunctionName=name)


def _ours(paws_config: dict[str, Any]) -> pawslambda_client:
    return pawslambda_client(paws_config)


def _names(pages: Any) -> list[str]:
    return [f["FunctionName"] for page in pages for f in page["Functions"]]


def _run_r(paws_config: dict[str, Any], body: str, **args: Any) -> Any:
    """Run ``body`` in R with ``svc`` and ``args`` bound; it must end with a value to print."""
    script = f"""
    args <- jsonlite::fromJSON(Sys.getenv("PAWS_ARGS"), simplifyVector = FALSE)
    svc <- pawslambda::lambda(config = jsonlite::fromJSON(Sys.getenv("PAWS_CONFIG"),
                                                          simplifyVector = FALSE))
    out <- local({{ {body} }})
    cat(jsonlite::toJSON(out, auto_unbox = TRUE, null = "null"))
    """
    env = dict(os.environ, PAWS_ARGS=json.dumps(args), PAWS_CONFIG=json.dumps(paws_config))
    proc = subprocess.run(
        ["Rscript", "-e", script], env=env, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_three_clients_list_the_same_names(
    boto_kwargs: dict[str, Any], paws_config: dict[str, Any], many_functions: list[str]
) -> None:
    theirs = _names(
        boto3.client("lambda", **boto_kwargs)
        .get_paginator("list_functions")
        .paginate(PaginationConfig={"PageSize": 25})
    )
    svc = _ours(paws_config)
    assert svc.can_paginate("list_functions") and svc.can_paginate("ListFunctions")
    assert not svc.can_paginate("invoke")
    ours = _names(svc.get_paginator("list_functions").paginate(PaginationConfig={"PageSize": 25}))
    r_names = _run_r(
        paws_config,
        """unlist(pawscore::paginate_lapply(svc$list_functions(), function(page) {
             vapply(page$Functions, function(f) f$FunctionName, "")
           }, PageSize = 25))""",
    )
    assert set(many_functions) <= set(theirs)
    assert ours == theirs
    assert r_names == theirs


def test_max_items_cuts_and_resumes_the_same_everywhere(
    boto_kwargs: dict[str, Any], paws_config: dict[str, Any], many_functions: list[str]
) -> None:
    boto_pager = boto3.client("lambda", **boto_kwargs).get_paginator("list_functions")
    want = boto_pager.paginate(PaginationConfig={"MaxItems": 50}).build_full_result()
    names_all = _names(boto_pager.paginate())
    pager = _ours(paws_config).get_paginator("list_functions")
    got = pager.paginate(PaginationConfig={"MaxItems": 50}).build_full_result()
    assert [f["FunctionName"] for f in got["Functions"]] == names_all[:50]
    assert got["NextToken"] == want["NextToken"]
    assert json.loads(base64.b64decode(got["NextToken"])) == {
        "Marker": None,
        "boto_truncate_amount": 50,
    }
    r = _run_r(
        paws_config,
        """pages <- pawscore::paginate(svc$list_functions(), MaxItems = 50)
           again <- pawscore::paginate(svc$list_functions(), MaxItems = 50,
                                       StartingToken = args$boto_token)
           list(names = unlist(lapply(pages, function(p)
                  vapply(p$Functions, function(f) f$FunctionName, ""))),
                token = attr(pages, "NextToken"),
                resumed = unlist(lapply(again, function(p)
                  vapply(p$Functions, function(f) f$FunctionName, ""))))""",
        boto_token=want["NextToken"],
    )
    assert r["names"] == names_all[:50]
    assert r["token"] == want["NextToken"]
    assert r["resumed"] == names_all[50:100]
    # Python resumes from R's token, boto3 from Python's.
    resumed = pager.paginate(PaginationConfig={"MaxItems": 50, "StartingToken": r["token"]})
    assert _names(resumed) == names_all[50:100]
    boto_resumed = boto_pager.paginate(
        PaginationConfig={"MaxItems": 50, "StartingToken": got["NextToken"]}
    )
    assert _names(boto_resumed) == names_all[50:100]


def test_waiters_succeed_alike(
    paws_config: dict[str, Any], boto_kwargs: dict[str, Any], many_functions: list[str]
) -> None:
    svc = _ours(paws_config)
    assert "function_active_v2" in svc.waiter_names
    boto3.client("lambda", **boto_kwargs).get_waiter("function_active_v2").wait(
        FunctionName="pg-000"
    )
    svc.get_waiter("function_active_v2").wait(FunctionName="pg-000")
    r = _run_r(
        paws_config,
        """resp <- pawscore::wait_until(svc, "function_active_v2", FunctionName = "pg-000")
           list(state = resp$Configuration$State, waiters = pawscore::list_waiters(svc))""",
    )
    assert r["state"] == "Active"
    assert r["waiters"] == svc.waiter_names


def test_function_exists_waits_until_created(
    paws_config: dict[str, Any], boto_kwargs: dict[str, Any], role_arn: str
) -> None:
    lam = boto3.client("lambda", **boto_kwargs)
    created: list[str] = []

    def create_then_sleep(name: str) -> Any:
        def sleep(seconds: float) -> None:
            assert seconds == 1  # the waiter's own delay
            if name not in created:
                lam.create_function(
                    FunctionName=name,
                    Runtime="python3.11",
                    Role=role_arn,
                    Handler="app.handler",
                    Code={"ZipFile": zip_bytes()},
                )
                created.append(name)

        return sleep

    waiter = _ours(paws_config).get_waiter("FunctionExists")
    waiter.sleep = create_then_sleep("late-python")
    waiter.wait(FunctionName="late-python")
    assert created == ["late-python"]

    r = _run_r(
        paws_config,
        """calls <- 0L
           options(pawscore.wait_sleep = function(s) {
             calls <<- calls + 1L
             if (calls == 1L) svc$create_function(FunctionName = "late-r",
               Runtime = "python3.11", Role = args$role, Handler = "app.handler",
               Code = list(ZipFile = jsonlite::base64_dec(args$zip)))
           })
           resp <- pawscore::wait_until(svc, "function_exists", FunctionName = "late-r")
           list(calls = calls, name = resp$Configuration$FunctionName)""",
        role=role_arn,
        zip=base64.b64encode(zip_bytes()).decode(),
    )
    assert r == {"calls": 1, "name": "late-r"}
    for name in ("late-python", "late-r"):
        lam.delete_function(FunctionName=name)


def test_waiters_give_up_alike(paws_config: dict[str, Any], boto_kwargs: dict[str, Any]) -> None:
    with pytest.raises(BotoWaiterError, match="Max attempts exceeded"):
        boto3.client("lambda", **boto_kwargs).get_waiter("function_exists").wait(
            FunctionName="never-made", WaiterConfig={"Delay": 0, "MaxAttempts": 2}
        )
    with pytest.raises(pawscore.WaiterError, match="max attempts exceeded") as info:
        _ours(paws_config).get_waiter("function_exists").wait(
            FunctionName="never-made", WaiterConfig={"Delay": 0, "MaxAttempts": 2}
        )
    assert info.value.reason == "max attempts exceeded (2)"
    r = _run_r(
        paws_config,
        """tryCatch(
             pawscore::wait_until(svc, "function_exists", FunctionName = "never-made",
                                  .delay = 0, .max_attempts = 2),
             paws_waiter_error = function(e) list(class = class(e)[[1]], reason = e$reason))""",
    )
    assert r == {"class": "paws_waiter_error", "reason": "max attempts exceeded (2)"}


def test_page_search_yields_what_boto3_yields(
    boto_kwargs: dict[str, Any], paws_config: dict[str, Any], many_functions: list[str]
) -> None:
    """``paginate(...).search(expr)``: list results flattened, other results as they are."""
    boto_pager = boto3.client("lambda", **boto_kwargs).get_paginator("list_functions")
    pager = _ours(paws_config).get_paginator("list_functions")
    config = {"PaginationConfig": {"PageSize": 25}}
    for expression in ("Functions[].FunctionName", "NextMarker", "Functions[0].Runtime"):
        want = list(boto_pager.paginate(**config).search(expression))
        got = list(pager.paginate(**config).search(expression))
        assert got == want, expression
    names = list(pager.paginate(**config).search("Functions[].FunctionName"))
    assert set(many_functions) <= set(names)
    # An expression outside the supported subset fails before any page is fetched.
    calls: list[dict[str, Any]] = []
    counting = pawscore.paginate.Paginator(
        lambda params: calls.append(params) or {}, pager._config, "ListFunctions"
    )
    with pytest.raises(PathError):
        next(iter(counting.paginate().search("sort_by(Functions, &FunctionName)")))
    assert calls == []

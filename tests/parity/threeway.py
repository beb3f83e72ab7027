"""One call, three clients: botocore, pawslambda in Python, pawslambda in R (rpy2).

Each client's result is an *outcome*, ``{"value": output}`` or ``{"error": {"code",
"message", "status_code"}}``, so the three compare with ``==``. botocore's
ResponseMetadata is set aside and its event streams are read into lists; the R value
is converted with DESIGN.md's type table (rconvert.py). ``config`` is a pawslambda
config in paws' shape (endpoint, region, explicit keys).
"""

from __future__ import annotations

from typing import Any

import boto3
from botocore import xform_name
from botocore.eventstream import EventStream
from botocore.exceptions import ClientError
from pawscore import ServiceError
from pawslambda import client as pawslambda_client
from pawslambda._api import API
from rpy2 import robjects as ro

from . import rconvert

Outcome = dict[str, Any]

_R_CALL = ro.r(
    """
    function(endpoint, region, access_key_id, secret_access_key, method, args) {
      svc <- pawslambda::lambda(config = list(
        region = region, endpoint = endpoint,
        credentials = list(creds = list(
          access_key_id = access_key_id, secret_access_key = secret_access_key))))
      tryCatch(
        list(value = do.call(svc[[method]], args)),
        paws_service_error = function(e) list(error = list(
          code = e$code, message = e$message, status_code = e$status_code,
          class = class(e)))
      )
    }
    """
)

_OPERATIONS = {xform_name(name): name for name in API["operations"]}


def botocore_outcome(config: dict[str, Any], method: str, args: dict[str, Any]) -> Outcome:
    """Call ``method`` with botocore's own client."""
    creds = config["credentials"]["creds"]
    svc = boto3.client(
        "lambda",
        endpoint_url=config["endpoint"],
        region_name=config["region"],
        aws_access_key_id=creds["access_key_id"],
        aws_secret_access_key=creds["secret_access_key"],
    )
    try:
        out = getattr(svc, method)(**args)
    except ClientError as err:
        return _error(
            err.response["Error"]["Code"],
            err.response["Error"]["Message"],
            err.response["ResponseMetadata"]["HTTPStatusCode"],
        )
    out.pop("ResponseMetadata")
    return {"value": {k: list(v) if isinstance(v, EventStream) else v for k, v in out.items()}}


def python_outcome(config: dict[str, Any], method: str, args: dict[str, Any]) -> Outcome:
    """Call ``method`` with pawslambda in Python."""
    try:
        return {"value": getattr(pawslambda_client(config), method)(**args)}
    except ServiceError as err:
        return _error(err.code, err.message, err.status_code)


def r_outcome(config: dict[str, Any], method: str, args: dict[str, Any]) -> Outcome:
    """Call ``method`` with pawslambda in R, in this process through rpy2."""
    creds = config["credentials"]["creds"]
    r_args = ro.vectors.ListVector({k: to_r(v) for k, v in args.items()})
    result = _R_CALL(
        config["endpoint"],
        config["region"],
        creds["access_key_id"],
        creds["secret_access_key"],
        method,
        r_args,
    )
    if list(result.names) == ["error"]:
        err = result.rx2("error")
        classes = list(err.rx2("class"))
        # tryCatch(<Code> = ...) works only if the code is the first class
        assert classes[0] == err.rx2("code")[0] and "paws_service_error" in classes
        return _error(err.rx2("code")[0], err.rx2("message")[0], int(err.rx2("status_code")[0]))
    output = API["operations"][_OPERATIONS[method]]["output"]
    return {"value": rconvert.to_python(API, output, result.rx2("value"))}


def to_r(value: Any) -> Any:
    """A Python input value as the R value DESIGN.md's type table gives it."""
    if isinstance(value, dict):
        return ro.vectors.ListVector({k: to_r(v) for k, v in value.items()})
    if isinstance(value, list):
        return ro.r["list"](*[to_r(v) for v in value])
    if isinstance(value, bytes):
        return ro.vectors.ByteVector(value)
    if isinstance(value, bool):
        return ro.BoolVector([value])
    if isinstance(value, int):
        return ro.IntVector([value])
    return ro.StrVector([value])


def _error(code: str, message: str, status_code: int | None) -> Outcome:
    return {"error": {"code": code, "message": message, "status_code": status_code}}

"""R code written the way paws documents it runs unchanged against pawslambda.

Each snippet below is paws' documented style with only the package name changed
(`paws::lambda` -> `pawslambda::lambda`, paws.common's helpers from pawscore): a
service made with config, with credentials/endpoint/region arguments, or with
paws.common's config() helpers; a call; a caught error; a paginated listing.
"""

from __future__ import annotations

import json
import os
import subprocess
from typing import Any

import boto3
import pytest

from .conftest import ACCESS_KEY_ID, REGION, SECRET_ACCESS_KEY, zip_bytes

SNIPPETS = r"""
library(pawslambda)
library(pawscore)
url <- Sys.getenv("MOTO_URL")
key <- Sys.getenv("KEY_ID")
secret <- Sys.getenv("SECRET")

# 1. paws' README: a config list with paws' own keys
svc <- lambda(
  config = list(
    credentials = list(
      creds = list(access_key_id = key, secret_access_key = secret)
    ),
    endpoint = url,
    region = "us-east-1",
    close_connection = TRUE,
    max_retries = 2,
    connect_timeout = 60,
    s3_force_path_style = FALSE,
    sts_regional_endpoint = "regional",
    signature_version = "v4"
  )
)
one <- svc$list_functions()

# 2. paws' constructor arguments
svc2 <- lambda(
  credentials = list(creds = list(access_key_id = key, secret_access_key = secret)),
  endpoint = url,
  region = "us-east-1"
)
two <- svc2$get_function(FunctionName = "paws-style")

# 3. paws.common's helpers
svc3 <- lambda(config = config(
  credentials = credentials(creds = creds(access_key_id = key, secret_access_key = secret)),
  endpoint = url,
  region = "us-east-1"
))
three <- svc3$list_functions()

# 4. catching an error, as paws' docs show
caught <- tryCatch(
  svc$get_function(FunctionName = "no-such-function"),
  error = function(e) e
)

# 5. paginating
pages <- paginate(svc$list_functions())
names <- paginate_sapply(svc$list_functions(), function(page) {
  vapply(page$Functions, function(f) f$FunctionName, "")
})

cat(jsonlite::toJSON(list(
  one = vapply(one$Functions, function(f) f$FunctionName, ""),
  two = two$Configuration$FunctionName,
  three = length(three$Functions),
  error_class = class(caught),
  error_message = conditionMessage(caught),
  pages = length(pages),
  names = as.character(unlist(names))
), auto_unbox = FALSE))
"""


@pytest.fixture(scope="module")
def paws_style_function(boto_kwargs: dict[str, Any], role_arn: str) -> str:
    boto3.client("lambda", **boto_kwargs).create_function(
        FunctionName="paws-style",
        Runtime="python3.11",
        Role=role_arn,
        Handler="app.handler",
        Code={"ZipFile": zip_bytes()},
    )
    return "paws-style"


def test_paws_documented_snippets_run_unchanged(
    moto_url: str, boto_kwargs: dict[str, Any], paws_style_function: str
) -> None:
    env = dict(os.environ, MOTO_URL=moto_url, KEY_ID=ACCESS_KEY_ID, SECRET=SECRET_ACCESS_KEY)
    proc = subprocess.run(
        ["Rscript", "-e", SNIPPETS], env=env, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr
    assert "Warning" not in proc.stderr  # s3_force_path_style = FALSE is not a complaint
    out = json.loads(proc.stdout)
    listed = [
        f["FunctionName"]
        for f in boto3.client("lambda", **boto_kwargs).list_functions()["Functions"]
    ]
    assert REGION == "us-east-1"
    assert out["one"] == listed
    assert out["two"] == ["paws-style"]
    assert out["three"] == [len(listed)]
    assert out["error_class"][:2] == ["ResourceNotFoundException", "paws_service_error"]
    assert "no-such-function" in out["error_message"][0]
    assert out["pages"] == [1]
    assert out["names"] == listed

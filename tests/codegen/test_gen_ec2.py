"""EC2 from the installed botocore, generated and called over HTTP on 127.0.0.1.

The generated clients (not committed: the model is large) send DescribeInstances in the
ec2 protocol, signed, and read EC2's answer and error. Python's request body and values
equal what botocore's own EC2Serializer and EC2QueryParser give for the same call; the
generated R package, installed next to the tree's pawscore, sends the same bytes and
reads the same values and error.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import pawscore
import pytest
from botocore.loaders import create_loader
from botocore.model import ServiceModel
from botocore.parsers import EC2QueryParser
from botocore.serialize import create_serializer
from botocore.utils import percent_encode_sequence
from codegen_helpers import import_generated
from recording_server import serve

from codegen.generate import botocore_model_path, load_service, render_all, write_tree

CONFIG = {
    "region": "us-east-1",
    "credentials": {"creds": {"access_key_id": "AK", "secret_access_key": "SK"}},
}

ANSWER = b"""<?xml version="1.0" encoding="UTF-8"?>
<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
    <requestId>8f7724cf-496f-496e-8fe3-example</requestId>
    <reservationSet>
        <item>
            <reservationId>r-1234567890abcdef0</reservationId>
            <ownerId>123456789012</ownerId>
            <groupSet/>
            <instancesSet>
                <item>
                    <instanceId>i-1234567890abcdef0</instanceId>
                    <imageId>ami-bff32ccc</imageId>
                    <instanceState><code>16</code><name>running</name></instanceState>
                    <launchTime>2018-05-08T16:46:19.000Z</launchTime>
                    <ebsOptimized>false</ebsOptimized>
                    <tagSet>
                        <item><key>Name</key><value>web &amp; db</value></item>
                    </tagSet>
                </item>
            </instancesSet>
        </item>
    </reservationSet>
    <nextToken>tok</nextToken>
</DescribeInstancesResponse>"""

ERROR = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error>'
    b"<Code>InvalidInstanceID.Malformed</Code>"
    b'<Message>Invalid id: "i-x"</Message></Error></Errors>'
    b"<RequestID>ea966190-f9aa-478e-9ede-example</RequestID></Response>"
)

PARAMS: dict[str, Any] = {
    "InstanceIds": ["i-1234567890abcdef0"],
    "DryRun": False,
    "Filters": [{"Name": "tag:Name", "Values": ["web & db", "x/y"]}],
    "MaxResults": 5,
}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    service = load_service(botocore_model_path("ec2"))
    assert service.protocol == "ec2"
    py, r = render_all(service)
    out = tmp_path_factory.mktemp("ec2")
    write_tree(py, out / "py" / service.package)
    write_tree(r, out / "r" / service.package)
    return out


@pytest.fixture(scope="module")
def ec2(generated: Path) -> Any:
    return import_generated(generated / "py" / "pawsec2", "pawsec2_under_test")


@pytest.fixture(scope="module")
def r_lib(generated: Path) -> Path:
    """The generated R package in a library of its own (pawscore: the session's)."""
    lib = generated / "rlib"
    lib.mkdir()
    done = subprocess.run(
        ["R", "CMD", "INSTALL", "--no-test-load", "-l", str(lib), str(generated / "r" / "pawsec2")],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return lib


def _r(lib: Path, url: str, call: str) -> dict[str, Any]:
    code = (
        "library(pawsec2); svc <- ec2(config = list(region = 'us-east-1', "
        f"endpoint = '{url}', credentials = list(creds = list(access_key_id = 'AK', "
        "secret_access_key = 'SK')), retry_mode = 'standard'));"
        f"out <- tryCatch({call}, paws_service_error = function(e) list(code = e$code, "
        "message = e$message, request_id = e$request_id, status_code = e$status_code));"
        "cat(jsonlite::toJSON(out, auto_unbox = TRUE, POSIXt = 'ISO8601', digits = NA))"
    )
    env = {**os.environ, "R_LIBS": f"{lib}{os.pathsep}{os.environ.get('R_LIBS', '')}"}
    done = subprocess.run(
        ["Rscript", "--vanilla", "-e", code], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


R_CALL = (
    "svc$describe_instances(InstanceIds = list('i-1234567890abcdef0'), DryRun = FALSE, "
    "Filters = list(list(Name = 'tag:Name', Values = list('web & db', 'x/y'))), MaxResults = 5)"
)


def _botocore() -> tuple[Any, Any]:
    model = ServiceModel(create_loader().load_service_model("ec2", "service-2"), "ec2")
    return model.operation_model("DescribeInstances"), create_serializer("ec2")


def test_describe_instances_is_sent_and_read_as_botocore_does(ec2: Any) -> None:
    with serve(lambda rec: (200, {"Content-Type": "text/xml;charset=UTF-8"}, ANSWER)) as (
        url,
        seen,
    ):
        out = ec2.client({**CONFIG, "endpoint": url}).describe_instances(**PARAMS)
    operation, serializer = _botocore()
    request = seen[0]
    assert (request.method, request.path) == ("POST", "/")
    assert request.headers["content-type"] == "application/x-www-form-urlencoded; charset=utf-8"
    assert "/ec2/aws4_request" in request.headers["authorization"]
    want = percent_encode_sequence(serializer.serialize_to_request(PARAMS, operation)["body"])
    assert dict(parse_qsl(request.body.decode())) == dict(parse_qsl(want))
    assert dict(parse_qsl(request.body.decode()))["Filter.1.Value.1"] == "web & db"
    theirs = EC2QueryParser().parse(
        {"body": ANSWER, "headers": {}, "status_code": 200}, operation.output_shape
    )
    theirs.pop("ResponseMetadata")
    assert out == theirs
    instance = out["Reservations"][0]["Instances"][0]
    assert instance["State"] == {"Code": 16, "Name": "running"}
    assert instance["Tags"] == [{"Key": "Name", "Value": "web & db"}]
    assert out["NextToken"] == "tok"


def test_an_ec2_error_is_raised_with_its_code_and_request_id(ec2: Any) -> None:
    with serve(lambda rec: (400, {"Content-Type": "text/xml"}, ERROR)) as (url, _seen):
        svc = ec2.client({**CONFIG, "endpoint": url, "retry_mode": "standard"})
        with pytest.raises(pawscore.ServiceError) as info:
            svc.describe_instances(InstanceIds=["i-x"])
    assert info.value.code == "InvalidInstanceID.Malformed"
    assert info.value.message == 'Invalid id: "i-x"'
    assert info.value.request_id == "ea966190-f9aa-478e-9ede-example"
    assert info.value.status_code == 400


def test_the_generated_r_package_sends_and_reads_the_same(ec2: Any, r_lib: Path) -> None:
    with serve(lambda rec: (200, {"Content-Type": "text/xml"}, ANSWER)) as (url, seen):
        python = ec2.client({**CONFIG, "endpoint": url}).describe_instances(**PARAMS)
        r = _r(r_lib, url, R_CALL)
    assert len(seen) == 2
    assert seen[1].body == seen[0].body  # the same bytes, in the same order
    assert "/ec2/aws4_request" in seen[1].headers["authorization"]
    r_instance = r["Reservations"][0]["Instances"][0]
    py_instance = python["Reservations"][0]["Instances"][0]
    assert r_instance["State"] == py_instance["State"] == {"Code": 16, "Name": "running"}
    assert r_instance["Tags"] == py_instance["Tags"]
    assert r_instance["LaunchTime"].startswith("2018-05-08T16:46:19")
    assert r_instance["EbsOptimized"] is False
    assert r["Reservations"][0]["ReservationId"] == "r-1234567890abcdef0"
    assert r["NextToken"] == python["NextToken"] == "tok"


def test_the_generated_r_package_raises_the_ec2_error(r_lib: Path) -> None:
    with serve(lambda rec: (400, {"Content-Type": "text/xml"}, ERROR)) as (url, _seen):
        r = _r(r_lib, url, "svc$describe_instances(InstanceIds = list('i-x'))")
    assert r == {
        "code": "InvalidInstanceID.Malformed",
        "message": 'Invalid id: "i-x"',
        "request_id": "ea966190-f9aa-478e-9ede-example",
        "status_code": 400,
    }

"""Any botocore service from the same generator: --service, .json.gz, protocols, names."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from codegen_helpers import PETSTORE, REPO, import_generated

from codegen import naming
from codegen.generate import (
    botocore_data,
    botocore_model_path,
    botocore_services,
    load_service,
    read_json,
    read_tree,
    render_all,
    write_tree,
)
from codegen.ir import build_service
from codegen.protocols import SUPPORTED_PROTOCOLS, UnsupportedProtocolError


def _run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    # The generator is run from this tree wherever the working directory is.
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), str(REPO / "python")])}
    return subprocess.run(
        [sys.executable, "-m", "codegen", *args], capture_output=True, text=True, cwd=cwd, env=env
    )


def _protocol(service: str) -> str:
    return read_json(botocore_model_path(service))[0]["metadata"]["protocol"]


def _first_service(protocols: set[str], exclude: set[str]) -> str:
    for name in ("sts", "sns", "ec2", "s3", "sqs", "dynamodb", "cloudwatch"):
        if _protocol(name) in protocols - exclude:
            return name
    raise AssertionError("no installed botocore service with such a protocol")


def test_unsupported_protocol_is_refused_by_name(tmp_path: Path) -> None:
    name = _first_service({"query", "rest-xml", "ec2"}, set(SUPPORTED_PROTOCOLS))
    protocol = _protocol(name)
    py, r = tmp_path / "py", tmp_path / "r"
    done = _run("generate", "--service", name, "--python-out", str(py), "--r-out", str(r))
    assert done.returncode != 0
    assert f"{name} uses the '{protocol}' protocol" in done.stderr
    assert "supported: " + ", ".join(SUPPORTED_PROTOCOLS) in done.stderr
    assert not py.exists() and not r.exists()


def test_unsupported_protocol_model_file_is_refused(tmp_path: Path) -> None:
    model = json.loads((PETSTORE / "service-2.json").read_text())
    model["metadata"]["protocol"] = "rest-xml"
    path = tmp_path / "service-2.json"
    path.write_text(json.dumps(model))
    done = _run(
        "--model", str(path), "--python-out", str(tmp_path / "p"), "--r-out", str(tmp_path / "r")
    )
    assert done.returncode == 2
    assert (
        "uses the 'rest-xml' protocol, which the pawscore runtimes do not implement" in done.stderr
    )
    with pytest.raises(UnsupportedProtocolError):
        build_service(model, model_file="x")


def test_service_from_botocore_reads_gz_and_names_its_source(tmp_path: Path) -> None:
    path = botocore_model_path("signer")
    assert path.parent.parent.name == "signer"
    py, r = tmp_path / "py", tmp_path / "r"
    done = _run("generate", "--service", "signer", "--python-out", str(py), "--r-out", str(r))
    assert done.returncode == 0, done.stderr
    first = (py / "client.py").read_text().splitlines()[0]
    version = botocore_data()[1]
    assert f"from botocore {version} data/signer/" in first
    # The same from another working directory.
    assert (
        _run(
            "check", "--service", "signer", "--python-out", str(py), "--r-out", str(r), cwd=tmp_path
        ).returncode
        == 0
    )


def test_gz_model_gives_the_same_packages(tmp_path: Path) -> None:
    plain = PETSTORE / "service-2.json"
    packed = tmp_path / "petstore" / "service-2.json.gz"
    packed.parent.mkdir()
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    shutil.copy(PETSTORE / "examples-1.json", packed.parent / "examples-1.json")
    a = render_all(load_service(plain, label="m"))
    b = render_all(load_service(packed, label="m"))
    assert a == b


@pytest.mark.parametrize("service", ["signer", "datapipeline", "lightsail", "redshift-data"])
def test_scalar_shapes_named_like_builtins_import(service: str, tmp_path: Path) -> None:
    """Shapes called ``bool``/``int``/``float`` are plain annotations, never imports."""
    svc = load_service(botocore_model_path(service), supported_only=False)
    builtin_named = {"bool", "int", "float", "long", "double"} & set(svc.shapes)
    assert builtin_named
    py, _ = render_all(svc)
    write_tree(py, tmp_path / svc.package)
    module = import_generated(tmp_path / svc.package, f"{svc.package}_under_test")
    types = sys.modules[f"{svc.package}_under_test.types"]
    for name in builtin_named:
        assert not hasattr(types, name)  # a scalar shape is an annotation, not a class
    assert isinstance(module.client({"region": "us-east-1"}), module.__dict__[svc.client_class])


def test_package_names_are_unique_across_botocore() -> None:
    names = botocore_services()
    assert naming.service_prefix("Pinpoint SMS Voice", "pinpoint-sms-voice", names) == (
        "pinpointsmsvoice"
    )
    assert naming.service_prefix("Pinpoint SMS Voice", "sms-voice", names) == "smsvoice"
    assert naming.service_prefix("Lambda", "lambda", names) == "lambda"
    assert naming.service_prefix("Bedrock Runtime", "bedrock-runtime", names) == "bedrockruntime"
    prefixes: dict[str, str] = {}
    for name in names:
        meta = read_json(botocore_model_path(name))[0]["metadata"]
        prefix = naming.service_prefix(meta.get("serviceId") or name, name, names)
        assert prefix not in prefixes, f"{name} and {prefixes[prefix]} both become paws{prefix}"
        prefixes[prefix] = name
    assert len(prefixes) == len(names)


def test_sms_voice_generates_its_own_package(tmp_path: Path) -> None:
    outs = {}
    for name in ("pinpoint-sms-voice", "sms-voice"):
        svc = load_service(botocore_model_path(name))
        _, r = render_all(svc)
        write_tree(r, tmp_path / svc.package)
        outs[name] = read_tree(tmp_path / svc.package)["DESCRIPTION"]
    assert "Package: pawspinpointsmsvoice\n" in outs["pinpoint-sms-voice"]
    assert "Package: pawssmsvoice\n" in outs["sms-voice"]


def test_service_ir_carries_paginators_and_rule_set() -> None:
    svc = load_service(botocore_model_path("signer"))
    assert svc.paginators is not None and "pagination" in svc.paginators
    assert svc.rule_set is not None and "rules" in svc.rule_set

"""Write the data the R runtime's own tests read: ``r/pawscore/tests/testthat/data/``.

``R CMD check`` runs the tests of a built tarball, which holds only the package folder,
so the data those tests compare against must be inside it. This script derives it from
the repository's single sources and writes it there:

- ``lambda_api.json``: the API data of four Lambda operations (codegen.apidata);
- ``protocol_input.json`` / ``protocol_output.json``: botocore's rest-json protocol
  cases (tests/conformance/protocols) turned into API data, minus those botocore skips;
- ``json_protocol_input.json`` / ``json_protocol_output.json``: the same for awsJson
  1.1 then 1.0;
- ``query_protocol_input.json`` / ``query_protocol_output.json``: every awsQuery case
  (the R tests name the ones they skip, with the reason);
- ``ec2_protocol_input.json`` / ``ec2_protocol_output.json``: every ec2 case, likewise;
- ``patterns_python.json``: the model patterns (tests/fixtures/patterns), probes, and
  Python's full-match results, which the R pattern engine must equal;
- ``sigv4_suite.json``: the SigV4 suite (tests/conformance/sigv4) with, per case,
  botocore's canonical request, string to sign and signature;
- ``eventstream/``: the event-stream fixtures (tests/fixtures/eventstream), as they are;
- ``types/type_triples.json``: the type table's fixture (tests/fixtures/types);
- ``endpoints/``: AWS's Lambda endpoint cases (tests/conformance/endpoints) and the
  pinned rule set and partitions (models/lambda/2015-03-31);
- ``recorded.json`` (only with ``--record``): responses of a pawslocal emulator, raw
  bytes and all, which the R client tests replay through pawscore's transport seam.

``python3 scripts/sync_r_test_data.py``          rewrite the derived files
``python3 scripts/sync_r_test_data.py --check``  exit 1 when any is stale
``python3 scripts/sync_r_test_data.py --record`` also re-record the emulator responses

``make generate`` runs the first form; tests/r/test_r_test_data.py runs the check.
"""

from __future__ import annotations

import argparse
import base64
import json
import shutil
import socket
import sys
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
if str(REPO / "python") not in sys.path:
    sys.path.insert(1, str(REPO / "python"))

from codegen.apidata import build_api_data  # noqa: E402

CONFORMANCE = REPO / "tests" / "conformance"
FIXTURES = REPO / "tests" / "fixtures"
OUT = REPO / "r" / "pawscore" / "tests" / "testthat" / "data"
LAMBDA_MODEL = "models/lambda/2015-03-31/service-2.json"
LAMBDA_OPERATIONS = ["InvokeWithResponseStream", "Invoke", "GetFunction", "ListFunctions"]

SUITE_KEY = "AKIDEXAMPLE"
SUITE_SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
SUITE_TIME = "20150830T123600Z"
# The only suite case whose token comes from the credentials, not the request.
SUITE_TOKENS = {
    "get-vanilla-with-session-token": (
        "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267"
    )
}

# Emulator functions with faults, on top of examples/functions.py (also served to the
# live tier of the R tests by tests/r/test_pawscore_r.py).
EMULATOR_CONFIG: dict[str, Any] = {
    "functions": {
        "stream-cut": {"handler": "chunks", "fault": "cut-mid-frame:after=2"},
        "stream-truncate": {"handler": "chunks", "fault": "truncate:after=2"},
        "stream-between-frames": {"handler": "chunks", "fault": "truncate:after=2:bytes=0"},
        "stream-empty": {"handler": "chunks", "fault": "truncate:after=0:bytes=0"},
        "stream-badcrc": {"handler": "chunks", "fault": "bad-crc:frame=2"},
        "stream-exception": {
            "handler": "chunks",
            "fault": "exception:after=1:type=ServiceException",
        },
        "flaky": {"handler": "hello", "fault": "status:503:times=2:key=r-flaky"},
        "always-503": {"handler": "hello", "fault": "status:503:times=1000:key=r-503"},
        "throttled": {"handler": "hello", "fault": "status:429:times=1:key=r-429"},
    }
}

_STREAM = "/2021-11-15/functions/{}/response-streaming-invocations"
_INVOKE = "/2015-03-31/functions/{}/invocations"

# name -> (method, path, body, extra headers): the requests the R client tests replay.
RECORDINGS: dict[str, tuple[str, str, bytes, dict[str, str]]] = {
    "stream_n2": ("POST", _STREAM.format("stream"), b'{"n": 2, "delay": 0}', {}),
    "stream_n3": ("POST", _STREAM.format("stream"), b'{"n": 3, "delay": 0}', {}),
    "stream_n4": ("POST", _STREAM.format("stream"), b'{"n": 4, "delay": 0}', {}),
    "stream_bytes256": ("POST", _STREAM.format("bytes256"), b"", {}),
    "stream_dryrun": ("POST", _STREAM.format("stream"), b"", {"X-Amz-Invocation-Type": "DryRun"}),
    "stream_tail": ("POST", _STREAM.format("stream"), b'{"n": 1}', {"X-Amz-Log-Type": "Tail"}),
    "stream_fail": ("POST", _STREAM.format("fail"), b"", {}),
    "stream_not_found": ("POST", _STREAM.format("no-such-function"), b"", {}),
    "stream_cut": ("POST", _STREAM.format("stream-cut"), b'{"n": 5}', {}),
    "stream_truncate": ("POST", _STREAM.format("stream-truncate"), b'{"n": 5}', {}),
    "stream_between_frames": ("POST", _STREAM.format("stream-between-frames"), b'{"n": 5}', {}),
    "stream_empty": ("POST", _STREAM.format("stream-empty"), b'{"n": 5}', {}),
    "stream_badcrc": ("POST", _STREAM.format("stream-badcrc"), b'{"n": 5}', {}),
    "stream_exception": ("POST", _STREAM.format("stream-exception"), b'{"n": 5}', {}),
    "invoke_503": ("POST", _INVOKE.format("always-503"), b"", {}),
    "invoke_hello": ("POST", _INVOKE.format("hello"), b"", {}),
    "invoke_echo": ("POST", _INVOKE.format("echo"), b'{"a": [1, 2]}', {}),
    "get_function": ("GET", "/2015-03-31/functions/hello", b"", {}),
}


def _json(value: Any) -> bytes:
    return (json.dumps(value, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def protocol_cases(
    kind: str, stem: str = "rest-json", keep_ignored: bool = False
) -> list[dict[str, Any]]:
    """botocore's ``kind`` ("input"/"output") cases of ``<kind>-<stem>.json``, each with
    its API data, minus those botocore's ignore list names for ``stem`` (all of them
    with ``keep_ignored``: the R tests then name their skips themselves)."""
    protocols = CONFORMANCE / "protocols"
    ignore = json.loads((protocols / "protocol-tests-ignore-list.json").read_text())
    ignored_suites = set(ignore["general"].get(kind, {}).get("suites", []))
    ignored_cases = set(ignore["protocols"][stem].get(kind, {}).get("cases", []))
    if keep_ignored:
        ignored_suites, ignored_cases = set(), set()
    out = []
    for suite in json.loads((protocols / f"{kind}-{stem}.json").read_text()):
        if suite["description"] in ignored_suites:
            continue
        for case in suite["cases"]:
            if case["id"] in ignored_cases:
                continue
            given = case["given"]
            model = {
                "metadata": {**suite["metadata"], "endpointPrefix": "protocoltest"},
                "operations": {given["name"]: given},
                "shapes": suite["shapes"],
            }
            entry = {k: v for k, v in case.items() if k not in ("given", "description")}
            entry["api"] = build_api_data(model)
            entry["operation"] = given["name"]
            out.append(entry)
    return out


def json_protocol_cases(kind: str) -> list[dict[str, Any]]:
    """awsJson 1.1 then 1.0 cases."""
    return protocol_cases(kind, "json") + protocol_cases(kind, "json_1_0")


def pattern_results() -> dict[str, Any]:
    """The model patterns, the probes, and Python's full-match results (None = skipped)."""
    from pawscore.patterns import full_match

    data = json.loads((FIXTURES / "patterns" / "model_patterns.json").read_text())
    results = []
    for pattern in data["patterns"]:
        found = [full_match(pattern, probe) for probe in data["probes"]]
        results.append(None if found[0] is None else found)
    return {"patterns": data["patterns"], "probes": data["probes"], "results": results}


def _aws_quote(text: str) -> str:
    return quote(unquote(text), safe="-_.~")


def sigv4_suite() -> dict[str, dict[str, Any]]:
    """Each suite case's files, and botocore's signing steps for the same request."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    def text(path: Path) -> str:
        return path.read_bytes().decode("utf-8")

    out = {}
    for req_file in sorted((CONFORMANCE / "sigv4").rglob("*.req"), key=lambda p: p.stem):
        name = req_file.stem
        stem = req_file.with_suffix("")
        raw = text(req_file)
        head, _, body = raw.partition("\n\n")
        lines = head.split("\n")
        method, rest = lines[0].split(" ", 1)
        target = rest.rsplit(" ", 1)[0]
        path, _, query = target.partition("?")
        headers: list[tuple[str, str]] = []
        for line in lines[1:]:
            if line[:1] in (" ", "\t"):
                key, value = headers[-1]
                headers[-1] = (key, value + "\n" + line)
            else:
                key, _, value = line.partition(":")
                headers.append((key, value))
        token = SUITE_TOKENS.get(name)
        if token:
            headers.append(("X-Amz-Security-Token", token))
        # Query as a client sends it: each key and value percent-encoded once.
        pairs = [p.partition("=") for p in query.split("&") if p]
        wire_query = "&".join(f"{_aws_quote(k)}={_aws_quote(v)}" for k, _, v in pairs)
        url = "https://example.amazonaws.com" + path + (f"?{wire_query}" if wire_query else "")
        request = AWSRequest(method=method, url=url, data=body.encode("utf-8"))
        for key, value in headers:
            request.headers[key] = value  # HTTPHeaders appends, keeping duplicates
        request.context["timestamp"] = SUITE_TIME
        auth = SigV4Auth(Credentials(SUITE_KEY, SUITE_SECRET, token), "service", "us-east-1")
        creq = auth.canonical_request(request)
        sts = auth.string_to_sign(request, creq)
        out[name] = {
            "req": raw,
            "creq": text(stem.with_suffix(".creq")),
            "sts": text(stem.with_suffix(".sts")),
            "authz": text(stem.with_suffix(".authz")),
            "botocore": {
                "method": method,
                "url": url,
                "headers": [[k, v] for k, v in headers],
                "body": body,
                "session_token": token or "",
                "canonical_request": creq,
                "string_to_sign": sts,
                "signature": auth.signature(sts, request),
            },
        }
    return out


def _notice() -> bytes:
    parts = [
        "The files in this folder are derived from third-party data vendored in the pawsgen\n"
        "repository under tests/conformance/ (see its README.md), licensed under the Apache\n"
        "License, Version 2.0 (LICENSE beside this file):\n\n"
        "- sigv4_suite.json: the AWS Signature Version 4 test suite.\n"
        "- protocol_input.json, protocol_output.json, json_protocol_*.json,\n"
        "  query_protocol_*.json, ec2_protocol_*.json: botocore's protocol test cases.\n\n",
        (CONFORMANCE / "sigv4" / "NOTICE").read_text(),
        "\n\n",
        (CONFORMANCE / "protocols" / "NOTICE").read_text(),
    ]
    return "".join(parts).encode("utf-8")


def derived_files() -> dict[str, bytes]:
    """Every derived file, relative to the data folder, with its content."""
    model = json.loads((REPO / LAMBDA_MODEL).read_text())
    files = {
        "README.md": (Path(__file__).with_name("r_test_data_README.md")).read_bytes(),
        "LICENSE": (CONFORMANCE / "sigv4" / "LICENSE").read_bytes(),
        "NOTICE": _notice(),
        "lambda_api.json": _json(build_api_data(model, LAMBDA_OPERATIONS, LAMBDA_MODEL)),
        "protocol_input.json": _json(protocol_cases("input")),
        "protocol_output.json": _json(protocol_cases("output")),
        "json_protocol_input.json": _json(json_protocol_cases("input")),
        "json_protocol_output.json": _json(json_protocol_cases("output")),
        "query_protocol_input.json": _json(protocol_cases("input", "query", keep_ignored=True)),
        "query_protocol_output.json": _json(protocol_cases("output", "query", keep_ignored=True)),
        "ec2_protocol_input.json": _json(protocol_cases("input", "ec2", keep_ignored=True)),
        "ec2_protocol_output.json": _json(protocol_cases("output", "ec2", keep_ignored=True)),
        "patterns_python.json": _json(pattern_results()),
        "sigv4_suite.json": _json(sigv4_suite()),
    }
    for path in sorted((FIXTURES / "eventstream").iterdir()):
        if path.suffix in (".bin", ".json"):
            files[f"eventstream/{path.name}"] = path.read_bytes()
    for path in sorted((FIXTURES / "types").glob("*.json")):
        files[f"types/{path.name}"] = path.read_bytes()
    for name in ("lambda-endpoint-tests-1.json", "LICENSE.txt", "NOTICE"):
        files[f"endpoints/{name}"] = (CONFORMANCE / "endpoints" / name).read_bytes()
    for name in ("endpoint-rule-set-1.json", "partitions.json"):
        files[f"endpoints/{name}"] = (REPO / "models/lambda/2015-03-31" / name).read_bytes()
    return files


def stale_files(out: Path = OUT) -> list[str]:
    """Derived files missing, different or extra in ``out`` (recorded.json aside)."""
    want = derived_files()
    have = {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in out.rglob("*")
        if p.is_file() and p.name != "recorded.json"
    }
    return sorted(k for k in want.keys() | have.keys() if want.get(k) != have.get(k))


def write_derived(out: Path = OUT) -> None:
    """Replace the derived files in ``out``, keeping recorded.json."""
    for sub in ("eventstream", "types", "endpoints"):
        shutil.rmtree(out / sub, ignore_errors=True)
    for name, data in derived_files().items():
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


# -- recorded emulator responses ----------------------------------------------------


def _exchange(url: str, method: str, path: str, body: bytes, extra: dict[str, str]) -> bytes:
    """Send one SigV4-signed request on a fresh connection; every byte of the answer."""
    import pawslocal
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    creds = pawslocal.DEFAULT_CREDENTIALS
    request = AWSRequest(method=method, url=url + path, data=body, headers=extra)
    SigV4Auth(
        Credentials(creds.access_key_id, creds.secret_access_key), "lambda", "us-east-1"
    ).add_auth(request)
    split = urlsplit(url)
    head = [f"{method} {path} HTTP/1.1", f"Host: {split.netloc}"]
    head += [f"{k}: {v}" for k, v in request.headers.items()]
    head += [f"Content-Length: {len(body)}", "Connection: close"]
    wire = ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body
    with socket.create_connection((split.hostname, split.port), timeout=30) as sock:
        sock.sendall(wire)
        got = bytearray()
        while data := sock.recv(65536):
            got += data
    return bytes(got)


def _unchunk(data: bytes) -> tuple[bytes, bool]:
    """The body of a chunked message and whether it ended properly (partial chunks kept)."""
    out = bytearray()
    pos = 0
    while True:
        eol = data.find(b"\r\n", pos)
        if eol < 0:
            return bytes(out), False
        size = int(data[pos:eol].split(b";")[0], 16)
        start = eol + 2
        if size == 0:
            return bytes(out), True
        out += data[start : start + size]
        if start + size + 2 > len(data):
            return bytes(out), False
        pos = start + size + 2


def parse_exchange(raw: bytes) -> dict[str, Any]:
    """One recorded response: status, header block, body (base64), failure or None."""
    head, _, rest = raw.partition(b"\r\n\r\n")
    header_block = head.decode("latin-1") + "\r\n\r\n"
    lines = header_block.split("\r\n")
    status = int(lines[0].split(" ")[1])
    headers = {
        k.strip().lower(): v.strip() for k, _, v in (x.partition(":") for x in lines[1:] if x)
    }
    complete = True
    if "chunked" in headers.get("transfer-encoding", ""):
        body, complete = _unchunk(rest)
    else:
        length = int(headers.get("content-length", len(rest)))
        body, complete = rest[:length], len(rest) >= length
    return {
        "status": status,
        "headers": header_block,
        "body": base64.b64encode(body).decode("ascii"),
        # curl's words when a connection ends before the body it promised.
        "failure": None if complete else "transfer closed with outstanding read data remaining",
    }


def record(url: str) -> dict[str, dict[str, Any]]:
    """Every request of RECORDINGS sent to the emulator at ``url``, as recorded."""
    return {
        name: parse_exchange(_exchange(url, method, path, body, extra))
        for name, (method, path, body, extra) in RECORDINGS.items()
    }


def record_from_fresh_emulator() -> dict[str, dict[str, Any]]:
    """Start an emulator serving examples/functions.py plus the faulty functions; record."""
    import pawslocal

    with pawslocal.serve(
        functions=str(REPO / "examples" / "functions.py"), config=EMULATOR_CONFIG
    ) as url:
        return record(url)


def main(argv: list[str] | None = None) -> int:
    """Command line: write, check, or write and re-record."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when a file is stale")
    parser.add_argument("--record", action="store_true", help="re-record emulator responses")
    args = parser.parse_args(argv)
    if args.check:
        stale = stale_files()
        for name in stale:
            print(f"stale: {OUT.relative_to(REPO) / name}")
        if stale:
            print("run: python3 scripts/sync_r_test_data.py")
        return 1 if stale else 0
    write_derived()
    if args.record:
        (OUT / "recorded.json").write_bytes(_json(record_from_fresh_emulator()))
    return 0


if __name__ == "__main__":
    sys.exit(main())

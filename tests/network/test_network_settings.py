"""Network settings in both languages: proxies, CA bundles, read and connect timeouts.

Each test makes the same call from a fresh Python process and a fresh R process
(the generated pawslambda of each) against loopback servers, and asserts both reach
the same outcome: the same kind of error, the same host at the proxy, and for
timeouts an elapsed time within 20% of the setting (plus a small fixed slack for
process work, never for R startup: R measures the call itself).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .netservers import (
    Server,
    SlowAccept,
    Unreachable,
    call_config,
    not_found,
    proxy,
    run_python,
    run_r,
    scratch_env,
    self_signed,
    stall_before_headers,
    stall_mid_body,
    tls_context,
)

SLACK = 0.25  # seconds of fixed allowance on top of 20%


@pytest.fixture
def proxy_server() -> Iterator[Server]:
    server = Server(proxy)
    yield server
    server.close()


@pytest.fixture
def backend() -> Iterator[Server]:
    server = Server(not_found)
    yield server
    server.close()


def both(config: dict, env: dict) -> tuple[dict, dict]:
    return run_python(config, env), run_r(config, env)


def test_https_proxy_from_the_environment_sees_the_real_aws_host(
    tmp_path: Path, proxy_server: Server
) -> None:
    env = scratch_env(tmp_path, {"HTTPS_PROXY": proxy_server.url, "AWS_REGION": "us-west-2"})
    py, r = both(call_config(), env)
    assert py["kind"] == r["kind"] == "EndpointConnectionError"
    assert proxy_server.seen == ["lambda.us-west-2.amazonaws.com:443"] * 2


def test_https_proxy_carries_fips_and_partition_hosts(tmp_path: Path, proxy_server: Server) -> None:
    env = scratch_env(
        tmp_path,
        {"https_proxy": proxy_server.url, "AWS_USE_FIPS_ENDPOINT": "true"},
    )
    py, r = both(call_config(region="us-gov-west-1"), env)
    assert py["kind"] == r["kind"] == "EndpointConnectionError"
    assert proxy_server.seen == ["lambda-fips.us-gov-west-1.amazonaws.com:443"] * 2


def test_http_proxy_forwards_and_no_proxy_bypasses(
    tmp_path: Path, proxy_server: Server, backend: Server
) -> None:
    config = call_config(region="us-east-1", endpoint=backend.url)
    env = scratch_env(tmp_path, {"HTTP_PROXY": proxy_server.url})
    py, r = both(config, env)
    assert py["kind"] == r["kind"] == "ResourceNotFoundException"
    assert proxy_server.seen == [f"127.0.0.1:{backend.port}"] * 2
    assert backend.seen == []
    env = scratch_env(tmp_path, {"HTTP_PROXY": proxy_server.url, "NO_PROXY": "localhost,127.0.0.1"})
    py, r = both(config, env)
    assert py["kind"] == r["kind"] == "ResourceNotFoundException"
    assert len(proxy_server.seen) == 2  # nothing more went through the proxy
    assert len(backend.seen) == 2


def test_proxy_config_key(tmp_path: Path, proxy_server: Server, backend: Server) -> None:
    config = call_config(region="us-east-1", endpoint=backend.url, proxy=proxy_server.url)
    py, r = both(config, scratch_env(tmp_path, {"NO_PROXY": "127.0.0.1"}))
    assert py["kind"] == r["kind"] == "ResourceNotFoundException"
    assert proxy_server.seen == [f"127.0.0.1:{backend.port}"] * 2


def test_ca_bundle_from_environment_and_profile(tmp_path: Path) -> None:
    cert, key = self_signed(tmp_path)
    server = Server(not_found, tls=tls_context(cert, key))
    try:
        config = call_config(region="us-east-1", endpoint=server.url)
        py, r = both(config, scratch_env(tmp_path))
        assert py["kind"] == r["kind"] == "EndpointConnectionError"  # not trusted
        assert server.seen == []
        py, r = both(config, scratch_env(tmp_path, {"AWS_CA_BUNDLE": str(cert)}))
        assert py["kind"] == r["kind"] == "ResourceNotFoundException"
        (tmp_path / ".aws" / "config").write_text(f"[default]\nca_bundle = {cert}\n")
        py, r = both(config, scratch_env(tmp_path))
        assert py["kind"] == r["kind"] == "ResourceNotFoundException"
        assert len(server.seen) == 4
    finally:
        server.close()


@pytest.mark.parametrize("stall", [stall_before_headers, stall_mid_body], ids=["headers", "body"])
def test_read_timeout_is_an_idle_timeout(tmp_path: Path, stall) -> None:
    server = Server(stall)
    timeout = 1.5
    try:
        config = call_config(region="us-east-1", endpoint=server.url, read_timeout=timeout)
        py, r = both(config, scratch_env(tmp_path))
    finally:
        server.close()
    for out in (py, r):
        assert out["kind"] == "ReadTimeoutError", out
        assert 0.8 * timeout <= out["elapsed"] <= 1.2 * timeout + SLACK, out


def test_connect_timeout(tmp_path: Path) -> None:
    target = Unreachable()
    timeout = 1.0
    try:
        config = call_config(region="us-east-1", endpoint=target.url, connect_timeout=timeout)
        py, r = both(config, scratch_env(tmp_path))
    finally:
        target.close()
    for out in (py, r):
        assert out["kind"] == "ConnectTimeoutError", out
        assert 0.8 * timeout <= out["elapsed"] <= 1.2 * timeout + SLACK, out


def test_read_timeout_does_not_count_the_connection(tmp_path: Path) -> None:
    # The accept queue stays full for 2.5 s: the client's SYNs are dropped and sent
    # again (after 1 s, then 2 s more), so connecting takes seconds. The read timeout
    # is shorter, but it only starts once the request is sent.
    outcomes = []
    for run in (run_python, run_r):
        server = SlowAccept(not_found, delay=2.5)
        try:
            config = call_config(
                region="us-east-1", endpoint=server.url, read_timeout=1.0, connect_timeout=8
            )
            outcomes.append(run(config, scratch_env(tmp_path)))
        finally:
            server.close()
    for out in outcomes:
        assert out["kind"] == "ResourceNotFoundException", out
        assert out["elapsed"] > 1.0, out  # the connection did take longer than read_timeout


def test_connect_timeout_to_the_proxy(tmp_path: Path) -> None:
    """A proxy that does not accept is a connect timeout too, not a generic failure."""
    proxy = Unreachable()
    timeout = 1.0
    try:
        config = call_config(
            region="us-east-1", proxy={"http": proxy.url}, connect_timeout=timeout, max_attempts=1
        )
        config["endpoint"] = "http://lambda.us-east-1.amazonaws.com"
        py, r = both(config, scratch_env(tmp_path))
    finally:
        proxy.close()
    for out in (py, r):
        assert out["kind"] == "ConnectTimeoutError", out
        assert 0.8 * timeout <= out["elapsed"] <= 1.2 * timeout + SLACK, out

"""Config and functions loading: accepted shapes and clear errors."""

from __future__ import annotations

import types
from pathlib import Path
from typing import Any

import pawslocal
import pytest
from local_helpers import CONFIG, FUNCTIONS, boto_client
from pawslocal.config import ConfigError, load_config
from pawslocal.functions import FunctionLoadError, Registry, load_handlers


def test_example_config_loads() -> None:
    cfg = load_config(CONFIG)
    hello = cfg.functions["hello"]
    assert hello.versions == {"1": "hello", "2": "version_two"}
    assert hello.aliases == {"live": "1", "beta": "2"}
    assert hello.memory_mb == 256
    assert cfg.functions["slow"].timeout_s == 1.0
    assert cfg.functions["stream-cut"].handler == "chunks"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"bogus": 1}, "unknown key"),
        ({"server": {"account": "12"}}, "12 digits"),
        ({"functions": {"f": {"aliases": {"a": "9"}}}}, "unknown version"),
        ({"functions": {"f": {"versions": ["x"]}}}, "not a number"),
        ({"functions": {"f": {"timeout": 0}}}, "positive"),
        ({"functions": {"f": {"colour": "red"}}}, "unknown key"),
        ({"credentials": {"access_key_id": "A"}}, "secret_access_key"),
        ({"functions": "nope"}, "must be a table"),
        ({"server": {"port": "x"}}, "invalid literal"),
        ({"functions": {"f": {"timeout": "soon"}}}, "could not convert"),
    ],
)
def test_bad_config_is_rejected(data: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_config(data)


def test_bad_toml_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("[server\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(path)


def test_config_handler_must_exist() -> None:
    with pytest.raises(FunctionLoadError, match="handler 'missing'"):
        Registry(
            load_handlers(FUNCTIONS), load_config({"functions": {"x": {"handler": "missing"}}})
        )


def test_functions_from_module_skip_imports_and_private_names() -> None:
    module = types.ModuleType("fake_functions")
    exec(
        "from os.path import join\ndef _private(e, c): return 1\ndef public(e, c): return 2\n",
        module.__dict__,
    )
    assert list(load_handlers(module)) == ["public"]


def test_functions_file_exports_every_demo_function() -> None:
    names = set(load_handlers(FUNCTIONS))
    assert {
        "hello",
        "stream",
        "echo",
        "chunks",
        "bytes256",
        "utf8",
        "big",
        "fail",
        "fail_midstream",
        "slow",
        "logs",
    } <= names


def test_bad_functions_inputs(tmp_path: Path) -> None:
    with pytest.raises(FunctionLoadError, match="not found"):
        load_handlers(tmp_path / "none.py")
    broken = tmp_path / "broken.py"
    broken.write_text("raise RuntimeError('at import')\n")
    with pytest.raises(FunctionLoadError, match="at import"):
        load_handlers(broken)
    with pytest.raises(FunctionLoadError, match="not callable"):
        load_handlers({"x": 42})  # type: ignore[dict-item]
    with pytest.raises(FunctionLoadError, match="not a valid Lambda name"):
        load_handlers({"bad name": lambda e, c: 1})


def test_config_as_dict_with_custom_account() -> None:
    config = {"server": {"account": "111122223333"}}
    with pawslocal.serve(
        functions={"f": lambda e, c: c.invoked_function_arn}, config=config
    ) as base:
        body = boto_client(base).invoke(FunctionName="f")["Payload"].read()
    assert body == b"arn:aws:lambda:us-east-1:111122223333:function:f"


def test_serve_binds_loopback_on_a_free_port() -> None:
    with (
        pawslocal.serve(functions={"f": lambda e, c: 1}) as a,
        pawslocal.serve(functions={"f": lambda e, c: 2}) as b,
    ):
        assert a.startswith("http://127.0.0.1:") and b.startswith("http://127.0.0.1:")
        assert a != b
        assert boto_client(a).invoke(FunctionName="f")["Payload"].read() == b"1"
        assert boto_client(b).invoke(FunctionName="f")["Payload"].read() == b"2"


def test_functions_file_can_import_its_neighbours(tmp_path: Path) -> None:
    (tmp_path / "shared_helper_for_pawslocal.py").write_text("GREETING = 'hi from a neighbour'\n")
    (tmp_path / "fns.py").write_text(
        "import shared_helper_for_pawslocal\n"
        "def greet(event, context):\n"
        "    return shared_helper_for_pawslocal.GREETING\n"
    )
    with pawslocal.serve(functions=tmp_path / "fns.py") as base:
        assert boto_client(base).invoke(FunctionName="greet")["Payload"].read() == (
            b"hi from a neighbour"
        )

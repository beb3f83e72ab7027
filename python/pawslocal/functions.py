"""Load handler functions and resolve Lambda function names, ARNs and qualifiers."""

from __future__ import annotations

import importlib.util
import inspect
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from .config import Config, FunctionConfig

Handler = Callable[[Any, Any], Any]

# Same grammar as the model's NamespacedFunctionName pattern, with named groups.
_NAME_RE = re.compile(
    r"^(?:arn:(?P<partition>aws[a-zA-Z-]*)?:lambda:)?"
    r"(?:(?P<region>[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d):)?"
    r"(?:(?P<account>\d{12}):)?"
    r"(?P<function>function:)?"
    r"(?P<name>[a-zA-Z0-9\-_.]+)"
    r"(?::(?P<qualifier>\$LATEST|[a-zA-Z0-9\-_]+))?$"
)


class FunctionLoadError(ValueError):
    """The functions file or module could not be loaded."""


class ResolveError(Exception):
    """A function reference did not resolve; carries the Lambda error to send."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Target:
    """What one invocation runs: function settings, the executed version and its code."""

    function: FunctionConfig
    version: str
    handler: Handler
    function_arn: str
    invoked_arn: str


def load_handlers(source: str | Path | ModuleType | Mapping[str, Handler]) -> dict[str, Handler]:
    """Turn a .py path, a module or a name->callable mapping into a handler table."""
    if isinstance(source, Mapping):
        table = dict(source)
    elif isinstance(source, ModuleType):
        table = _module_handlers(source)
    elif isinstance(source, (str, Path)):
        table = _module_handlers(_import_path(Path(source)))
    else:
        raise FunctionLoadError(
            f"functions must be a .py path, a module or a dict, not {type(source).__name__}"
        )
    for name, fn in table.items():
        if not callable(fn):
            raise FunctionLoadError(f"function {name!r} is not callable")
        if not _NAME_RE.match(name) or ":" in name:
            raise FunctionLoadError(f"function name {name!r} is not a valid Lambda name")
    return table


def _import_path(path: Path) -> ModuleType:
    if not path.is_file():
        raise FunctionLoadError(f"functions file not found: {path}")
    # Like /var/task on Lambda: modules next to the functions file are importable.
    folder = str(path.resolve().parent)
    if folder not in sys.path:
        sys.path.append(folder)
    mod_name = f"pawslocal_functions_{abs(hash(str(path.resolve())))}"
    spec = importlib.util.spec_from_file_location(mod_name, path)
    if spec is None or spec.loader is None:
        raise FunctionLoadError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[mod_name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as e:
        del sys.modules[mod_name]
        raise FunctionLoadError(f"importing {path} failed: {type(e).__name__}: {e}") from e
    return module


def _module_handlers(module: ModuleType) -> dict[str, Handler]:
    # Only plain functions defined in the module itself, so imports are not served.
    return {
        name: obj
        for name, obj in vars(module).items()
        if not name.startswith("_")
        and inspect.isfunction(obj)
        and obj.__module__ == module.__name__
    }


class Registry:
    """The functions the emulator serves, with their versions and aliases."""

    def __init__(self, handlers: Mapping[str, Handler], config: Config) -> None:
        self._handlers = dict(handlers)
        self._config = config
        self.functions: dict[str, FunctionConfig] = {
            name: FunctionConfig(name=name, handler=name) for name in self._handlers
        }
        for name, fc in config.functions.items():
            for handler in {fc.handler, *fc.versions.values()}:
                if handler not in self._handlers:
                    raise FunctionLoadError(
                        f"config function {name!r} uses handler {handler!r}, "
                        "which the functions file does not define"
                    )
            self.functions[name] = fc

    def arn(self, region: str, name: str) -> str:
        """The unqualified ARN of a function."""
        return f"arn:aws:lambda:{region}:{self._config.account}:function:{name}"

    def resolve(self, reference: str, qualifier: str | None, region: str) -> Target:
        """Resolve a FunctionName (name, partial or full ARN) plus optional Qualifier."""
        m = _NAME_RE.match(reference)
        if not m or len(reference) > 256:
            raise ResolveError(
                400,
                "ValidationException",
                f"1 validation error detected: Value '{reference}' at 'functionName' failed "
                "to satisfy constraint: Member must satisfy regular expression pattern: "
                + _NAME_RE.pattern,
            )
        name = m["name"]
        arn_qualifier = m["qualifier"]
        if arn_qualifier and qualifier and arn_qualifier != qualifier:
            raise ResolveError(
                400,
                "InvalidParameterValueException",
                "The derived qualifier from the function name does not match the specified "
                "qualifier.",
            )
        qualifier = qualifier or arn_qualifier
        # A function lives in the region the request is signed for; an ARN naming
        # another region or account is another function, which we do not have.
        foreign = (m["region"] and m["region"] != region) or (
            m["account"] and m["account"] != self._config.account
        )
        shown = self.arn(m["region"] or region, name) + (f":{qualifier}" if qualifier else "")
        fc = self.functions.get(name)
        if fc is None or foreign:
            raise ResolveError(404, "ResourceNotFoundException", f"Function not found: {shown}")
        version = self._version(fc, qualifier)
        if version is None:
            raise ResolveError(404, "ResourceNotFoundException", f"Function not found: {shown}")
        handler_name = fc.handler if version == "$LATEST" else fc.versions[version]
        return Target(
            function=fc,
            version=version,
            handler=self._handlers[handler_name],
            function_arn=self.arn(region, name),
            invoked_arn=shown,
        )

    @staticmethod
    def _version(fc: FunctionConfig, qualifier: str | None) -> str | None:
        if qualifier in (None, "$LATEST"):
            return "$LATEST"
        assert qualifier is not None
        if qualifier in fc.versions:
            return qualifier
        if qualifier in fc.aliases:
            return fc.aliases[qualifier]
        return None

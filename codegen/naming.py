"""Every name the generator writes: snake_case operations, escaped arguments, collisions.

Naming lives here alone so that Python and R agree on it and a change is made once.
"""

from __future__ import annotations

import builtins
import keyword
import re
from collections.abc import Iterable

import botocore

# R's reserved words (?Reserved) plus names whose use as an argument would break a call.
R_RESERVED = frozenset(
    {
        "if",
        "else",
        "repeat",
        "while",
        "function",
        "for",
        "next",
        "break",
        "in",
        "TRUE",
        "FALSE",
        "NULL",
        "Inf",
        "NaN",
        "NA",
        "NA_integer_",
        "NA_real_",
        "NA_character_",
        "NA_complex_",
    }
)

# Names the generated Python method uses itself; a member with one of these names is renamed.
PY_TAKEN = frozenset({"self", "on_event", "stream"})
# Names the generated R function uses itself.
R_TAKEN = frozenset({".on_event", ".stream"})

_R_SYNTACTIC = re.compile(r"^((([A-Za-z]|[.][._A-Za-z])[._A-Za-z0-9]*)|[.])$")


class NameCollisionError(ValueError):
    """Two model names map to the same generated name."""


def snake_case(name: str) -> str:
    """botocore's snake_case of an operation name (``GetFunctionURLConfig`` -> ``get_function_url_config``)."""
    return botocore.xform_name(name)


def service_function(prefix: str, op_name: str) -> str:
    """Exported function name for an operation, e.g. ``lambda_invoke``."""
    return f"{prefix}_{snake_case(op_name)}"


def python_arg(member: str) -> str:
    """A Python parameter name for a model member: the member name unless it is reserved."""
    if keyword.iskeyword(member) or keyword.issoftkeyword(member) or member in PY_TAKEN:
        return f"{member}_"
    if not member.isidentifier():
        return re.sub(r"\W", "_", member) + "_"
    return member


def r_arg(member: str) -> str:
    """An R argument name for a model member: the member name unless it is reserved."""
    if member in R_RESERVED or member in R_TAKEN:
        return f"{member}_"
    if not _R_SYNTACTIC.match(member):
        return re.sub(r"[^._A-Za-z0-9]", "_", member) + "_"
    return member


def r_name(name: str) -> str:
    """``name`` as written on the left of ``=`` in an R call: backquoted when not syntactic."""
    if _R_SYNTACTIC.match(name) and name not in R_RESERVED:
        return name
    return "`" + name.replace("\\", "\\\\").replace("`", "\\`") + "`"


# Names the generated modules import or define next to the shape classes.
PY_MODULE_NAMES = frozenset(
    {
        "API",
        "ERRORS",
        "Any",
        "Callable",
        "IO",
        "Iterable",
        "Required",
        "TYPE_CHECKING",
        "TypedDict",
        "datetime",
        "pawscore",
        "sys",
        "client",
    }
)


_BUILTINS = frozenset(dir(builtins))


def python_class(name: str) -> str:
    """A Python class name for a model shape (error classes, TypedDicts).

    Keywords, non-identifiers, the generated modules' own names and Python builtins
    (a shape named ``bool`` or ``list`` must not shadow the builtin) get a ``_`` suffix.
    """
    if (
        keyword.iskeyword(name)
        or not name.isidentifier()
        or name in PY_MODULE_NAMES
        or name in _BUILTINS
    ):
        return re.sub(r"\W", "_", name) + "_"
    return name


def squash(text: str) -> str:
    """Lower-case letters and digits only: ``Pet Store`` -> ``petstore``."""
    return "".join(ch for ch in text.lower() if ch.isalnum())


def service_prefix(
    service_id: str, botocore_name: str | None = None, botocore_names: Iterable[str] = ()
) -> str:
    """The function-name prefix of a service, which also names its packages (``paws<prefix>``).

    The rule: the squashed ``serviceId`` (``Lambda`` -> ``lambda``, ``Bedrock Runtime`` ->
    ``bedrockruntime``, as paws names them). Two botocore services can share a
    ``serviceId`` (``pinpoint-sms-voice`` and ``sms-voice`` are both ``Pinpoint SMS
    Voice``); the one whose botocore name squashes to the shared prefix keeps it and any
    other takes its own squashed botocore name (``sms-voice`` -> ``smsvoice``). Botocore
    names are unique folder names, so the result is unique and does not depend on the
    order services are generated in.
    """
    prefix = squash(service_id)
    if botocore_name is not None:
        own = squash(botocore_name)
        if own != prefix and any(
            squash(other) == prefix for other in botocore_names if other != botocore_name
        ):
            return own
    return prefix


def package_name(prefix: str) -> str:
    """The package name of a service in both languages: ``pawslambda``."""
    return f"paws{prefix}"


def client_class(service_id: str) -> str:
    """The generated Python client class: ``Lambda`` -> ``LambdaClient``."""
    return python_class(re.sub(r"\W", "", service_id) + "Client")


def r_api_name(prefix: str) -> str:
    """The R object holding the API data: ``.lambda_api``."""
    return f".{prefix}_api"


def r_operations_name(prefix: str) -> str:
    """The R list of operation functions ``new_service`` binds: ``.lambda_operations``."""
    return f".{prefix}_operations"


def check_unique(what: str, pairs: Iterable[tuple[str, str]]) -> None:
    """Raise :class:`NameCollisionError` when two sources map to one generated name.

    ``pairs`` holds ``(source name, generated name)``.
    """
    seen: dict[str, str] = {}
    for source, generated in pairs:
        other = seen.get(generated)
        if other is not None and other != source:
            raise NameCollisionError(f"{what}: {other!r} and {source!r} both become {generated!r}")
        seen[generated] = source

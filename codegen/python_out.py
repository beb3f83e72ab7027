"""Prepare and render the generated Python package (docs/contracts.md, section 2)."""

from __future__ import annotations

import keyword
from dataclasses import dataclass

from . import docs
from .ir import Member, Operation, Service, Shape
from .literals import py_literal
from .naming import python_class
from .render import header, render, ruff_format
from .syntax import py_value_syntax

_SCALARS = {
    "string": "str",
    "integer": "int",
    "long": "int",
    "float": "float",
    "double": "float",
    "boolean": "bool",
    "timestamp": "datetime",
    "blob": "bytes",
}
_INPUT_SCALARS = {**_SCALARS, "timestamp": "datetime | str", "blob": "bytes | str | IO[bytes]"}

_WIDTH = 88


def py_type(service: Service, name: str, *, for_input: bool = False) -> str:
    """The annotation for a value of shape ``name`` (TypedDict names for structures)."""
    shape = service.shape(name)
    if shape.type in _SCALARS:
        return (_INPUT_SCALARS if for_input else _SCALARS)[shape.type]
    if shape.type == "list" and shape.member:
        return f"list[{py_type(service, shape.member)}]"
    if shape.type == "map" and shape.key and shape.value:
        return f"dict[{py_type(service, shape.key)}, {py_type(service, shape.value)}]"
    if shape.type == "structure" and not shape.document and not shape.exception:
        if shape.event_stream:
            return f"Iterable[{python_class(shape.name)}]"
        return python_class(shape.name)
    return "Any"


def _docstring(text: str) -> str:
    """Text made safe inside a triple-quoted docstring."""
    return text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"').rstrip('"')


@dataclass(frozen=True)
class Param:
    """One argument of a generated method."""

    arg: str
    member: str
    annotation: str
    required: bool


@dataclass(frozen=True)
class Method:
    """Everything the client and module templates print for one operation."""

    name: str
    function: str
    op_name: str
    params: tuple[Param, ...]
    signature: str
    function_signature: str
    call_args: str
    params_dict: str
    returns: str
    docstring: str
    summary: str
    event_stream: bool


def _signature(params: tuple[Param, ...], event_stream: bool, self_arg: bool) -> str:
    parts = ["self"] if self_arg else []
    seen_optional = False
    star = False
    for p in params:
        if p.required and seen_optional and not star:
            parts.append("*")
            star = True
        if p.required:
            parts.append(f"{p.arg}: {p.annotation}")
        else:
            seen_optional = True
            parts.append(f"{p.arg}: {p.annotation} | None = None")
    if event_stream:
        if not star:
            parts.append("*")
        parts.append("on_event: Callable[[dict[str, Any]], Any] | None = None")
        parts.append("stream: bool = False")
    return ", ".join(parts)


def _method(service: Service, op: Operation) -> Method:
    params = tuple(
        Param(m.py_arg, m.name, py_type(service, m.shape, for_input=True), m.required)
        for m in op.params
    )
    returns = python_class(op.output) if op.output else "dict[str, Any]"
    kwargs = [f"{p.arg}={p.arg}" for p in params]
    if op.event_stream_output:
        kwargs += ["on_event=on_event", "stream=stream"]
    # The runtime gets the parameters in model order, whatever the argument order.
    params_dict = "{" + ", ".join(f'"{m.name}": {m.py_arg}' for m in op.members) + "}"
    return Method(
        name=op.snake,
        function=op.function,
        op_name=op.name,
        params=params,
        signature=_signature(params, op.event_stream_output, True),
        function_signature=_signature(params, op.event_stream_output, False),
        call_args=", ".join(kwargs),
        params_dict=params_dict,
        returns=returns,
        docstring=_docstring(_method_doc(service, op)),
        summary=_docstring(_summary(op)),
        event_stream=op.event_stream_output,
    )


def _summary(op: Operation) -> str:
    title = docs.first_sentence(op.docs).translate(docs._ASCII)
    return f"{title}." if title else f"Call {op.name}."


def _method_doc(service: Service, op: Operation) -> str:
    lines = [_summary(op), ""]
    body = docs.to_text(op.docs, _WIDTH)
    if body:
        lines += [body, ""]
    if op.params or op.event_stream_output:
        lines.append("Args:")
        for m in op.params:
            lines.extend(_arg_doc(m))
        if op.event_stream_output:
            lines.append("    on_event: Called with each event as it is decoded; the result's")
            lines.append("        event list holds its return values.")
            lines.append("    stream: Return at once with a lazy, closeable iterator of events.")
        lines.append("")
    lines.append("Returns:")
    if op.output and service.shape(op.output).members:
        lines.append("    A dict with the following structure::")
        lines.append("")
        lines.extend("        " + line for line in py_value_syntax(service, op.output).splitlines())
    else:
        lines.append("    An empty dict.")
    lines.append("")
    lines.append("Raises:")
    for name in op.errors:
        summary = docs.first_sentence(service.shape(name).docs).translate(docs._ASCII)
        lines.append(f"    {name}: {summary or 'modeled service error'}.".replace("..", "."))
    lines.append("    pawscore.ParamValidationError: the parameters are invalid; nothing was sent.")
    return "\n".join(lines)


def _arg_doc(member: Member) -> list[str]:
    text = docs.to_text(member.docs, _WIDTH, "        ").lstrip() or f"A {member.type} value."
    marker = "[required] " if member.required else ""
    first, *rest = (marker + text).splitlines() or [""]
    return [f"    {member.py_arg}: {first}".rstrip(), *rest]


@dataclass(frozen=True)
class TypedDictClass:
    """One TypedDict in types.py."""

    name: str
    doc: str
    fields: tuple[tuple[str, str], ...]
    functional: bool


def _typed_dict(service: Service, shape: Shape) -> TypedDictClass:
    fields = []
    for m in shape.members:
        annotation = py_type(service, m.shape)
        fields.append((m.name, f"Required[{annotation}]" if m.required else annotation))
    functional = any(keyword.iskeyword(n) or not n.isidentifier() for n, _ in fields)
    doc = docs.first_sentence(shape.docs).translate(docs._ASCII)
    return TypedDictClass(
        name=python_class(shape.name),
        doc=_docstring(f"{doc}." if doc else f"The {shape.name} structure."),
        fields=tuple(fields),
        functional=functional,
    )


def render_python(service: Service) -> dict[str, str]:
    """All files of the generated Python package, keyed by file name, formatted."""
    stamp = header(service.model_file, service.checksum)
    methods = [_method(service, op) for op in service.operations]
    structures = [
        _typed_dict(service, s)
        for s in service.shapes.values()
        if s.type == "structure" and not s.exception and not s.document
    ]
    errors = [
        (python_class(s.name), s.error_code, _docstring(_error_doc(s)))
        for s in service.shapes.values()
        if s.exception
    ]
    used_types = sorted(
        {m.returns for m in methods if m.returns != "dict[str, Any]"}
        | {name for m in methods for p in m.params for name in _type_names(p.annotation, service)}
    )
    client_class = f"{service.service_id.replace(' ', '')}Client"
    common = {
        "header": stamp,
        "service": service,
        "client_class": client_class,
        "methods": methods,
        "exported": sorted(["ERRORS", client_class, "client", *(m.function for m in methods)]),
        "used_types": used_types,
    }
    files = {
        "_api.py": render("python/api.py.j2", header=stamp, literal=py_literal(service.api)),
        "errors.py": render("python/errors.py.j2", header=stamp, errors=errors, service=service),
        "types.py": render(
            "python/types.py.j2", header=stamp, structures=structures, service=service
        ),
        "client.py": render("python/client.py.j2", **common),
        "__init__.py": render(
            "python/init.py.j2", **common, package_doc=_docstring(_package_doc(service))
        ),
    }
    out = {name: ruff_format(text, name) for name, text in files.items()}
    out["py.typed"] = stamp
    return out


def _type_names(annotation: str, service: Service) -> set[str]:
    words = annotation.replace("[", " ").replace("]", " ").replace(",", " ").replace("|", " ")
    names = {python_class(n) for n in service.shapes}
    return {w for w in words.split() if w in names}


def _error_doc(shape: Shape) -> str:
    title = docs.first_sentence(shape.docs).translate(docs._ASCII)
    return f"{title}." if title else f"The service returned {shape.error_code}."


def _package_doc(service: Service) -> str:
    text = docs.to_text(service.docs, _WIDTH)
    return f"{service.full_name} client generated by pawsgen.\n\n{text}".rstrip()

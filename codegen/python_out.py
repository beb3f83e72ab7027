"""Prepare and render the generated Python package (docs/contracts.md, section 2)."""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass

from . import docs, streamdocs
from .ir import Member, Operation, Service, Shape
from .literals import py_literal
from .naming import python_class
from .render import header, render, ruff_format_all


@dataclass(frozen=True)
class PyType:
    """A Python annotation and the imports it needs, as ``(module, name)`` pairs.

    Composite annotations are built from parts (:func:`_generic`), so the imports of a
    generated module are the union of its annotations' imports; nothing is re-parsed.
    """

    text: str
    imports: frozenset[tuple[str, str]] = frozenset()

    def __str__(self) -> str:
        return self.text


def _generic(outer: str, *args: PyType, module: str | None = None) -> PyType:
    imports = frozenset().union(*(a.imports for a in args))
    if module is not None:
        imports |= {(module, outer)}
    return PyType(f"{outer}[{', '.join(a.text for a in args)}]", imports)


_ANY = PyType("Any", frozenset({("typing", "Any")}))
_DATETIME = PyType("datetime", frozenset({("datetime", "datetime")}))
_SCALARS = {
    "string": PyType("str"),
    "integer": PyType("int"),
    "long": PyType("int"),
    "float": PyType("float"),
    "double": PyType("float"),
    "boolean": PyType("bool"),
    "timestamp": _DATETIME,
    "blob": PyType("bytes"),
}
_INPUT_SCALARS = {
    **_SCALARS,
    "timestamp": PyType("datetime | str", _DATETIME.imports),
    "blob": PyType("bytes | str | IO[bytes]", frozenset({("typing", "IO")})),
}
_DICT_ANY = _generic("dict", PyType("str"), _ANY)
TYPES_MODULE = ".types"

_WIDTH = 88


def py_type(service: Service, name: str, *, for_input: bool = False) -> PyType:
    """The annotation of a value of shape ``name`` (TypedDict names for structures)."""
    shape = service.shape(name)
    if shape.type in _SCALARS:
        return (_INPUT_SCALARS if for_input else _SCALARS)[shape.type]
    if shape.type == "list" and shape.member:
        return _generic("list", py_type(service, shape.member.shape))
    if shape.type == "map" and shape.key and shape.value:
        return _generic(
            "dict", py_type(service, shape.key.shape), py_type(service, shape.value.shape)
        )
    if shape.type == "structure" and not shape.document and not shape.exception:
        cls = PyType(
            python_class(shape.name), frozenset({(TYPES_MODULE, python_class(shape.name))})
        )
        if shape.event_stream:
            return _generic("Iterable", cls, module="collections.abc")
        return cls
    return _ANY


def _docstring(text: str) -> str:
    """Text made safe inside a triple-quoted docstring."""
    return text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"').rstrip('"')


@dataclass(frozen=True)
class Param:
    """One argument of a generated method."""

    arg: str
    member: str
    annotation: PyType
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
    params_dict: tuple[tuple[str, str], ...]
    returns: PyType
    docstring: str
    summary: str
    event_stream: bool

    @property
    def imports(self) -> frozenset[tuple[str, str]]:
        """What the method's annotations need imported."""
        out = self.returns.imports.union(*(p.annotation.imports for p in self.params))
        if self.event_stream:
            out |= {("collections.abc", "Callable"), ("typing", "Any")}
        return out


_EVENT_ARGS = ("on_event: Callable[[dict[str, Any]], Any] | None = None", "stream: bool = False")


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
        parts.extend(_EVENT_ARGS)
    return ", ".join(parts)


def _method(service: Service, op: Operation) -> Method:
    params = tuple(
        Param(m.py_arg, m.name, py_type(service, m.shape, for_input=True), m.required)
        for m in op.params
    )
    returns = py_type(service, op.output) if op.output else _DICT_ANY
    kwargs = [f"{p.arg}={p.arg}" for p in params]
    if op.event_stream_output:
        kwargs += ["on_event=on_event", "stream=stream"]
    return Method(
        name=op.snake,
        function=op.function,
        op_name=op.name,
        params=params,
        signature=_signature(params, op.event_stream_output, True),
        function_signature=_signature(params, op.event_stream_output, False),
        call_args=", ".join(kwargs),
        # The runtime gets the parameters in model order, whatever the argument order.
        params_dict=tuple((m.name, m.py_arg) for m in op.members),
        returns=returns,
        docstring=_docstring(_method_doc(service, op)),
        summary=_docstring("\n".join(docs.wrap_text(_summary(op), _WIDTH))),
        event_stream=op.event_stream_output,
    )


def _summary(op: Operation) -> str:
    title = docs.first_sentence(op.docs).translate(docs.ASCII)
    prefix = "[Deprecated] " if op.deprecated else ""
    return f"{prefix}{title}." if title else f"{prefix}Call {op.name}."


def _deprecation(message: str, what: str) -> str:
    text = docs.plain_text(message) if message else f"AWS has deprecated this {what}."
    return f"Deprecated: {text}"


def _method_doc(service: Service, op: Operation) -> str:
    lines = [*docs.wrap_text(_summary(op), _WIDTH), ""]
    if op.deprecated:
        lines += docs.wrap_text(_deprecation(op.deprecated_message, "operation"), _WIDTH)
        lines.append("")
    body = docs.to_text(op.docs, _WIDTH)
    if body:
        lines += [body, ""]
    if op.params or op.event_stream_output:
        lines.append("Args:")
        for m in op.params:
            lines.extend(_arg_doc(service, m))
        if op.event_stream_output:
            lines.append("    on_event: Called with each event as it is decoded; the result's")
            lines.append("        event list holds its return values.")
            lines.append("    stream: Return at once with a lazy, closeable iterator of events.")
        lines.append("")
    lines.append("Returns:")
    if op.output and service.shape(op.output).members:
        cls = python_class(op.output)
        lines += docs.wrap_text(
            f"{cls}: a dict of the output members present in the response (the TypedDict "
            f"``{service.package}.types.{cls}`` lists them).",
            _WIDTH,
            "    ",
            "        ",
        )
    else:
        lines.append("    An empty dict.")
    info = streamdocs.stream_info(service, op)
    if info is not None:
        lines += ["", docs.to_text(streamdocs.value_note_html(info, "python"), _WIDTH, "        ")]
    lines.append("")
    lines.append("Raises:")
    for name in op.errors:
        summary = docs.first_sentence(service.shape(name).docs).translate(docs.ASCII)
        text = f"{python_class(name)}: {summary or 'modeled service error'}.".replace("..", ".")
        lines += docs.wrap_text(text, _WIDTH, "    ", "        ")
    lines.append("    pawscore.ParamValidationError: the parameters are invalid; nothing was sent.")
    if op.extra_docs.notes:
        lines += ["", "Note:", docs.to_text(op.extra_docs.notes, _WIDTH, "    ")]
    examples = streamdocs.python_examples(service, op)
    if examples:
        lines += ["", "Examples:"]
        lines += [f"    {line}" if line else "" for line in examples.splitlines()]
    return "\n".join(lines)


def _arg_doc(service: Service, member: Member) -> list[str]:
    marker = "[required] " if member.required else ""
    if member.deprecated:
        marker += "[deprecated] "
    lead = f"    {member.py_arg}: {marker}"
    blob = member.type == "blob"
    text = docs.to_text(member.docs, _WIDTH, "        ", lead, blob=blob)
    if text.strip() == lead.strip():
        text = f"{lead}A {member.type} value." if not blob else ""
    out = text.splitlines()
    if blob:  # what the argument takes, in Python terms
        note = docs.wrap_text(streamdocs.blob_input_note("python"), _WIDTH, "        ")
        out = [*out, "", *note] if out else [lead + note[0].strip(), *note[1:]]
    enum = service.shape(member.shape).enum
    if enum:
        values = ", ".join(f"``{v}``" for v in enum)
        if "" in out:  # several paragraphs: the values are one more
            out.append("")
        out += docs.wrap_text(f"One of {values}.", _WIDTH, "        ", "        ")
    if member.deprecated and member.deprecated_message:
        out += docs.wrap_text(
            _deprecation(member.deprecated_message, "member"), _WIDTH, "        ", "        "
        )
    return out


@dataclass(frozen=True)
class TypedDictClass:
    """One TypedDict in types.py."""

    name: str
    doc: str
    fields: tuple[tuple[str, str], ...]
    functional: bool
    imports: frozenset[tuple[str, str]]


def _typed_dict(service: Service, shape: Shape) -> TypedDictClass:
    fields = []
    imports: set[tuple[str, str]] = set()
    for m in shape.members:
        annotation = py_type(service, m.shape)
        imports |= annotation.imports
        text = annotation.text
        if m.required:
            text = f"Required[{text}]"
            imports.add(("typing", "Required"))
        fields.append((m.name, text))
    functional = any(keyword.iskeyword(n) or not n.isidentifier() for n, _ in fields)
    doc = docs.first_sentence(shape.docs).translate(docs.ASCII)
    deprecated = [m.name for m in shape.members if m.deprecated]
    lines = docs.wrap_text(f"{doc}." if doc else f"The {shape.name} structure.", _WIDTH)
    if deprecated:
        names = ", ".join(f"``{n}``" for n in deprecated)
        lines += ["", *docs.wrap_text(f"Deprecated members: {names}.", _WIDTH)]
    return TypedDictClass(
        name=python_class(shape.name),
        doc=_docstring("\n".join(lines)),
        fields=tuple(fields),
        functional=functional,
        imports=frozenset(imports),
    )


def _import_lines(imports: frozenset[tuple[str, str]] | set[tuple[str, str]]) -> list[str]:
    """``from module import a, b`` lines, one per module (ruff sorts and wraps them)."""
    by_module: dict[str, set[str]] = {}
    for module, name in imports:
        by_module.setdefault(module, set()).add(name)
    return [
        f"from {module} import {', '.join(sorted(names))}"
        for module, names in sorted(by_module.items())
    ]


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
        (
            python_class(s.name),
            s.error_code,
            _docstring("\n".join(docs.wrap_text(_error_doc(s), _WIDTH))),
        )
        for s in service.shapes.values()
        if s.exception
    ]
    method_imports = frozenset().union(*(m.imports for m in methods))
    types_imports = frozenset().union(*(s.imports for s in structures))
    client_class = service.client_class
    common = {
        "header": stamp,
        "service": service,
        "client_class": client_class,
        "methods": methods,
        "exported": sorted(
            ["ERRORS", client_class, "client", *(m.function for m in methods)], key=_all_order
        ),
        "imports": _import_lines(method_imports),
    }
    files = {
        "_api.py": render(
            "python/api.py.j2", header=stamp, literal=py_literal(service.to_api_data())
        ),
        "errors.py": render("python/errors.py.j2", header=stamp, errors=errors, service=service),
        "types.py": render(
            "python/types.py.j2",
            header=stamp,
            structures=structures,
            service=service,
            imports=_import_lines(
                {i for i in types_imports if i[0] not in (TYPES_MODULE, "typing")}
            ),
            typing_names=sorted(
                {"TypedDict"} | {n for m, n in types_imports if m == "typing" and n != "Required"}
            ),
            needs_required=("typing", "Required") in types_imports,
        ),
        "client.py": render("python/client.py.j2", **common),
        "__init__.py": render(
            "python/init.py.j2",
            **{
                **common,
                "imports": _import_lines(method_imports | {("typing", "Any")}),
            },
            package_doc=_docstring(_package_doc(service)),
        ),
    }
    out = ruff_format_all(files)
    out["py.typed"] = stamp
    return out


def _all_order(name: str) -> tuple[int, list[str | int]]:
    """The order ruff wants ``__all__`` in (RUF022, isort style): CONSTANTS, then
    CamelCase, then the rest, each in natural order (digit runs compared as numbers)."""
    group = 0 if name.isupper() else 1 if name[:1].isupper() else 2
    parts = re.split(r"(\d+)", name)
    return group, [int(p) if p.isdigit() else p for p in parts]


def _error_doc(shape: Shape) -> str:
    title = docs.first_sentence(shape.docs).translate(docs.ASCII)
    return f"{title}." if title else f"The service returned {shape.error_code}."


def _package_doc(service: Service) -> str:
    text = docs.to_text(service.docs, _WIDTH)
    return f"{service.full_name} client generated by pawsgen.\n\n{text}".rstrip()

"""The typed intermediate representation the templates are fed from.

Built from the API data (codegen/apidata.py) plus what the API data leaves out on
purpose: documentation, examples and the generated names. Templates never index raw
model JSON; everything they print is a field here or prepared from one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import argorder, naming
from .apidata import build_api_data, error_code
from .extras import pagination_data, waiter_data


@dataclass(frozen=True)
class Member:
    """A member of a structure: its target shape, HTTP location and generated names."""

    name: str
    shape: str
    type: str
    required: bool
    docs: str
    py_arg: str
    r_arg: str
    location: str | None = None
    location_name: str | None = None
    deprecated: bool = False


@dataclass(frozen=True)
class Shape:
    """A model shape with its constraints; containers name their element shapes."""

    name: str
    type: str
    docs: str = ""
    members: tuple[Member, ...] = ()
    member: str | None = None
    key: str | None = None
    value: str | None = None
    enum: tuple[str, ...] = ()
    min: int | float | None = None
    max: int | float | None = None
    pattern: str | None = None
    sensitive: bool = False
    streaming: bool = False
    event_stream: bool = False
    event: bool = False
    exception: bool = False
    error_code: str | None = None
    document: bool = False
    union: bool = False


@dataclass(frozen=True)
class Example:
    """One example call from examples-1.json."""

    title: str
    description: str
    input: dict[str, Any]


@dataclass(frozen=True)
class Operation:
    """One operation: HTTP binding, arguments, output and errors.

    ``params`` are the input members in argument order (the argument-order lock, else
    model order, see codegen/argorder.py); ``members`` are the same in model order.
    """

    name: str
    snake: str
    function: str
    http_method: str
    request_uri: str
    docs: str
    params: tuple[Member, ...]
    input: str | None
    output: str | None
    errors: tuple[str, ...]
    event_stream_output: bool
    deprecated: bool = False
    examples: tuple[Example, ...] = ()
    members: tuple[Member, ...] = ()


@dataclass(frozen=True)
class Service:
    """The whole service as the generator sees it."""

    prefix: str
    package: str
    service_id: str
    full_name: str
    api_version: str
    model_file: str
    checksum: str
    docs: str
    operations: tuple[Operation, ...]
    shapes: dict[str, Shape]
    api: dict[str, Any] = field(repr=False)

    def shape(self, name: str) -> Shape:
        """The shape called ``name``."""
        return self.shapes[name]


def service_prefix(service_id: str) -> str:
    """The function-name prefix of a service: ``Lambda`` -> ``lambda``, ``Pet Store`` -> ``petstore``."""
    return "".join(ch for ch in service_id.lower() if ch.isalnum())


def build_service(
    model: dict[str, Any],
    *,
    model_file: str,
    checksum: str,
    examples: dict[str, Any] | None = None,
    operations: list[str] | None = None,
    argument_order: dict[str, list[str]] | None = None,
    paginators: dict[str, Any] | None = None,
    waiters: dict[str, Any] | None = None,
) -> Service:
    """Build the IR of ``model`` (a parsed service-2.json), optionally for some operations only.

    ``argument_order`` is the argument-order lock (operation -> member names); without
    it arguments follow model order.
    """
    api = build_api_data(model, operations=operations, model_file=model_file)
    for key, value in (
        ("paginators", pagination_data(paginators, api["operations"])),
        ("waiters", waiter_data(waiters, api["operations"])),
    ):
        if value:
            api[key] = value
    raw_shapes = model["shapes"]
    types = {name: raw["type"] for name, raw in raw_shapes.items()}
    shapes = {name: _shape(name, entry, raw_shapes, types) for name, entry in api["shapes"].items()}
    meta = model.get("metadata", {})
    service_id = meta.get("serviceId") or meta.get("endpointPrefix", "service")
    prefix = service_prefix(service_id)
    ops = tuple(
        _operation(
            name,
            entry,
            model["operations"][name],
            shapes,
            prefix,
            examples or {},
            (argument_order or {}).get(name),
        )
        for name, entry in api["operations"].items()
    )
    naming.check_unique("operation function", ((op.name, op.snake) for op in ops))
    return Service(
        prefix=prefix,
        package=f"paws{prefix}",
        service_id=service_id,
        full_name=meta.get("serviceFullName", service_id),
        api_version=meta.get("apiVersion", ""),
        model_file=model_file,
        checksum=checksum,
        docs=model.get("documentation", ""),
        operations=ops,
        shapes=shapes,
        api=api,
    )


def _members(
    entry: dict[str, Any], raw: dict[str, Any], types: dict[str, str]
) -> tuple[Member, ...]:
    required = set(entry.get("required", []))
    out = []
    for name, ref in entry.get("members", {}).items():
        raw_ref = raw.get("members", {}).get(name, {})
        out.append(
            Member(
                name=name,
                shape=ref["shape"],
                type=types[ref["shape"]],
                required=name in required,
                docs=raw_ref.get("documentation", ""),
                py_arg=naming.python_arg(name),
                r_arg=naming.r_arg(name),
                location=ref.get("location"),
                location_name=ref.get("location_name"),
                deprecated=bool(ref.get("deprecated")),
            )
        )
    return tuple(out)


def _shape(
    name: str, entry: dict[str, Any], raw_shapes: dict[str, Any], types: dict[str, str]
) -> Shape:
    raw = raw_shapes[name]
    members = _members(entry, raw, types) if entry["type"] == "structure" else ()
    return Shape(
        name=name,
        type=entry["type"],
        docs=raw.get("documentation", ""),
        members=members,
        member=entry.get("member", {}).get("shape"),
        key=entry.get("key", {}).get("shape"),
        value=entry.get("value", {}).get("shape"),
        enum=tuple(entry.get("enum", ())),
        min=entry.get("min"),
        max=entry.get("max"),
        pattern=entry.get("pattern"),
        sensitive=bool(entry.get("sensitive")),
        streaming=bool(entry.get("streaming")),
        event_stream=bool(entry.get("event_stream")),
        event=bool(entry.get("event")),
        exception=bool(entry.get("exception")),
        error_code=error_code(name, entry) if entry.get("exception") else None,
        document=bool(entry.get("document")),
        union=bool(entry.get("union")),
    )


def _operation(
    name: str,
    entry: dict[str, Any],
    raw: dict[str, Any],
    shapes: dict[str, Shape],
    prefix: str,
    examples: dict[str, Any],
    locked: list[str] | None,
) -> Operation:
    input_name = entry.get("input")
    members: tuple[Member, ...] = ()
    if input_name:
        members = tuple(_with_docs(m, shapes[m.shape]) for m in shapes[input_name].members)
    by_name = {m.name: m for m in members}
    params = tuple(by_name[n] for n in argorder.argument_order(list(by_name), locked))
    naming.check_unique(f"{name} Python argument", ((m.name, m.py_arg) for m in params))
    naming.check_unique(f"{name} R argument", ((m.name, m.r_arg) for m in params))
    snake = naming.snake_case(name)
    return Operation(
        name=name,
        snake=snake,
        function=naming.service_function(prefix, name),
        http_method=entry["http_method"],
        request_uri=entry["request_uri"],
        docs=raw.get("documentation", ""),
        params=params,
        members=members,
        input=input_name,
        output=entry.get("output"),
        errors=tuple(entry["errors"]),
        event_stream_output=bool(entry.get("event_stream_output")),
        deprecated=bool(raw.get("deprecated")),
        examples=tuple(
            Example(
                title=ex.get("title", ""),
                description=ex.get("description", ""),
                input=ex.get("input", {}),
            )
            for ex in examples.get("examples", {}).get(name, [])
        ),
    )


def _with_docs(member: Member, target: Shape) -> Member:
    """A member without docs of its own takes its target shape's docs, as botocore does."""
    if member.docs or not target.docs:
        return member
    return Member(**{**member.__dict__, "docs": target.docs})

"""The typed intermediate representation: the one source every output is made from.

``build_service`` reads a parsed botocore model once into frozen dataclasses: the
operations, the shapes reachable from them, their constraints, HTTP bindings,
documentation, examples and the generated names. The API data the runtimes read
(docs/contracts.md, section 1) is derived from it (:meth:`Service.to_api_data`), and
the templates are fed from it; nothing downstream indexes the raw model JSON.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from . import argorder, naming
from .extras import pagination_data, waiter_data
from .protocols import check_protocol, resolved_protocol, unsupported_operations

_METADATA_KEYS = {
    "apiVersion": "api_version",
    "endpointPrefix": "endpoint_prefix",
    "signingName": "signing_name",
    "serviceId": "service_id",
    "protocol": "protocol",
    "serviceFullName": "service_full_name",
    "uid": "uid",
    "jsonVersion": "json_version",
    "targetPrefix": "target_prefix",
    "globalEndpoint": "global_endpoint",
}

# Shape constraints kept, by shape type: (model key, IR field = API-data key).
_CONSTRAINT_KEYS: dict[str, tuple[tuple[str, str], ...]] = {
    "string": (
        ("enum", "enum"),
        ("min", "min"),
        ("max", "max"),
        ("pattern", "pattern"),
        ("sensitive", "sensitive"),
    ),
    "blob": (
        ("min", "min"),
        ("max", "max"),
        ("streaming", "streaming"),
        ("sensitive", "sensitive"),
    ),
    "integer": (("min", "min"), ("max", "max")),
    "long": (("min", "min"), ("max", "max")),
    "float": (("min", "min"), ("max", "max")),
    "double": (("min", "min"), ("max", "max")),
    "boolean": (),
    "timestamp": (("timestampFormat", "timestamp_format"),),
    "list": (
        ("min", "min"),
        ("max", "max"),
        ("flattened", "flattened"),
        ("locationName", "location_name"),
    ),
    "map": (
        ("min", "min"),
        ("max", "max"),
        ("flattened", "flattened"),
        ("locationName", "location_name"),
    ),
    "structure": (
        ("required", "required"),
        ("payload", "payload"),
        ("exception", "exception"),
        ("fault", "fault"),
        ("eventstream", "event_stream"),
        ("event", "event"),
        ("union", "union"),
        ("document", "document"),
    ),
}

# Member-reference keys kept: (model key, IR field = API-data key).
_REF_KEYS = (
    ("location", "location"),
    ("locationName", "location_name"),
    ("timestampFormat", "timestamp_format"),
    ("jsonvalue", "jsonvalue"),
    ("idempotencyToken", "idempotency_token"),
    ("eventpayload", "event_payload"),
    ("eventheader", "event_header"),
    ("hostLabel", "host_label"),
    ("deprecated", "deprecated"),
    ("flattened", "flattened"),
    ("queryName", "query_name"),
)

CUSTOMIZATIONS_DIR = Path(__file__).with_name("customizations")
_CUSTOM_SHAPE_KEYS = {"final_event"}
_CUSTOM_TOP_KEYS = {"shapes", "docs"}
_CUSTOM_DOC_KEYS = {"example_args", "notes", "examples"}
_CUSTOM_EXAMPLE_KEYS = {"title", "r", "python"}


def _present(obj: object, keys: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    """The API-data entries of ``obj`` for ``keys``, in order, skipping absent (None) ones."""
    out: dict[str, Any] = {}
    for _, key in keys:
        value = getattr(obj, key)
        if value is None or value is False:
            continue
        out[key] = list(value) if isinstance(value, tuple) else value
    return out


@dataclass(frozen=True)
class Member:
    """A reference to a shape: a structure member, or a list's member / a map's key or value.

    Holds the reference's HTTP binding and flags, its documentation and, for structure
    members, the generated argument names.
    """

    name: str
    shape: str
    type: str
    required: bool = False
    docs: str = ""
    py_arg: str = ""
    r_arg: str = ""
    location: str | None = None
    location_name: str | None = None
    timestamp_format: str | None = None
    jsonvalue: bool = False
    idempotency_token: bool = False
    event_payload: bool = False
    event_header: bool = False
    host_label: bool = False
    deprecated: bool = False
    flattened: bool = False
    query_name: str | None = None
    deprecated_message: str = ""

    def to_api_data(self) -> dict[str, Any]:
        """The member reference in the API data: ``{"shape": ..., "location": ...}``."""
        return {"shape": self.shape, **_present(self, _REF_KEYS)}


@dataclass(frozen=True)
class ErrorInfo:
    """The ``error`` trait of an exception shape."""

    code: str | None = None
    http_status_code: int | None = None
    sender_fault: bool = False

    def to_api_data(self) -> dict[str, Any]:
        """``{"code": ..., "http_status_code": ..., "sender_fault": True}``, present keys only."""
        return _present(
            self,
            (("", "code"), ("", "http_status_code"), ("", "sender_fault")),
        )


@dataclass(frozen=True)
class Shape:
    """A model shape with its constraints; containers hold references to their elements."""

    name: str
    type: str
    docs: str = ""
    members: tuple[Member, ...] = ()
    member: Member | None = None
    key: Member | None = None
    value: Member | None = None
    enum: tuple[str, ...] | None = None
    min: int | float | None = None
    max: int | float | None = None
    pattern: str | None = None
    sensitive: bool = False
    streaming: bool = False
    timestamp_format: str | None = None
    required: tuple[str, ...] | None = None
    payload: str | None = None
    exception: bool = False
    fault: bool = False
    event_stream: bool = False
    event: bool = False
    union: bool = False
    document: bool = False
    error: ErrorInfo | None = None
    final_event: str | None = None
    deprecated: bool = False
    flattened: bool = False
    location_name: str | None = None

    @property
    def error_code(self) -> str | None:
        """The wire error code of an exception shape: its ``error.code`` or else its name."""
        if not self.exception:
            return None
        return (self.error.code if self.error else None) or self.name

    def to_api_data(self) -> dict[str, Any]:
        """The shape's entry in the API data (docs/contracts.md, section 1)."""
        out: dict[str, Any] = {"type": self.type}
        out.update(_present(self, _CONSTRAINT_KEYS.get(self.type, ())))
        if self.type == "structure":
            if self.error is not None:
                out["error"] = self.error.to_api_data()
            out["members"] = {m.name: m.to_api_data() for m in self.members}
        elif self.type == "list" and self.member is not None:
            out["member"] = self.member.to_api_data()
        elif self.type == "map" and self.key is not None and self.value is not None:
            out["key"] = self.key.to_api_data()
            out["value"] = self.value.to_api_data()
        if self.final_event is not None:
            out["final_event"] = self.final_event
        return out


@dataclass(frozen=True)
class Example:
    """One example call from examples-1.json."""

    title: str
    description: str
    input: dict[str, Any]


@dataclass(frozen=True)
class DocExample:
    """A hand-written example for one operation (customizations ``docs``): code per language."""

    title: str
    r: str
    python: str


@dataclass(frozen=True)
class OperationDocs:
    """What a customization file adds to an operation's documentation (never to behaviour).

    ``notes`` is model-style HTML, rendered into the Rd page and the docstring alike;
    ``example_args`` are the arguments the generated examples call the operation with;
    ``examples`` follow the generated ones.
    """

    notes: str = ""
    example_args: dict[str, Any] = field(default_factory=dict)
    examples: tuple[DocExample, ...] = ()


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
    response_code: int = 200
    host_prefix: str | None = None
    result_wrapper: str | None = None
    deprecated: bool = False
    deprecated_message: str = ""
    examples: tuple[Example, ...] = ()
    members: tuple[Member, ...] = ()
    extra_docs: OperationDocs = field(default_factory=OperationDocs)

    def to_api_data(self) -> dict[str, Any]:
        """The operation's entry in the API data."""
        out: dict[str, Any] = {
            "name": self.name,
            "http_method": self.http_method,
            "request_uri": self.request_uri,
            "response_code": self.response_code,
        }
        if self.input is not None:
            out["input"] = self.input
        if self.output is not None:
            out["output"] = self.output
        out["errors"] = list(self.errors)
        if self.event_stream_output:
            out["event_stream_output"] = True
        if self.host_prefix:
            out["host_prefix"] = self.host_prefix
        if self.result_wrapper:
            out["result_wrapper"] = self.result_wrapper
        return out


@dataclass(frozen=True)
class Service:
    """The whole service as the generator sees it."""

    prefix: str
    package: str
    service_id: str
    full_name: str
    api_version: str
    protocol: str
    model_file: str
    checksum: str
    docs: str
    metadata: dict[str, Any]
    operations: tuple[Operation, ...]
    shapes: dict[str, Shape]
    paginators: dict[str, Any] | None = field(default=None, repr=False)
    waiters: dict[str, Any] | None = field(default=None, repr=False)
    rule_set: dict[str, Any] | None = field(default=None, repr=False)
    # Where the model was read from (None when built from a dict): side files such as
    # the endpoint rule set and partitions.json are found beside it.
    model_path: Path | None = field(default=None, repr=False)
    # Operations not generated, with the reason (input event streams: HTTP/2).
    left_out: dict[str, str] = field(default_factory=dict, repr=False)

    def shape(self, name: str) -> Shape:
        """The shape called ``name``."""
        return self.shapes[name]

    @property
    def client_class(self) -> str:
        """The generated Python client class name."""
        return naming.client_class(self.service_id)

    def to_api_data(self) -> dict[str, Any]:
        """The API data the runtimes read (docs/contracts.md, section 1)."""
        out: dict[str, Any] = {
            "metadata": dict(self.metadata),
            "operations": {op.name: op.to_api_data() for op in self.operations},
            "shapes": {name: shape.to_api_data() for name, shape in self.shapes.items()},
        }
        names = [op.name for op in self.operations]
        for key, value in (
            ("paginators", pagination_data(self.paginators, names)),
            ("waiters", waiter_data(self.waiters, names)),
        ):
            if value:
                out[key] = value
        return out

    @property
    def api(self) -> dict[str, Any]:
        """Same as :meth:`to_api_data`."""
        return self.to_api_data()


def build_service(
    model: dict[str, Any],
    *,
    model_file: str | None = None,
    checksum: str = "",
    examples: dict[str, Any] | None = None,
    operations: list[str] | None = None,
    argument_order: dict[str, list[str]] | None = None,
    botocore_name: str | None = None,
    botocore_names: tuple[str, ...] = (),
    paginators: dict[str, Any] | None = None,
    waiters: dict[str, Any] | None = None,
    rule_set: dict[str, Any] | None = None,
    supported_only: bool = True,
    customizations: dict[str, Any] | None = None,
) -> Service:
    """Build the IR of ``model`` (a parsed service-2.json), optionally for some operations only.

    ``argument_order`` is the argument-order lock (operation -> member names); without
    it arguments follow model order. With ``supported_only`` (the default) a model whose
    protocol the runtimes do not implement is refused (codegen/protocols.py).
    ``botocore_name``/``botocore_names`` feed the package-name rule (naming.service_prefix).
    ``customizations`` replaces ``codegen/customizations/<uid>.json`` (tests).
    """
    meta_raw = model.get("metadata", {})
    if supported_only:
        check_protocol(meta_raw, botocore_name)
    raw_ops = model.get("operations", {})
    raw_shapes = model.get("shapes", {})
    if operations is not None:
        unknown = set(operations) - set(raw_ops)
        if unknown:
            raise KeyError(f"operations not in the model: {', '.join(sorted(unknown))}")
    wanted = set(operations) if operations is not None else None

    metadata = {new: meta_raw[old] for old, new in _METADATA_KEYS.items() if old in meta_raw}
    protocol = resolved_protocol(meta_raw)
    if protocol is not None:
        metadata["protocol"] = protocol
    if "awsQueryCompatible" in meta_raw:
        # A service moved from the query protocol (SQS): its old error codes come in
        # the x-amzn-query-error header, and it is sent x-amzn-query-mode: true.
        metadata["aws_query_compatible"] = True
    if "signing_name" not in metadata and "endpoint_prefix" in metadata:
        metadata["signing_name"] = metadata["endpoint_prefix"]
    if model_file is not None:
        metadata["model_file"] = model_file

    service_id = meta_raw.get("serviceId") or meta_raw.get("endpointPrefix", "service")
    prefix = naming.service_prefix(service_id, botocore_name, botocore_names)

    left_out = unsupported_operations(model)
    for name in sorted((wanted or set()) & set(left_out)):
        raise ValueError(f"{name}: {left_out[name]}")
    op_names = [n for n in raw_ops if (wanted is None or n in wanted) and n not in left_out]
    roots: list[str] = []
    for name in op_names:
        raw = raw_ops[name]
        roots += [raw[k]["shape"] for k in ("input", "output") if k in raw]
        roots += [e["shape"] for e in raw.get("errors", [])]
    reachable: set[str] = set()
    for root in roots:
        _reach(raw_shapes, root, reachable)
    if customizations is None:
        customizations = _customization_file(metadata.get("uid"))
    custom, op_docs = _customizations(customizations, raw_ops, metadata.get("uid") or "")
    # Model order of the shapes object.
    shapes = {
        name: _shape(name, raw_shapes, custom.get(name, {}))
        for name in raw_shapes
        if name in reachable
    }
    ops = tuple(
        _operation(
            name,
            raw_ops[name],
            shapes,
            prefix,
            examples or {},
            (argument_order or {}).get(name),
            op_docs.get(name, OperationDocs()),
        )
        for name in op_names
    )
    naming.check_unique("operation function", ((op.name, op.snake) for op in ops))
    naming.check_unique(
        "Python class", ((s.name, naming.python_class(s.name)) for s in shapes.values())
    )
    return Service(
        prefix=prefix,
        package=naming.package_name(prefix),
        service_id=service_id,
        full_name=meta_raw.get("serviceFullName", service_id),
        api_version=meta_raw.get("apiVersion", ""),
        protocol=protocol or "",
        model_file=model_file or "",
        checksum=checksum,
        docs=model.get("documentation", ""),
        metadata=metadata,
        operations=ops,
        shapes=shapes,
        paginators=paginators,
        waiters=waiters,
        rule_set=rule_set,
        left_out=left_out,
    )


def _reach(raw_shapes: dict[str, Any], name: str, acc: set[str]) -> None:
    """Add ``name`` and every shape it refers to into ``acc`` (recursive shapes terminate)."""
    stack = [name]
    while stack:
        current = stack.pop()
        if current in acc:
            continue
        if current not in raw_shapes:
            raise KeyError(f"shape {current!r} is referenced but not defined in the model")
        acc.add(current)
        raw = raw_shapes[current]
        refs = list(raw.get("members", {}).values())
        refs += [raw[k] for k in ("member", "key", "value") if k in raw]
        stack.extend(ref["shape"] for ref in reversed(refs))


def _customization_file(uid: str | None) -> dict[str, Any]:
    """``customizations/<uid>.json`` parsed, or ``{}`` when the service has none."""
    path = CUSTOMIZATIONS_DIR / f"{uid}.json"
    if uid is None or not path.exists():
        return {}
    return dict(json.loads(path.read_text(encoding="utf-8")))


def _customizations(
    data: dict[str, Any], raw_ops: dict[str, Any], uid: str
) -> tuple[dict[str, dict[str, Any]], dict[str, OperationDocs]]:
    """What a service needs but its model does not say: (shape keys, operation docs).

    ``shapes`` holds extra API-data keys per shape, e.g. the event an event stream must
    end with (``final_event``), without which a stream cut at a frame boundary would
    look complete. ``docs`` holds per-operation documentation (:class:`OperationDocs`).
    Unknown keys, and operations the model lacks, are refused (docs/contracts.md, 1).
    """
    where = f"customizations/{uid}.json"
    unknown = set(data) - _CUSTOM_TOP_KEYS
    if unknown:
        raise ValueError(f"{where}: unsupported keys {sorted(unknown)}")
    shapes = dict(data.get("shapes", {}))
    for shape_name, extra in shapes.items():
        unknown = set(extra) - _CUSTOM_SHAPE_KEYS
        if unknown:
            raise ValueError(f"{where}: unsupported keys {sorted(unknown)} on {shape_name}")
    op_docs: dict[str, OperationDocs] = {}
    for op_name, entry in data.get("docs", {}).items():
        if op_name not in raw_ops:
            raise ValueError(f"{where}: docs for {op_name}, which the model does not have")
        unknown = set(entry) - _CUSTOM_DOC_KEYS
        if unknown:
            raise ValueError(f"{where}: unsupported docs keys {sorted(unknown)} on {op_name}")
        examples = []
        for ex in entry.get("examples", []):
            if set(ex) != _CUSTOM_EXAMPLE_KEYS:
                raise ValueError(
                    f"{where}: each {op_name} example needs exactly "
                    f"{sorted(_CUSTOM_EXAMPLE_KEYS)}, got {sorted(ex)}"
                )
            examples.append(
                DocExample(title=ex["title"], r="\n".join(ex["r"]), python="\n".join(ex["python"]))
            )
        notes = entry.get("notes", "")
        op_docs[op_name] = OperationDocs(
            notes="".join(notes) if isinstance(notes, list) else notes,
            example_args=dict(entry.get("example_args", {})),
            examples=tuple(examples),
        )
    return shapes, op_docs


def _ref(name: str, raw: dict[str, Any], raw_shapes: dict[str, Any], required: bool) -> Member:
    values: dict[str, Any] = {}
    for old, new in _REF_KEYS:
        if old in raw:
            values[new] = raw[old]
    return Member(
        name=name,
        shape=raw["shape"],
        type=raw_shapes[raw["shape"]]["type"],
        required=required,
        docs=raw.get("documentation", ""),
        py_arg=naming.python_arg(name),
        r_arg=naming.r_arg(name),
        deprecated_message=raw.get("deprecatedMessage", ""),
        **values,
    )


def _shape(name: str, raw_shapes: dict[str, Any], custom: dict[str, Any]) -> Shape:
    raw = raw_shapes[name]
    kind = raw["type"]
    values: dict[str, Any] = {}
    for old, new in _CONSTRAINT_KEYS.get(kind, ()):
        if old in raw:
            value = raw[old]
            values[new] = tuple(value) if isinstance(value, list) else value
    if kind == "structure":
        required = set(raw.get("required", ()))
        values["members"] = tuple(
            _ref(m, ref, raw_shapes, m in required) for m, ref in raw.get("members", {}).items()
        )
        if "error" in raw:
            err = raw["error"]
            values["error"] = ErrorInfo(
                code=err.get("code"),
                http_status_code=int(err["httpStatusCode"]) if "httpStatusCode" in err else None,
                sender_fault=bool(err.get("senderFault")),
            )
    elif kind == "list":
        values["member"] = _ref("member", raw["member"], raw_shapes, False)
    elif kind == "map":
        values["key"] = _ref("key", raw["key"], raw_shapes, False)
        values["value"] = _ref("value", raw["value"], raw_shapes, False)
    return Shape(
        name=name,
        type=kind,
        docs=raw.get("documentation", ""),
        deprecated=bool(raw.get("deprecated")),
        final_event=custom.get("final_event"),
        **values,
    )


def _event_stream_output(output: str | None, shapes: dict[str, Shape]) -> bool:
    if output is None:
        return False
    return any(shapes[m.shape].event_stream for m in shapes[output].members)


def _operation(
    name: str,
    raw: dict[str, Any],
    shapes: dict[str, Shape],
    prefix: str,
    examples: dict[str, Any],
    locked: list[str] | None,
    extra_docs: OperationDocs,
) -> Operation:
    input_name = raw["input"]["shape"] if "input" in raw else None
    output_name = raw["output"]["shape"] if "output" in raw else None
    members: tuple[Member, ...] = ()
    if input_name:
        members = tuple(_with_docs(m, shapes[m.shape]) for m in shapes[input_name].members)
    by_name = {m.name: m for m in members}
    params = tuple(by_name[n] for n in argorder.argument_order(list(by_name), locked))
    naming.check_unique(f"{name} Python argument", ((m.name, m.py_arg) for m in params))
    naming.check_unique(f"{name} R argument", ((m.name, m.r_arg) for m in params))
    http = raw.get("http", {})
    endpoint = raw.get("endpoint") or {}
    return Operation(
        name=name,
        snake=naming.snake_case(name),
        function=naming.service_function(prefix, name),
        http_method=http.get("method", "POST"),
        request_uri=http.get("requestUri", "/"),
        response_code=int(http.get("responseCode", 200)),
        host_prefix=endpoint.get("hostPrefix") or None,
        result_wrapper=raw.get("output", {}).get("resultWrapper") or None,
        docs=raw.get("documentation", ""),
        params=params,
        members=members,
        input=input_name,
        output=output_name,
        errors=tuple(e["shape"] for e in raw.get("errors", [])),
        event_stream_output=_event_stream_output(output_name, shapes),
        deprecated=bool(raw.get("deprecated")),
        deprecated_message=raw.get("deprecatedMessage", ""),
        examples=tuple(
            Example(
                title=ex.get("title", ""),
                description=ex.get("description", ""),
                input=ex.get("input", {}),
            )
            for ex in examples.get("examples", {}).get(name, [])
        ),
        extra_docs=extra_docs,
    )


def _with_docs(member: Member, target: Shape) -> Member:
    """A member without docs of its own takes its target shape's docs, as botocore does."""
    if member.docs or not target.docs:
        return member
    return replace(member, docs=target.docs)

"""Prepare and render the generated R package (docs/contracts.md, section 4)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from . import docs, streamdocs
from .ir import Member, Operation, Service
from .literals import r_literal
from .naming import r_api_name, r_name, r_operations_name
from .render import header, render
from .syntax import r_call_syntax, r_value_syntax

_WIDTH = 80
VERSION = "0.1.0"
# The generated package needs at least the runtime it was generated against.
RUNTIME_VERSION = re.search(
    r"^Version: (\S+)$",
    (Path(__file__).resolve().parents[1] / "r" / "pawscore" / "DESCRIPTION").read_text(),
    re.M,
)[1]  # type: ignore[index]


_PAWSCORE = Path(__file__).resolve().parents[1] / "r" / "pawscore"

# What paws users reach through library(paws): every generated package re-exports these
# from pawscore, so library(pawslambda) gives paginate(), payload_text(), config(), ...
REEXPORTS = (
    "paginate",
    "paginate_lapply",
    "paginate_sapply",
    "list_paginators",
    "wait_until",
    "list_waiters",
    "payload_raw",
    "payload_text",
    "payload_json",
    "text_decoder",
    "stop_stream",
    "next_event",
    "config",
    "credentials",
    "creds",
)


def runtime_topics(root: Path = _PAWSCORE) -> dict[str, str]:
    """Each name the R runtime exports -> the Rd file (topic) documenting it.

    Read from pawscore's NAMESPACE and man/ pages, so a re-export the runtime does not
    have, or does not document, stops generation instead of failing R CMD check later.
    """
    exported = set(re.findall(r"^export\((\w+)\)", (root / "NAMESPACE").read_text(), re.M))
    topics: dict[str, str] = {}
    for page in sorted((root / "man").glob("*.Rd")):
        for alias in re.findall(r"^\\alias\{([^}]+)\}", page.read_text(encoding="utf-8"), re.M):
            if alias in exported:
                topics.setdefault(alias, page.stem)
    return topics


def reexports(service: Service, functions: list[str]) -> tuple[tuple[str, str], ...]:
    """``(name, pawscore topic)`` of each re-export, checked against the runtime."""
    topics = runtime_topics()
    missing = [name for name in REEXPORTS if name not in topics]
    if missing:
        raise ValueError(f"pawscore does not export and document {', '.join(missing)}")
    clash = sorted(set(REEXPORTS) & {service.prefix, *functions})
    if clash:
        raise ValueError(f"{service.package}: {', '.join(clash)} would hide pawscore's")
    return tuple((name, topics[name]) for name in REEXPORTS)


@dataclass(frozen=True)
class RFunction:
    """Everything the R code and Rd templates print for one operation."""

    name: str
    snake: str
    op_name: str
    title: str
    rd_title: str
    roxygen_title: tuple[str, ...]
    index_row: str
    package_row: str
    formals: str
    usage: str
    params: tuple[str, ...]
    event_stream: bool
    arguments: tuple[tuple[str, str], ...]
    description: str
    details: str
    value: str
    request_syntax: str
    examples: str


def _formals(args: list[str], head: str, name: str = "") -> str:
    """``function(a, b = NULL)`` on one line when ``name <- function(...) {`` fits."""
    flat = f"{head}({', '.join(args)})"
    if len(f"{name} <- {flat} {{") <= _WIDTH:
        return flat
    return f"{head}(\n" + ",\n".join(f"  {a}" for a in args) + "\n)"


def _usage(args: list[str], name: str) -> str:
    """Usage wrapped at the Rd width, continuation lines indented by two spaces."""
    lines = [f"{name}("]
    for n, arg in enumerate(args):
        text = arg + (", " if n < len(args) - 1 else ")")
        if len(lines[-1]) + len(text.rstrip()) > _WIDTH and lines[-1].strip():
            lines[-1] = lines[-1].rstrip()
            lines.append("  ")
        lines[-1] += text
    if not args:
        lines[-1] += ")"
    return "\n".join(line.rstrip() for line in lines)


def _rd_code(text: str) -> str:
    """R code inside \\usage or \\examples: only backslash and percent are special."""
    return text.replace("\\", "\\\\").replace("%", "\\%")


def _function(service: Service, op: Operation) -> RFunction:
    args = [m.r_arg if m.required else f"{m.r_arg} = NULL" for m in op.params]
    if op.event_stream_output:
        args.append(".on_event = NULL")
        args.append(".stream = FALSE")
    args.append("...")  # unknown arguments: call_operation() reports them as invalid input
    params = tuple(_param(m) for m in op.members)  # model order, whatever the argument order
    arguments = [
        (
            m.r_arg,
            ("[required] " if m.required else "")
            + ("[deprecated] " if m.deprecated else "")
            + _arg_rd(m)
            + _deprecation_rd(m.deprecated_message if m.deprecated else ""),
        )
        for m in op.params
    ]
    if op.event_stream_output:
        arguments.append(
            (
                ".on_event",
                "Optional function called with each event as it is decoded, before the\n"
                "next bytes arrive; \\code{EventStream} in the result then holds its\n"
                "return values.",
            )
        )
        arguments.append(
            (
                ".stream",
                "\\code{TRUE} to return as soon as the answer's headers are in, the\n"
                "event-stream member being a stream read on demand with\n"
                "\\code{pawscore::next_event()} and closed with \\code{close()} (as Python's\n"
                "\\code{stream=True}).",
            )
        )
    arguments.append(
        (
            "...",
            "Not used: an argument the operation does not have is reported as a\n"
            "\\code{paws_param_error}, and nothing is sent.",
        )
    )
    if op.output and service.shape(op.output).members:
        value = (
            "A list with the following syntax:\n\\preformatted{"
            + docs.rd_escape(r_value_syntax(service, op.output))
            + "}"
        )
    else:
        value = "An empty list."
    info = streamdocs.stream_info(service, op)
    if info is not None:
        value += "\n\n" + docs.to_rd(streamdocs.value_note_html(info, "r"), _WIDTH)
    title = docs.first_sentence(op.docs) or op.name
    description = docs.to_rd(op.docs, _WIDTH) or docs.rd_escape(title)
    if op.deprecated:
        title = f"[Deprecated] {title}"
        note = docs.plain_text(op.deprecated_message) or "AWS has deprecated this operation."
        description = "\\strong{Deprecated:} " + docs.rd_escape(note) + "\n\n" + description
    return RFunction(
        name=op.function,
        snake=op.snake,
        op_name=op.name,
        title=docs.rd_escape(title),
        rd_title="\n".join(docs.wrap(docs.rd_escape(title), _WIDTH, "\\title{")).removeprefix(
            "\\title{"
        ),
        roxygen_title=tuple(docs.wrap(docs.rd_escape(title), _WIDTH - 3)),
        index_row="\n".join(
            docs.wrap(
                f"\\link[={op.function}]{{{op.snake}}} \\tab {docs.rd_escape(title)}\\cr", _WIDTH
            )
        ),
        package_row="\n".join(
            docs.wrap(
                f"\\code{{\\link{{{op.function}}}}} \\tab {docs.rd_escape(title)}\\cr", _WIDTH
            )
        ),
        formals=_formals(args, "function", op.function),
        usage=_rd_code(_usage(args, op.function)),
        params=params,
        event_stream=op.event_stream_output,
        arguments=tuple(arguments),
        description=description,
        details=docs.to_rd(op.extra_docs.notes, _WIDTH),
        value=value,
        request_syntax=docs.rd_escape(r_call_syntax(service, f"svc${op.snake}", op.input)),
        examples=_rd_code(_examples(service, op)),
    )


def _arg_rd(m: Member) -> str:
    """An argument's text; a blob's without CLI-only advice, saying what R value it takes."""
    lead = len(f"\\item{{{m.r_arg}}}{{[required] [deprecated] ")
    if m.type != "blob":
        return docs.to_rd(m.docs, _WIDTH, lead=lead) or f"A {m.type} value."
    text = docs.to_rd(m.docs, _WIDTH, lead=lead, blob=True)
    note = docs.rd_escape(streamdocs.blob_input_note("r"))
    return f"{text}\n\n{note}" if text else note


def _param(m: Member) -> str:
    """``Name = Name`` in the call's params list; a required one is ``NULL`` when missing."""
    value = f"if (missing({m.r_arg})) NULL else {m.r_arg}" if m.required else m.r_arg
    line = f"{r_name(m.name)} = {value}"
    # Six spaces of indent and a comma: beyond the width the value goes on its own line.
    return line if len(line) + 7 <= _WIDTH else f"{r_name(m.name)} =\n        {value}"


def _deprecation_rd(message: str) -> str:
    """`` Deprecated: <message>`` for an argument whose deprecation AWS explains."""
    return f" Deprecated: {docs.rd_escape(docs.plain_text(message))}" if message else ""


def _examples(service: Service, op: Operation) -> str:
    """The event-stream examples (streamdocs), then the model's examples-1 ones."""
    stream = streamdocs.r_examples(service, op)
    if not op.examples:
        return stream
    lines = [stream] if stream else [f"svc <- {service.prefix}()"]
    for ex in op.examples:
        lines.append("")
        for comment in docs.to_text(ex.description or ex.title, _WIDTH - 2).splitlines():
            lines.append(f"# {comment}".rstrip())
        call = f"svc${op.snake}"
        if ex.input:
            body = r_literal(ex.input, 0, _WIDTH, call)
            lines.append(call + body[len("list") :])
        else:
            lines.append(f"{call}()")
    return "\n".join(lines)


def render_r(service: Service) -> dict[str, str]:
    """All files of the generated R package, keyed by path relative to the package root."""
    r_stamp = header(service.model_file, service.checksum)
    rd_stamp = header(service.model_file, service.checksum, comment="%")
    functions = [_function(service, op) for op in service.operations]
    ctx = {
        "service": service,
        "functions": functions,
        "version": VERSION,
        "runtime_version": RUNTIME_VERSION,
        "api_name": r_api_name(service.prefix),
        "operations_name": r_operations_name(service.prefix),
        "reexports": reexports(service, [fn.name for fn in functions]),
    }
    files = {
        "DESCRIPTION": render("r/DESCRIPTION.j2", **ctx),
        "NAMESPACE": render("r/NAMESPACE.j2", header=r_stamp, **ctx),
        "R/api.R": render(
            "r/api.R.j2", header=r_stamp, literal=r_literal(service.to_api_data(), 0, _WIDTH), **ctx
        ),
        "R/operations.R": render("r/operations.R.j2", header=r_stamp, **ctx),
        "R/service.R": render("r/service.R.j2", header=r_stamp, **ctx),
        f"R/{service.package}-package.R": render("r/package.R.j2", header=r_stamp, **ctx),
        f"man/{service.package}-package.Rd": render(
            "r/package.Rd.j2",
            header=rd_stamp,
            description=docs.to_rd(service.docs, _WIDTH) or service.full_name,
            **ctx,
        ),
        f"man/{service.prefix}.Rd": render(
            "r/client.Rd.j2",
            header=rd_stamp,
            description=docs.to_rd(service.docs, _WIDTH) or service.full_name,
            **ctx,
        ),
    }
    files["man/reexports.Rd"] = render("r/reexports.Rd.j2", header=rd_stamp, **ctx)
    for fn in functions:
        files[f"man/{fn.name}.Rd"] = render("r/operation.Rd.j2", header=rd_stamp, fn=fn, **ctx)
    files["tests/testthat.R"] = render("r/tests/testthat.R.j2", header=r_stamp, **ctx)
    files[f"tests/testthat/test-{service.prefix}.R"] = render(
        "r/tests/test-service.R.j2", header=r_stamp, required_case=_required_case(service), **ctx
    )
    return files


def _required_case(service: Service) -> tuple[str, str] | None:
    """(method, first required argument) of the first operation that has one."""
    for op in service.operations:
        for m in op.params:
            if m.required:
                return op.snake, m.name
    return None

"""Prepare and render the generated R package (docs/contracts.md, section 4)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from . import docs
from .ir import Operation, Service
from .literals import r_literal
from .naming import r_name
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


@dataclass(frozen=True)
class RFunction:
    """Everything the R code and Rd templates print for one operation."""

    name: str
    snake: str
    op_name: str
    title: str
    formals: str
    usage: str
    params: tuple[str, ...]
    event_stream: bool
    arguments: tuple[tuple[str, str], ...]
    description: str
    value: str
    request_syntax: str
    examples: str


def _formals(args: list[str], head: str) -> str:
    """``function(a, b = NULL)`` on one line when it fits, else one argument per line."""
    flat = f"{head}({', '.join(args)})"
    if len(flat) + 2 <= _WIDTH:
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
    args.append("...")  # unknown arguments: call_operation() reports them as invalid input
    params = tuple(
        f"{r_name(m.name)} = "
        + (f"if (missing({m.r_arg})) NULL else {m.r_arg}" if m.required else m.r_arg)
        for m in op.members  # model order, whatever the argument order
    )
    arguments = [
        (
            m.r_arg,
            ("[required] " if m.required else "")
            + (docs.to_rd(m.docs, _WIDTH) or f"A {m.type} value."),
        )
        for m in op.params
    ]
    if op.event_stream_output:
        arguments.append(
            (
                ".on_event",
                "Optional function called with each event as it is decoded, before the "
                "next bytes arrive; \\code{EventStream} in the result then holds its "
                "return values.",
            )
        )
    arguments.append(
        (
            "...",
            "Not used: an argument the operation does not have is reported as a "
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
    title = docs.first_sentence(op.docs) or op.name
    return RFunction(
        name=op.function,
        snake=op.snake,
        op_name=op.name,
        title=docs.rd_escape(title),
        formals=_formals(args, "function"),
        usage=_rd_code(_usage(args, op.function)),
        params=params,
        event_stream=op.event_stream_output,
        arguments=tuple(arguments),
        description=docs.to_rd(op.docs, _WIDTH) or docs.rd_escape(title),
        value=value,
        request_syntax=docs.rd_escape(r_call_syntax(service, f"svc${op.snake}", op.input)),
        examples=_rd_code(_examples(service, op)),
    )


def _examples(service: Service, op: Operation) -> str:
    if not op.examples:
        return ""
    lines = [f"svc <- {service.prefix}()"]
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
        "api_name": f".{service.prefix}_api",
        "operations_name": f".{service.prefix}_operations",
    }
    files = {
        "DESCRIPTION": render("r/DESCRIPTION.j2", **ctx),
        "NAMESPACE": render("r/NAMESPACE.j2", header=r_stamp, **ctx),
        "R/api.R": render(
            "r/api.R.j2", header=r_stamp, literal=r_literal(service.api, 0, _WIDTH), **ctx
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
    for fn in functions:
        files[f"man/{fn.name}.Rd"] = render("r/operation.Rd.j2", header=rd_stamp, fn=fn, **ctx)
    return files

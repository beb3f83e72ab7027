"""The model's HTML documentation, parsed once into blocks, rendered as plain text or Rd.

botocore docs use a small HTML subset (p, ul/ol/li, code, b/i, a, note, important,
dl/dt/dd, pre). Unknown tags are transparent: their text is kept.
"""

from __future__ import annotations

import functools
import re
import textwrap
from dataclasses import dataclass, field
from html.parser import HTMLParser

_BLOCK_TAGS = {
    "p",
    "ul",
    "ol",
    "li",
    "note",
    "important",
    "dl",
    "dt",
    "dd",
    "pre",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "fullname",
    "br",
    "table",
}
_VOID_TAGS = {"br", "img", "hr"}


@dataclass
class Node:
    """One HTML element (``tag``) or text run (``tag == "#text"``)."""

    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node] = field(default_factory=list)
    text: str = ""


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in _VOID_TAGS:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        # Close up to the matching tag; a stray end tag is ignored.
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(Node("#text", text=data))


def parse_html(html: str) -> Node:
    """Parse an HTML fragment into a :class:`Node` tree."""
    builder = _TreeBuilder()
    builder.feed(html or "")
    builder.close()
    return builder.root


# Blocks: ("p", inlines) | ("list", ordered, [blocks per item]) | ("note", label, blocks)
#         | ("pre", text) | ("dl", [(term inlines, blocks)])
# Inlines: ("text", s) | ("code", s) | ("strong", inlines) | ("emph", inlines)
#          | ("link", href, inlines)


@functools.lru_cache(maxsize=8192)
def _cached_blocks(html: str) -> tuple[tuple, ...]:
    return tuple(_blocks(parse_html(html)))


def to_blocks(html: str) -> list[tuple]:
    """The documentation as a list of blocks (see module comments for their shape).

    Parsed once per distinct text: many members share their shape's docs.
    """
    return list(_cached_blocks(html))


def _blocks(node: Node) -> list[tuple]:
    out: list[tuple] = []
    inline: list[tuple] = []

    def flush() -> None:
        trimmed = _trim(inline)
        if trimmed:
            out.append(("p", trimmed))
        inline.clear()

    for child in node.children:
        tag = child.tag
        if tag == "#text" or tag not in _BLOCK_TAGS:
            inline.extend(_inlines(child))
            continue
        flush()
        if tag in ("ul", "ol"):
            items = [_blocks(li) for li in child.children if li.tag == "li"]
            items = [item for item in items if item]
            if items:
                out.append(("list", tag == "ol", items))
        elif tag in ("note", "important"):
            inner = _blocks(child)
            if inner:
                out.append(("note", "Note" if tag == "note" else "Important", inner))
        elif tag == "pre":
            out.append(("pre", _plain(child).strip("\n")))
        elif tag == "dl":
            entries: list[tuple] = []
            for part in child.children:
                if part.tag == "dt":
                    entries.append((_trim(_inlines_of(part)), []))
                elif part.tag == "dd" and entries:
                    entries[-1][1].extend(_blocks(part))
            if entries:
                out.append(("dl", entries))
        elif tag == "br":
            continue
        else:  # p, li, div, headings, fullname: a paragraph or nested blocks
            out.extend(_blocks(child))
    flush()
    return out


def _inlines_of(node: Node) -> list[tuple]:
    out: list[tuple] = []
    for child in node.children:
        out.extend(_inlines(child))
    return out


def _inlines(node: Node) -> list[tuple]:
    tag = node.tag
    if tag == "#text":
        return [("text", node.text)]
    if tag == "code":
        return [("code", " ".join(_plain(node).split()))]
    if tag in ("b", "strong"):
        return [("strong", _inlines_of(node))]
    if tag in ("i", "em"):
        return [("emph", _inlines_of(node))]
    if tag == "a":
        href = node.attrs.get("href", "").strip()
        inner = _inlines_of(node)
        return [("link", href, inner)] if href else inner
    return _inlines_of(node)


def _plain(node: Node) -> str:
    if node.tag == "#text":
        return node.text
    return "".join(_plain(c) for c in node.children)


def _trim(inlines: list[tuple]) -> list[tuple]:
    """Drop inline runs that are only whitespace at either end."""
    items = list(inlines)
    while items and items[0][0] == "text" and not items[0][1].strip():
        items.pop(0)
    while items and items[-1][0] == "text" and not items[-1][1].strip():
        items.pop()
    return items


# -- CLI-only advice in blob members' docs ---------------------------------------------

# botocore's docs are shared with the AWS CLI: a blob argument's text often tells CLI
# users to pass ``fileb://path`` or ``--payload file://...``, or to base64-encode the
# value themselves. None of it applies to a client that takes the bytes and encodes
# what the wire needs, so it is left out (:func:`without_cli`).
_CLI_MARKERS = re.compile(
    r"fileb?://|\bCLI\b|command[- ]line|base64[- ]?encod\w*[^.]*\bfor you\b"
    r"|\bmust\b[^.]*\bbase64[- ]?encod|provide the base64",
    re.IGNORECASE,
)


def _is_cli(text: str, codes: list[str]) -> bool:
    return bool(_CLI_MARKERS.search(text)) or any(c.startswith("--") for c in codes)


def _codes(inlines: list[tuple] | tuple) -> list[str]:
    out: list[str] = []
    for item in inlines:
        if item[0] == "code":
            out.append(item[1])
        elif item[0] == "link":
            out.extend(_codes(item[2]))
        elif item[0] in ("strong", "emph"):
            out.extend(_codes(item[1]))
    return out


def _block_is_cli(block: tuple) -> bool:
    kind = block[0]
    if kind == "p":
        return _is_cli(inline_text(block[1]), _codes(block[1]))
    if kind == "pre":
        return _is_cli(block[1], [])
    if kind == "list":
        return any(_block_is_cli(b) for item in block[2] for b in item)
    if kind == "note":
        return any(_block_is_cli(b) for b in block[2])
    if kind == "dl":
        return any(
            _is_cli(inline_text(term), _codes(term)) or any(_block_is_cli(b) for b in body)
            for term, body in block[1]
        )
    return False


def _sentences(inlines: list[tuple]) -> list[list[tuple]]:
    """Inline runs split into sentences (a text run ending ``.``/``!``/``?`` then space)."""
    out: list[list[tuple]] = [[]]
    for item in inlines:
        if item[0] != "text":
            out[-1].append(item)
            continue
        parts = re.split(r"(?<=[.!?])\s+", item[1])
        for n, part in enumerate(parts):
            if n:
                out.append([])
            if part:
                out[-1].append(("text", part + (" " if n < len(parts) - 1 else "")))
    return [s for s in out if _trim(s)]


def without_cli(blocks: list[tuple]) -> list[tuple]:
    """``blocks`` without advice meant for AWS CLI users (``file://``, ``fileb://``,
    ``--option`` examples, "base64-encode it yourself").

    The first paragraph (the member's description) loses only its CLI sentences; any
    later block that holds such advice is dropped whole, as it is about the CLI.
    """
    out: list[tuple] = []
    for n, block in enumerate(blocks):
        if n == 0 and block[0] == "p":
            kept = [s for s in _sentences(block[1]) if not _is_cli(inline_text(s), _codes(s))]
            if kept:
                joined = [item for sentence in kept for item in sentence]
                out.append(("p", _trim(joined)))
            continue
        if not _block_is_cli(block):
            out.append(block)
    return out


def inline_text(inlines: list[tuple]) -> str:
    """Plain text of inline runs, whitespace collapsed."""
    parts: list[str] = []
    for item in inlines:
        kind = item[0]
        if kind in ("text", "code"):
            parts.append(item[1])
        elif kind == "link":
            parts.append(inline_text(item[2]))
        else:
            parts.append(inline_text(item[1]))
    return " ".join("".join(parts).split())


def plain_text(html: str) -> str:
    """All text of ``html`` on one line."""
    return " ".join(_plain(parse_html(html)).split())


@functools.lru_cache(maxsize=16384)
def first_sentence(html: str) -> str:
    """The first sentence of the docs, without its final period (paws' page title)."""
    blocks = to_blocks(html)
    text = ""
    for block in blocks:
        if block[0] == "p":
            text = inline_text(block[1])
            break
    match = re.search(r"^(.+?[.!?])(\s|$)", text)
    sentence = match.group(1) if match else text
    return sentence.rstrip(".").strip()


# -- plain text (Python docstrings) ------------------------------------------------------

# Typographic characters that linters flag as confusable in docstrings.
ASCII = str.maketrans(
    {
        "\u2013": "-",
        "\u2014": "-",
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u00a0": " ",
        "\u2011": "-",
    }
)
_ASCII = ASCII


def wrap(text: str, width: int = 80, first: str = "", rest: str = "") -> list[str]:
    """``text`` wrapped at ``width`` as it is (no character changes); long words unbroken."""
    return _wrap(text, width, first, rest)


def wrap_text(text: str, width: int = 88, first: str = "", rest: str | None = None) -> list[str]:
    """Plain ``text`` wrapped at ``width`` (``first``/``rest`` indents); code spans never split."""
    return _wrap(text.translate(ASCII), width, first, first if rest is None else rest)


def _text_inline(inlines: list[tuple]) -> str:
    parts: list[str] = []
    for item in inlines:
        kind = item[0]
        if kind == "text":
            parts.append(item[1])
        elif kind == "code":
            parts.append(f"``{_nobreak(item[1])}``")
        elif kind == "link":
            label = _text_inline(item[2])
            parts.append(label if label.strip() == item[1] else f"{label} ({item[1]})")
        else:
            parts.append(_text_inline(item[1]))
    return " ".join("".join(parts).split()).translate(_ASCII)


@functools.lru_cache(maxsize=16384)
def to_text(
    html: str, width: int = 88, indent: str = "", lead: str | None = None, blob: bool = False
) -> str:
    """Render docs as wrapped plain text (paragraphs, ``-`` bullets, notes).

    ``lead`` replaces the indent of the first line (``"    Arg: "``): the first paragraph
    wraps around it. ``blob``: the docs of a blob argument, without CLI-only advice
    (:func:`without_cli`).
    """
    blocks = to_blocks(html)
    lines = _text_blocks(without_cli(blocks) if blob else blocks, width, indent, lead)
    if lead is not None and (not lines or not lines[0].startswith(lead)):
        lines = [lead.rstrip(), *lines]
    return "\n".join(lines).rstrip()


def _text_blocks(
    blocks: list[tuple], width: int, indent: str, lead: str | None = None
) -> list[str]:
    out: list[str] = []
    for n, block in enumerate(blocks):
        kind = block[0]
        if out and out[-1] != "":
            out.append("")
        if kind == "p":
            first = lead if n == 0 and lead is not None else indent
            out.extend(_wrap(_text_inline(block[1]), width, first, indent))
        elif kind == "list":
            for n, item in enumerate(block[2], start=1):
                bullet = f"{n}. " if block[1] else "- "
                inner = _text_blocks(item, width, indent + " " * len(bullet))
                inner = [line for line in inner if line != ""] or [indent + " " * len(bullet)]
                first = inner[0]
                inner[0] = indent + bullet + first[len(indent) + len(bullet) :]
                out.extend(inner)
        elif kind == "note":
            inner = _text_blocks(block[2], width, indent + "    ")
            out.append(f"{indent}{block[1]}:")
            out.extend(inner)
        elif kind == "pre":
            out.extend(indent + "    " + line for line in block[1].splitlines())
        elif kind == "dl":
            for term, body in block[1]:
                out.append(indent + _text_inline(term))
                out.extend(_text_blocks(body, width, indent + "    "))
    while out and out[-1] == "":
        out.pop()
    return out


def _nobreak(code: str) -> str:
    """Mark spaces inside code so that wrapping never splits a code span."""
    return code.replace(" ", _NBSP)


_NBSP = "\x00"
_LEAD = "\x01"  # stands for text already on the line; removed after wrapping


def _wrap(text: str, width: int, first: str, rest: str) -> list[str]:
    lines = textwrap.wrap(
        text,
        width=max(width, len(first) + 20),
        initial_indent=first,
        subsequent_indent=rest,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [first.rstrip()]
    return [line.replace(_NBSP, " ") for line in lines]


# -- Rd (R documentation) -----------------------------------------------------------------


def rd_escape(text: str) -> str:
    """Escape text for an Rd text section: backslash, percent and braces."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("{", "\\{").replace("}", "\\}")


def _rd_inline(inlines: list[tuple]) -> str:
    parts: list[str] = []
    for item in inlines:
        kind = item[0]
        if kind == "text":
            parts.append(rd_escape(item[1]))
        elif kind == "code":
            parts.append(_rd_code_span(item[1]))
        elif kind == "strong":
            parts.append(f"\\strong{{{_rd_inline(item[1]).strip()}}}")
        elif kind == "emph":
            parts.append(f"\\emph{{{_rd_inline(item[1]).strip()}}}")
        elif kind == "link":
            label = _rd_inline(item[2]).strip()
            url = item[1].replace("\\", "\\\\").replace("%", "\\%")
            parts.append(f"\\href{{{url}}}{{{label}}}")
    return " ".join("".join(parts).split())


def _rd_code_span(code: str) -> str:
    """``\\code{}`` where Rd's R-like parsing reads it back unchanged, else ``\\verb{}``.

    \\code is parsed as R: quotes start strings in which brace escapes show literally,
    so code with braces, backslashes or unbalanced quotes goes to verbatim \\verb.
    """
    if any(c in code for c in "{}\\") or code.count("'") % 2 or code.count('"') % 2:
        return f"\\verb{{{_nobreak(rd_escape(code))}}}"
    escaped = _nobreak(code.replace("%", "\\%"))
    return f"\\code{{{escaped}}}"


@functools.lru_cache(maxsize=16384)
def to_rd(html: str, width: int = 80, lead: int = 0, blob: bool = False) -> str:
    """Render docs as Rd markup: paragraphs, itemize/enumerate, code, strong, href, notes.

    ``lead`` is how many characters the line already holds before the text starts
    (``\\item{Name}{``): the first paragraph's first line is that much shorter.
    ``blob``: the docs of a blob argument, without CLI-only advice (:func:`without_cli`).
    """
    blocks = to_blocks(html)
    lines = _rd_blocks(without_cli(blocks) if blob else blocks, width, lead)
    return "\n".join(lines).strip()


def _rd_blocks(blocks: list[tuple], width: int, lead: int = 0) -> list[str]:
    out: list[str] = []
    for n, block in enumerate(blocks):
        kind = block[0]
        if out and out[-1] != "":
            out.append("")
        if kind == "p":
            first = _LEAD * lead if n == 0 else ""
            lines = _wrap(_rd_inline(block[1]), width, first, "")
            lines[0] = lines[0].replace(_LEAD, "")
            out.extend(lines)
        elif kind == "list":
            out.append("\\enumerate{" if block[1] else "\\itemize{")
            for item in block[2]:
                inner = [line for line in _rd_blocks(item, width) if line != ""]
                out.append("\\item " + inner[0])
                out.extend(inner[1:])
            out.append("}")
        elif kind == "note":
            inner = _rd_blocks(block[2], width)
            out.append(f"\\strong{{{block[1]}:}}")
            out.extend(inner)
        elif kind == "pre":
            out.append("\\preformatted{" + rd_escape(block[1]) + "}")
        elif kind == "dl":
            out.append("\\describe{")
            for term, body in block[1]:
                text = " ".join(line for line in _rd_blocks(body, width) if line)
                out.append(f"\\item{{{_rd_inline(term)}}}{{{text}}}")
            out.append("}")
    while out and out[-1] == "":
        out.pop()
    return out

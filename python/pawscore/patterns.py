"""Model ``pattern`` traits (Java/ECMAScript regex syntax) for the ``regex`` module.

AWS writes patterns in Java's dialect: ``\\uXXXX`` escapes (with UTF-16 surrogate
pairs for the supplementary planes), ``\\p{L}``-style Unicode categories, Java's
ASCII POSIX classes (``\\p{Alnum}``) and ASCII ``\\w``/``\\d``/``\\s``. Python's ``re``
cannot compile ``\\p{..}`` at all, and no engine reads every Java form alike, so
the pattern is translated first, by the same rules as the R runtime
(``r/pawscore/R/patterns.R``): each construct becomes one both engines read the
same way, and a construct that has no such form (lookups the engines disagree
on, class intersections, lone surrogates, ``\\b``) makes the whole pattern
unsupported, which both runtimes then skip rather than guess at.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import regex

# Java's POSIX classes are ASCII-only (without UNICODE_CHARACTER_CLASS), as are
# \w \d \s in Java and in PCRE without UCP: code point ranges, written out in
# each engine's syntax so that both read exactly the same set.
Ranges = tuple[tuple[int, int], ...]
_POSIX: dict[str, Ranges] = {
    "Lower": ((0x61, 0x7A),),
    "Upper": ((0x41, 0x5A),),
    "ASCII": ((0x00, 0x7F),),
    "Alpha": ((0x41, 0x5A), (0x61, 0x7A)),
    "Digit": ((0x30, 0x39),),
    "Alnum": ((0x30, 0x39), (0x41, 0x5A), (0x61, 0x7A)),
    "Punct": ((0x21, 0x2F), (0x3A, 0x40), (0x5B, 0x60), (0x7B, 0x7E)),
    "Graph": ((0x21, 0x7E),),
    "Print": ((0x20, 0x7E),),
    "Blank": ((0x09, 0x09), (0x20, 0x20)),
    "Cntrl": ((0x00, 0x1F), (0x7F, 0x7F)),
    "XDigit": ((0x30, 0x39), (0x41, 0x46), (0x61, 0x66)),
    "Space": ((0x09, 0x0D), (0x20, 0x20)),
}
_SHORTHAND: dict[str, Ranges] = {
    "w": ((0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)),
    "d": ((0x30, 0x39),),
    "s": ((0x09, 0x0D), (0x20, 0x20)),
}
_CATEGORIES = frozenset(
    "L Lu Ll Lt Lm Lo M Mn Mc Me N Nd Nl No P Pc Pd Ps Pe Pi Pf Po "
    "S Sm Sc Sk So Z Zs Zl Zp C Cc Cf Cs Co Cn".split()
)
# \A is the start of the input in both engines; the rest are plain characters.
_KEPT_ESCAPES = frozenset("tnrfaeA0123456789")
_HEX4 = re.compile(r"[0-9A-Fa-f]{4}")


class Unsupported(Exception):
    """The pattern uses a construct the two runtimes cannot read alike."""


def _code_point(cp: int) -> str:
    return f"\\u{cp:04x}" if cp < 0x10000 else f"\\U{cp:08x}"


def _complement(ranges: Ranges) -> Ranges:
    out, start = [], 0
    for lo, hi in ranges:
        if lo > start:
            out.append((start, lo - 1))
        start = hi + 1
    if start <= 0x10FFFF:
        out.append((start, 0x10FFFF))
    return tuple(out)


def _class_text(ranges: Ranges, negated: bool, in_class: bool) -> str:
    """A set of code points: bare items inside a class, a bracketed class outside."""
    if negated and in_class:
        ranges, negated = _complement(ranges), False
    items = "".join(
        _code_point(lo) if lo == hi else f"{_code_point(lo)}-{_code_point(hi)}" for lo, hi in ranges
    )
    if in_class:
        return items
    return f"[{'^' if negated else ''}{items}]"


def translate(pattern: str) -> str | None:
    """The pattern in ``regex`` syntax, or None when it is not supported."""
    try:
        return "".join(_tokens(pattern))
    except Unsupported:
        return None


def _tokens(p: str) -> list[str]:
    out: list[str] = []
    i, n = 0, len(p)
    in_class = False
    class_start = False  # just after "[" or "[^": a "]" here is a literal
    after_quantifier = after_anchor = False
    while i < n:
        c = p[i]
        if c == "\\":
            if i + 1 >= n:
                raise Unsupported("trailing backslash")
            is_class = p[i + 1] in "pPwWdDsS"
            token, i = _escape(p, i, in_class)
            out.append(token)
            if in_class and is_class and p.startswith("-", i) and not p.startswith("-]", i):
                # "-" after a class escape (\p{Z}-_, \w-.) is a literal in Java.
                out.append("\\-")
                i += 1
            class_start = after_quantifier = after_anchor = False
            continue
        if in_class:
            if c == "]" and not class_start:
                in_class = False
            elif c == "[" or p.startswith("&&", i):
                raise Unsupported("nested class or class intersection")
            class_start = False
            out.append(c)
            i += 1
            continue
        if c == "[":
            in_class = class_start = True
            after_quantifier = after_anchor = False
            out.append(c)
            i += 1
            if i < n and p[i] == "^":
                out.append("^")
                i += 1
            continue
        if c == "{" and after_quantifier and i + 1 < n and p[i + 1].isdigit():
            raise Unsupported("a quantifier on a quantifier")
        quantifier_end = _quantifier_end(p, i)
        if quantifier_end:
            if after_anchor:
                raise Unsupported("a quantifier on an anchor")
            out.append(p[i:quantifier_end])
            i = quantifier_end
            after_quantifier = True
            continue
        after_quantifier = False
        after_anchor = c in "^$"
        out.append(c)
        i += 1
    if in_class:
        raise Unsupported("unterminated class")
    return out


def _quantifier_end(p: str, i: int) -> int:
    """End of the quantifier at ``i`` (with a lazy/possessive suffix), or 0."""
    if p[i] in "*+?":
        end = i + 1
    else:
        match = re.match(r"\{\d+(,\d*)?\}", p[i:])
        if not match:
            return 0
        end = i + match.end()
    if end < len(p) and p[end] in "?+":
        end += 1
    return end


def _escape(p: str, i: int, in_class: bool) -> tuple[str, int]:
    """Translate the escape at ``p[i]`` (a backslash); returns (text, next index)."""
    c = p[i + 1]
    if c == "u":
        cp, end = _hex4(p, i + 2)
        if 0xD800 <= cp <= 0xDBFF and p.startswith("\\u", end):
            low, after = _hex4(p, end + 2)
            if 0xDC00 <= low <= 0xDFFF:
                return _code_point(0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00)), after
        if 0xD800 <= cp <= 0xDFFF:
            raise Unsupported("lone surrogate")
        return _code_point(cp), end
    if c == "x":
        match = re.match(r"\{([0-9A-Fa-f]{1,6})\}|([0-9A-Fa-f]{2})", p[i + 2 :])
        if not match:
            raise Unsupported("bad \\x escape")
        cp = int(match.group(1) or match.group(2), 16)
        if 0xD800 <= cp <= 0xDFFF or cp > 0x10FFFF:
            raise Unsupported("not a code point")
        return _code_point(cp), i + 2 + match.end()
    if c in "pP":
        match = re.match(r"\{(\w+)\}", p[i + 2 :])
        if not match:
            raise Unsupported("bad property")
        return _property(match.group(1), negated=c == "P", in_class=in_class), i + 2 + match.end()
    if c.lower() in _SHORTHAND:
        return _class_text(_SHORTHAND[c.lower()], c.isupper(), in_class), i + 2
    if c.isalpha() and c not in _KEPT_ESCAPES:
        # \b \B \Q \E \z \Z \A \v \h \R \k \G \N \X \c ...: read differently or not at all.
        raise Unsupported(f"\\{c}")
    if c.isdigit() and in_class:
        raise Unsupported("octal or backreference inside a class")
    return p[i : i + 2], i + 2


def _hex4(p: str, i: int) -> tuple[int, int]:
    if not _HEX4.match(p, i):
        raise Unsupported("bad \\u escape")
    return int(p[i : i + 4], 16), i + 4


def _property(name: str, negated: bool, in_class: bool) -> str:
    category = name[2:] if name.startswith("Is") and name[2:] in _CATEGORIES else name
    if category in _CATEGORIES:
        return f"\\{'P' if negated else 'p'}{{{category}}}"
    if name in _POSIX:
        return _class_text(_POSIX[name], negated, in_class)
    raise Unsupported(f"property {name}")


@functools.lru_cache(maxsize=1024)
def compiled(pattern: str) -> Any:
    """The compiled pattern, or None when it is unsupported or does not compile."""
    translated = translate(pattern)
    if translated is None:
        return None
    try:
        return regex.compile(translated)
    except regex.error:
        return None


def full_match(pattern: str, value: str) -> bool | None:
    """Whether ``value`` matches all of ``pattern``; None when the pattern is skipped."""
    rx = compiled(pattern)
    if rx is None:
        return None
    return rx.fullmatch(value) is not None


__all__ = ["Unsupported", "compiled", "full_match", "translate"]

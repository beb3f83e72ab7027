"""The generated page for InvokeWithResponseStream (1.31.0 model) carries the paws page's content."""

from __future__ import annotations

import re
from pathlib import Path

from codegen_helpers import SEED, rscript

# Characters that only differ by rendering (pkgdown vs Rd2txt): pilcrows, bullets,
# emphasis stars, code quotes, colons after argument names.
_NOISE = re.compile("[\\s¶•*:\u2018\u2019]")

ARGS = ("FunctionName", "InvocationType", "LogType", "ClientContext", "Qualifier", "Payload")

# The paws page was built from a model whose FunctionName doc already said
# "name or ARN"; botocore 1.31.0 still says "name". Everything else must match as is.
_KNOWN_WORDING = ("The name of the Lambda function.", "The name or ARN of the Lambda function.")


def _norm(text: str) -> str:
    return _NOISE.sub("", text)


def _between(text: str, start: str, end: str | None) -> str:
    head = text.index(start) + len(start)
    return text[head : text.index(end, head)] if end else text[head:]


def _rendered(lambda_old: tuple[Path, Path], tmp_path: Path) -> str:
    rd = lambda_old[1] / "man/lambda_invoke_with_response_stream.Rd"
    out = tmp_path / "page.txt"
    rscript(
        f'tools::Rd2txt("{rd}", out = "{out}", '
        "options = list(underline_titles = FALSE, code_quote = FALSE, itemBullet = '* '))"
    )
    return out.read_text(encoding="utf-8")


def test_page_matches_paws_seed(lambda_old: tuple[Path, Path], tmp_path: Path) -> None:
    seed = SEED.read_text(encoding="utf-8")
    ours = _rendered(lambda_old, tmp_path).replace(*_KNOWN_WORDING)

    # Title: the page's first line.
    seed_title = seed.splitlines()[2]
    ours_title = _between(ours, "", "Description:")
    assert _norm(ours_title) == _norm(seed_title)

    assert _norm(_between(ours, "Description:", "Usage:")) == _norm(
        _between(seed, "Description¶", "Usage¶")
    )

    # Arguments: the same six, in the same order, with the same text; ours adds .on_event.
    seed_args = _between(seed, "Arguments¶", "Value¶")
    ours_args = _between(ours, "Arguments:", "Value:")
    ours_model_args, on_event = ours_args.split(".on_event:")
    assert "callback" in on_event or "each event" in on_event
    for text in (seed_args, ours_model_args):
        at = 0
        for name in ARGS:  # each argument appears, in this order
            at = text.index(name, at) + len(name)
    assert _norm(ours_model_args) == _norm(seed_args)

    # Value: the same nested-list structure.
    seed_value = _between(seed, "Value¶", None)
    ours_value = _between(ours, "Value:", "Request syntax:")
    assert _norm(ours_value) == _norm(seed_value)
    assert "StatusCode = 123" in ours_value
    assert "Payload = raw" in ours_value


def test_usage_lists_model_arguments_in_order(
    lambda_old: tuple[Path, Path], tmp_path: Path
) -> None:
    usage = _between(_rendered(lambda_old, tmp_path), "Usage:", "Arguments:")
    names = re.findall(r"(\.?\w+)(?: = NULL)?[,)]", usage)
    assert names == [*ARGS, ".on_event"]
    assert "TenantId" not in usage

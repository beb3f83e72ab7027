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

# Where the page departs from paws' on purpose (issue 12): Payload loses the AWS CLI's
# advice (file://, --payload) and says what R takes instead; the Value shows the event
# stream as the runtime returns it, one one-member list per event, and says so in words.
_CLI_ADVICE = (
    'You can enter the JSON directly. For example, --payload \'{ "key": "value" }\'. '
    "You can also specify a file path. For example, --payload file://payload.json."
)
_BLOB_NOTE = "A raw vector, or a character string (sent as its UTF-8 bytes)."
_PAWS_EVENTS = "EventStream = list(PayloadChunk = list(Payload = raw), InvokeComplete = list("
_OUR_EVENTS = (
    "EventStream = list(list(PayloadChunk = list(Payload = raw)), ..., list(InvokeComplete = list("
)


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
    assert _norm(_CLI_ADVICE) in _norm(seed_args)
    assert _norm(ours_model_args) == _norm(seed_args).replace(_norm(_CLI_ADVICE), _norm(_BLOB_NOTE))
    assert "file://" not in ours_args and "--payload" not in ours_args

    # Value: the same nested-list structure.
    seed_value = _between(seed, "Value¶", None)
    ours_value = _between(ours, "Value:", "Request syntax:")
    expected = (
        _norm(seed_value)
        .replace(_norm(_PAWS_EVENTS), _norm(_OUR_EVENTS))
        .replace(_norm('LogResult = "string"))'), _norm('LogResult = "string")))'))
    )
    assert _norm(_OUR_EVENTS) in expected
    assert _norm(ours_value).startswith(expected)
    assert "one entry per event" in " ".join(ours_value.split())
    assert "StatusCode = 123" in ours_value
    assert "Payload = raw" in ours_value


def test_usage_lists_model_arguments_in_order(
    lambda_old: tuple[Path, Path], tmp_path: Path
) -> None:
    usage = _between(_rendered(lambda_old, tmp_path), "Usage:", "Arguments:")
    names = re.findall(r"(\.?\w+)(?: = (?:NULL|FALSE))?[,)]", usage)
    assert names == [*ARGS, ".on_event", ".stream"]
    assert "TenantId" not in usage

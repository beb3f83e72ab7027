"""codegen/docs.py: model HTML to docstring text and to Rd."""

from __future__ import annotations

from pathlib import Path

from codegen_helpers import rscript

from codegen import docs

HTML = (
    "<p>Use <code>RequestResponse</code> or <b>bold</b> and <i>it</i>; see "
    '<a href="https://example.com/a%20b">the guide</a>. 50% of {braces} and a back\\slash.</p>'
    " <ul> <li> <p>One \u2013 first</p> </li> <li> <p>Two</p> </li> </ul>"
    " <note> <p>Careful.</p> </note>"
)


def test_text_keeps_paragraphs_lists_links_and_code() -> None:
    text = docs.to_text(HTML, width=60)
    assert text.splitlines()[0].startswith("Use ``RequestResponse`` or bold and it; see")
    assert "the guide (https://example.com/a%20b)" in " ".join(text.split())
    assert "\n- One - first\n- Two\n" in text  # en dash made ASCII for docstrings
    assert text.endswith("Note:\n    Careful.")
    assert all(len(line) <= 60 for line in text.splitlines())


def test_first_sentence_is_the_title() -> None:
    assert docs.first_sentence("<p>Creates a pet. Then more.</p>") == "Creates a pet"
    assert docs.first_sentence("") == ""


def test_rd_markup_and_escaping() -> None:
    rd = docs.to_rd(HTML)
    assert "\\code{RequestResponse}" in rd
    assert "\\strong{bold}" in rd and "\\emph{it}" in rd
    assert "\\href{https://example.com/a\\%20b}{the guide}" in rd
    assert "50\\% of \\{braces\\} and a back\\\\slash." in " ".join(rd.split())
    assert "\\itemize{\n\\item One \u2013 first\n\\item Two\n}" in rd
    assert "\\strong{Note:}\nCareful." in rd


def test_code_with_braces_or_odd_quotes_goes_verbatim() -> None:
    assert docs.to_rd("<p><code>'{ \"k\": 1 }'</code></p>") == "\\verb{'\\{ \"k\": 1 \\}'}"
    assert docs.to_rd("<p><code>it's</code></p>") == "\\verb{it's}"
    assert docs.to_rd("<p><code>a 5%</code></p>") == "\\code{a 5\\%}"


def test_rd_renders_back_to_the_same_text(tmp_path: Path) -> None:
    html = (
        '<p>Pass <code>--payload \'{ "key": "value" }\'</code> or <code>it\'s</code>; '
        "50% {x} back\\slash caf\u00e9.</p>"
    )
    page = tmp_path / "t.Rd"
    page.write_text(
        "\\name{t}\\alias{t}\\title{T}\n\\description{\n" + docs.to_rd(html) + "\n}\n",
        encoding="utf-8",
    )
    out = rscript(
        f'tools::Rd2txt("{page}", options = list(underline_titles = FALSE, code_quote = FALSE))'
    )
    flat = " ".join(out.split())
    assert 'Pass --payload \'{ "key": "value" }\' or it\'s; 50% {x} back\\slash caf\u00e9.' in flat

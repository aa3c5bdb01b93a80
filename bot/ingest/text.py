"""Text repair (encoding damage, Markdown marks, white space) and what a line is: a heading and its
topic, page chrome, the end of the article.
"""

from __future__ import annotations

import re
import unicodedata

import ftfy

# --------------------------------------------------------------------------------------------
# Headings and topics

OVERVIEW = "overview"

# canonical topic id -> accepted headings (compared after _heading_key normalisation)
CANONICAL_TOPICS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "how_performed",
        ("how the test is performed", "how the test is done", "how the procedure is performed"),
    ),
    ("preparation", ("how to prepare for the test", "how to prepare", "preparing for the test")),
    ("sensation", ("how the test will feel", "how the test feels", "how will the test feel")),
    ("purpose", ("why the test is performed", "why the test is done")),
    ("normal_results", ("normal results", "normal result")),
    ("abnormal_results", ("what abnormal results mean", "abnormal results")),
    ("risks", ("risks", "risk")),
    ("alternative_names", ("alternative names", "alternate names", "other names")),
)
# sections dropped up to the next known heading
DROPPED_HEADINGS = frozenset({"images", "image", "pictures", "videos", "video"})
# headings after which the rest of the file is page furniture
TERMINATOR_HEADINGS = frozenset({"references", "reference", "bibliography"})
_REVIEW_HEADING = re.compile(r"^review date\b")

# whole lines that are page chrome, wherever they appear
_CHROME_LINE = re.compile(
    r"""^(?:
        to\ use\ the\ sharing\ features\b.*
      | skip\ (?:the\ |to\ )?(?:(?:main|page|primary)\ )*(?:content|navigation|banner|menu)\b.*
      | page\ content\ navigation
      | page\ banner
      | primary\ navigation
      | the\ navigation\ menu\ has\ been\ collapsed\.?
      | want\ to\ speak\ to\ a\ specialist\ cancer\ nurse\?.*
      | home\s*(?:->|\u2192|\u203a|>|\u00bb).*
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
# lines where the article ends and page furniture (review block, footer) begins
_STOP_LINE = re.compile(
    r"""^(?:
        updated\ by:
      | learn\ how\ to\ cite\ this\ page
      | a\.d\.a\.m\.,\ inc\.\ is\ accredited
      | the\ information\ provided\ herein\ should\ not
      | copyright\s+(?:\u00a9|\(c\)|\d{4})
      | \u00a9\s*\d{4}
      | page\ last\ (?:updated|modified)
      | content\ last\ reviewed
      | the\ best\ cancer\ information\ for\ everyone
    )""",
    re.IGNORECASE | re.VERBOSE,
)

# --------------------------------------------------------------------------------------------
# Text repair

_FTFY_CONFIG = ftfy.TextFixerConfig(
    uncurl_quotes=False,  # keep the document's quotes as they are
    fix_latin_ligatures=False,
    fix_character_width=False,
    explain=False,
)
_IMAGE_MD = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK_MD = re.compile(r"\[([^\]]*)\]\((?:[^()\s]|\([^()\s]*\))*\)")
_STRONG_MD = re.compile(r"(?<![\\\w])(\*\*|__)(?=\S)(.+?)(?<=\S)\1(?!\w)")
_EMPH_STAR = re.compile(r"(?<![\\\w*])\*(?=[^\s*])([^*]*?[^\s\\*])?\*(?![\w*])")
_EMPH_UNDERSCORE = re.compile(r"(?<![\\\w])_(?=[^\s_])([^_]*?[^\s\\_])?_(?!\w)")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>~|])")
_WHITESPACE = re.compile(r"\s+")
_BULLET = re.compile(r"^\s*[*+\-\u2022\u25cf\u25aa]\s+(\S.*)$")
_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s+$")


def _repair(text: str) -> str:
    """Repair mojibake (``WaldenstrÃ¶m`` -> ``Waldenström``) and line breaks."""
    text = ftfy.fix_text(text, _FTFY_CONFIG)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _clean_inline(text: str) -> str:
    """Strip markdown images, links and emphasis, and collapse whitespace."""
    text = _IMAGE_MD.sub("", text)
    text = _LINK_MD.sub(r"\1", text)
    text = _STRONG_MD.sub(r"\2", text)
    text = _EMPH_STAR.sub(lambda m: m.group(1) or "", text)
    text = _EMPH_UNDERSCORE.sub(lambda m: m.group(1) or "", text)
    text = _MD_ESCAPE.sub(r"\1", text)
    return _WHITESPACE.sub(" ", text).strip()


def _ascii_fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def _slug(text: str, sep: str = "-") -> str:
    return re.sub(r"[^a-z0-9]+", sep, _ascii_fold(text).lower()).strip(sep)


def _heading_key(text: str) -> str:
    return _slug(text, " ")


def _classify_heading(text: str) -> tuple[str, str | None]:
    """("drop", None) | ("known", topic) | ("other", slug topic)."""
    key = _heading_key(text)
    if key in DROPPED_HEADINGS:
        return "drop", None
    for topic, variants in CANONICAL_TOPICS:
        if key in variants:
            return "known", topic
    return "other", _slug(text, "_") or "section"


def _is_chrome(text: str, drop_lines: frozenset[str] = frozenset()) -> bool:
    return bool(text) and (text in drop_lines or bool(_CHROME_LINE.match(text)))


def _is_end(text: str) -> bool:
    """True for a line where the article ends (references, review block, footer)."""
    key = _heading_key(text)
    return (
        key in TERMINATOR_HEADINGS
        or bool(_REVIEW_HEADING.match(key))
        or bool(_STOP_LINE.match(text))
    )


def _looks_like_heading(text: str) -> bool:
    """A bare line that could be a section heading in a plain-text document."""
    return (
        0 < len(text) <= 80
        and len(text.split()) <= 12
        and (text[0].isupper() or text[0].isdigit())
        and not text.endswith((".", ",", ";", ":", "!"))
        and ". " not in text
        and not re.search(r"https?://|www\.", text)
    )

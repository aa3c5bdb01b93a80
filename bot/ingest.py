"""Write side of the knowledge base: ingest the source documents into structured YAML.

Usage (``make ingest`` runs the first form)::

    python -m bot.ingest [--documents DIR] [--output FILE]
    python -m bot.ingest --check      # exit 1 if the committed YAML is stale

Every file in ``documents/`` (``.txt`` or ``.md``, UTF-8) is parsed into a
:class:`bot.knowledge.Document`; ``documents/sources.yml`` holds provenance and optional
metadata overrides per file. Two MedlinePlus-like layouts are recognised automatically:

* Markdown: ``# Title``, ``## Section`` headings, hard-wrapped lines, ``*``/``-`` bullets;
* plain text: a ``URL of this page:`` line, the title on the next line, bare heading lines
  ("How the Test is Performed"), ``-`` bullets, one paragraph per line.

A document without headings can be split into sections by ``split`` rules in sources.yml.
The text is kept verbatim (only encoding damage, line wrapping, markdown syntax and whitespace
are repaired) because the bot quotes it to patients. Page chrome (navigation, banners, images,
references, review block, accreditation, disclaimers, copyright, footer) is dropped.

All documents are built in memory first; the output file is replaced atomically and only if
every document parsed, so a bad file never damages the existing knowledge base.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime
import hashlib
import os
import re
import sys
import tempfile
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import ftfy
import yaml

from bot import PROJECT_ROOT
from bot.knowledge import BULLETS, DEFAULT_PATH, PARAGRAPH, Block, Document, KnowledgeBase, Section
from bot.procedures import TEST_LEAFLET_TOPICS, names_from_alternative_names, normalize_surface

DOCUMENTS_DIR = PROJECT_ROOT / "documents"
SOURCES_FILE = "sources.yml"
ACCEPTED_SUFFIXES = (".txt", ".md")

HEADER = """\
# GENERATED FILE - DO NOT EDIT BY HAND.
# Built by `make ingest` (python -m bot.ingest) from the source documents in documents/
# and their metadata in documents/sources.yml. To change it, edit those and run `make ingest`;
# `python -m bot.ingest --check` fails when this file is out of date.
"""

__all__ = [
    "ACCEPTED_SUFFIXES",
    "DOCUMENTS_DIR",
    "IngestError",
    "build",
    "dumps",
    "main",
    "parse_document",
    "stale_problems",
    "write",
]


class IngestError(Exception):
    """A source document (or sources.yml) that cannot be ingested.

    ``file`` is the offending file, ``reason`` says what is wrong; ``str()`` is "<file>: <reason>".
    """

    def __init__(self, file: str | os.PathLike[str], reason: str) -> None:
        self.file = _display_path(file)
        self.reason = reason
        super().__init__(f"{self.file}: {reason}")

    def __str__(self) -> str:
        return f"{self.file}: {self.reason}"


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


# --------------------------------------------------------------------------------------------
# Blocks


def _blocks_from_lines(lines: Sequence[str]) -> list[Block]:
    """Paragraphs (wrapped lines joined) and bullet lists (wrapped items joined).

    A blank line ends a paragraph or a list item; bullet lists separated only by blank lines
    are one list.
    """
    blocks: list[Block] = []
    paragraph: list[str] = []
    items: list[str] = []

    def flush_paragraph() -> None:
        text = _clean_inline(" ".join(paragraph))
        paragraph.clear()
        if text:
            blocks.append(Block.paragraph(text))

    def flush_items() -> None:
        cleaned = [text for text in (_clean_inline(item) for item in items) if text]
        items.clear()
        if not cleaned:
            return
        if blocks and blocks[-1].kind == BULLETS:
            blocks[-1] = Block.bullets(blocks[-1].items + tuple(cleaned))
        else:
            blocks.append(Block.bullets(cleaned))

    for raw in lines:
        line = raw.strip()
        if not line:
            flush_paragraph()
            flush_items()
            continue
        bullet = _BULLET.match(raw)
        if bullet:
            flush_paragraph()
            items.append(bullet.group(1))
        elif items:
            items[-1] = f"{items[-1]} {line}"
        else:
            paragraph.append(line)
    flush_paragraph()
    flush_items()
    return blocks


@dataclass
class _RawSection:
    topic: str
    heading: str
    lines: list[str] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)


# --------------------------------------------------------------------------------------------
# Layouts


def _parse_markdown(
    lines: list[str], title_index: int, drop_lines: frozenset[str]
) -> tuple[str, list[_RawSection]]:
    title_match = _MD_HEADING.match(lines[title_index])
    assert title_match is not None
    title = _clean_inline(title_match.group(2))
    sections = [_RawSection(OVERVIEW, title)]
    skipping = False
    for raw in lines[title_index + 1 :]:
        heading = _MD_HEADING.match(raw)
        text = _clean_inline(heading.group(2) if heading else raw)
        if text and not _BULLET.match(raw) and _is_end(text):
            break
        if heading:
            kind, topic = _classify_heading(text)
            skipping = kind == "drop"
            if not skipping and topic is not None:
                sections.append(_RawSection(topic, text))
            continue
        if skipping or _is_chrome(text, drop_lines):
            continue
        sections[-1].lines.append(raw)
    return title, sections


def _parse_plain(
    lines: list[str], title_index: int, drop_lines: frozenset[str]
) -> tuple[str, list[_RawSection]]:
    title = _clean_inline(lines[title_index])
    sections = [_RawSection(OVERVIEW, title)]
    body = lines[title_index + 1 :]
    skipping = False
    last_was_heading = True  # the title: the line right after it is never a heading
    for index, raw in enumerate(body):
        text = _clean_inline(raw)
        if not text:
            sections[-1].lines.append(raw)
            continue
        is_bullet = bool(_BULLET.match(raw))
        if not is_bullet and _is_end(text):
            break
        if _is_chrome(text, drop_lines):
            continue
        heading_kind = None
        if not is_bullet:
            kind, topic = _classify_heading(text)
            standalone = (index == 0 or not body[index - 1].strip()) and (
                index + 1 == len(body) or not body[index + 1].strip()
            )
            if kind in ("known", "drop") or (
                kind == "other"
                and not skipping
                and not last_was_heading
                and standalone
                and _looks_like_heading(text)
            ):
                heading_kind = kind
        last_was_heading = heading_kind is not None
        if heading_kind is not None:
            skipping = heading_kind == "drop"
            if not skipping and topic is not None:
                sections.append(_RawSection(topic, text))
            continue
        if not skipping:
            sections[-1].lines.append(raw)
    return title, sections


@dataclass(frozen=True)
class _SplitRule:
    topic: str
    heading: str
    starts: str


def _find_sentence_start(text: str, starts: str) -> int:
    position = text.find(starts)
    while position >= 0:
        if position == 0 or _SENTENCE_END.search(text[:position]):
            return position
        position = text.find(starts, position + 1)
    return -1


def _parse_split(
    path: Path, lines: list[str], rules: list[_SplitRule], drop_lines: frozenset[str]
) -> list[_RawSection]:
    """Sections of a document without headings, cut where each rule's words start.

    Text before the first rule's words (page chrome, title) is dropped, and so is everything
    from the first end-of-article line after it (review dates, footer).
    """
    stream: list[Block | None] = []  # None marks an end-of-article line
    chunk: list[str] = []
    for raw in lines:
        text = _clean_inline(raw)
        if _is_chrome(text, drop_lines):
            continue
        if text and not _BULLET.match(raw) and _STOP_LINE.match(text):
            stream.extend(_blocks_from_lines(chunk))
            stream.append(None)
            chunk = []
            continue
        chunk.append(raw)
    stream.extend(_blocks_from_lines(chunk))

    pending = list(rules)
    sections: list[_RawSection] = []
    for block in stream:
        if block is None:
            if sections:
                break
            continue
        if block.kind == PARAGRAPH:
            text = block.text
            while pending:
                position = _find_sentence_start(text, pending[0].starts)
                if position < 0:
                    break
                before, text = text[:position].strip(), text[position:]
                if before and sections:
                    sections[-1].blocks.append(Block.paragraph(before))
                rule = pending.pop(0)
                sections.append(_RawSection(rule.topic, rule.heading))
            if text.strip() and sections:
                sections[-1].blocks.append(Block.paragraph(text.strip()))
        else:
            if pending and block.items[0].startswith(pending[0].starts):
                rule = pending.pop(0)
                sections.append(_RawSection(rule.topic, rule.heading))
            if sections:
                sections[-1].blocks.append(block)
    if pending:
        rule = pending[0]
        raise IngestError(
            path,
            f"split rule for topic '{rule.topic}': the words {rule.starts!r} were not found at "
            "the start of a sentence or bullet (rules must follow the document's order)",
        )
    for section in sections:
        if not section.blocks:
            raise IngestError(path, f"split rule for topic '{section.topic}' gives no text")
    return sections


# --------------------------------------------------------------------------------------------
# Metadata

_URL_LINE = re.compile(r"^\s*URL of this page:\s*(\S.*?)\s*$", re.IGNORECASE | re.MULTILINE)
_LINK_LINE = re.compile(r"^\s*Link:\s*(\S+)", re.IGNORECASE | re.MULTILINE)
_REVIEW_LINE = re.compile(
    r"^\s*(?:#+\s*)?(?:Review Date|(?:Content )?last reviewed)\s*:?\s*(\S.*?)\s*$",
    re.IGNORECASE | re.MULTILINE,
)
_DATE_FORMATS = ("%m/%d/%Y", "%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%Y-%m-%d")
MEDLINEPLUS_ENCYCLOPEDIA = "MedlinePlus Medical Encyclopedia (U.S. National Library of Medicine)"
_KNOWN_HOSTS = {"medlineplus.gov": "MedlinePlus (U.S. National Library of Medicine)"}


def _normalise_url(value: str) -> str | None:
    value = value.strip()
    link = re.fullmatch(r"\[([^\]]*)\]\(([^)\s]*)\)", value)
    if link:
        text, target = link.groups()
        value = target if target.startswith(("http://", "https://", "//")) else text
    value = value.strip().rstrip(".,;")
    if value.startswith("//"):
        value = "https:" + value
    return value if re.match(r"https?://[^\s/]+", value) else None


def _detect_url(text: str) -> str | None:
    for pattern in (_URL_LINE, _LINK_LINE):
        for match in pattern.finditer(text):
            url = _normalise_url(match.group(1))
            if url:
                return url
    return None


def _source_for_url(url: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname or ""
    host = host[4:] if host.startswith("www.") else host
    if host == "medlineplus.gov" and "/ency/" in parts.path:
        return MEDLINEPLUS_ENCYCLOPEDIA
    return _KNOWN_HOSTS.get(host, host)


def _parse_date(text: str) -> datetime.date | None:
    for fmt in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


def _detect_review_date(text: str) -> tuple[datetime.date, str] | None:
    for match in _REVIEW_LINE.finditer(text):
        value = _clean_inline(match.group(1))
        date = _parse_date(value)
        if date is not None:
            return date, value
    return None


def _procedure(
    doc_id: str, title: str, sections: list[Section], options: dict[str, Any]
) -> tuple[str | None, str | None, tuple[str, ...]]:
    """The test a document describes: (id, display name, every name patients use), from the
    page (title, "Alternative Names") and the ``procedure*`` overrides in sources.yml. A page
    with none of the test leaflet's sections (how it is done, preparation, how it feels) is
    about no one test unless sources.yml says otherwise."""
    topics = {section.topic for section in sections}
    if "procedure" in options:
        procedure = options["procedure"]
    else:
        procedure = doc_id if topics & TEST_LEAFLET_TOPICS else None
    if procedure is None:
        return None, None, ()
    name = options.get("procedure_name") or normalize_surface(title)
    names = [name, normalize_surface(title)]
    for section in sections:
        if section.topic == "alternative_names":
            names += names_from_alternative_names(section.text(), title)
    names += options.get("procedure_names", [])
    return procedure, name, tuple(dict.fromkeys(n for n in map(normalize_surface, names) if n))


# --------------------------------------------------------------------------------------------
# Overrides from sources.yml

_OVERRIDE_KEYS = (
    "id",
    "title",
    "source",
    "url",
    "url_note",
    "review_date",
    "review_date_text",
    "procedure",
    "procedure_name",
    "procedure_names",
    "drop_lines",
    "split",
)
_ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_TOPIC_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")


def _checked_overrides(path: Path, overrides: dict[str, Any] | None) -> dict[str, Any]:
    if overrides is None:
        overrides = {}
    if not isinstance(overrides, dict):
        raise IngestError(path, "the overrides in sources.yml must be a mapping")
    unknown = sorted(set(overrides) - set(_OVERRIDE_KEYS))
    if unknown:
        raise IngestError(
            path,
            f"unknown override(s) {', '.join(unknown)} in sources.yml "
            f"(allowed: {', '.join(_OVERRIDE_KEYS)})",
        )
    checked = dict(overrides)
    for key in ("id", "title", "source", "url", "url_note", "review_date_text"):
        if key in checked and not (isinstance(checked[key], str) and checked[key].strip()):
            raise IngestError(path, f"override '{key}' in sources.yml must be non-empty text")
    if "id" in checked and not _ID_PATTERN.match(checked["id"]):
        raise IngestError(
            path, f"override 'id' must look like 'bone-marrow-biopsy': {checked['id']!r}"
        )
    if "url" in checked and _normalise_url(checked["url"]) is None:
        raise IngestError(path, f"override 'url' is not an http(s) address: {checked['url']!r}")
    if "procedure" in checked and checked["procedure"] is not None and not (
        isinstance(checked["procedure"], str) and _ID_PATTERN.match(checked["procedure"])
    ):
        raise IngestError(
            path,
            "override 'procedure' must be an id like 'biopsy' or 'lumbar-puncture', or null: "
            f"{checked['procedure']!r}",
        )
    if "procedure_name" in checked and not (
        isinstance(checked["procedure_name"], str) and checked["procedure_name"].strip()
    ):
        raise IngestError(path, "override 'procedure_name' in sources.yml must be non-empty text")
    names = checked.get("procedure_names", [])
    if not isinstance(names, list) or not all(isinstance(n, str) and n.strip() for n in names):
        raise IngestError(path, "override 'procedure_names' must be a list of names")
    if "review_date" in checked:
        value = checked["review_date"]
        if isinstance(value, datetime.datetime):
            value = value.date()
        if not isinstance(value, datetime.date):
            try:
                value = datetime.date.fromisoformat(str(value))
            except ValueError:
                raise IngestError(
                    path, f"override 'review_date' must be YYYY-MM-DD: {checked['review_date']!r}"
                ) from None
        checked["review_date"] = value
    drop_lines = checked.get("drop_lines", [])
    if not isinstance(drop_lines, list) or not all(isinstance(line, str) for line in drop_lines):
        raise IngestError(path, "override 'drop_lines' must be a list of lines")
    checked["drop_lines"] = frozenset(_clean_inline(line) for line in drop_lines)
    if "split" in checked:
        checked["split"] = _checked_split_rules(path, checked["split"])
    return checked


def _checked_split_rules(path: Path, rules: Any) -> list[_SplitRule]:
    if not isinstance(rules, list) or not rules:
        raise IngestError(path, "override 'split' must be a non-empty list of rules")
    checked: list[_SplitRule] = []
    for number, rule in enumerate(rules, start=1):
        if not isinstance(rule, dict) or set(rule) != {"topic", "heading", "starts"}:
            raise IngestError(
                path, f"split rule {number} must have exactly: topic, heading, starts"
            )
        topic, heading, starts = (
            str(rule[key] or "").strip() for key in ("topic", "heading", "starts")
        )
        if not _TOPIC_PATTERN.match(topic):
            raise IngestError(
                path, f"split rule {number}: topic must look like 'stem_cells': {topic!r}"
            )
        if not heading or not starts:
            raise IngestError(path, f"split rule {number}: heading and starts must not be empty")
        if topic in (other.topic for other in checked):
            raise IngestError(path, f"split rule {number}: topic '{topic}' is used twice")
        checked.append(_SplitRule(topic, heading, _WHITESPACE.sub(" ", starts)))
    return checked


# --------------------------------------------------------------------------------------------
# Documents


def _display_path(path: str | os.PathLike[str]) -> str:
    """``path`` relative to the current directory when it is inside it."""
    absolute = Path(os.path.abspath(path))
    cwd = Path.cwd()
    if cwd != Path(cwd.anchor):
        with contextlib.suppress(ValueError):
            return absolute.relative_to(cwd).as_posix()
    return str(absolute)


def _repo_path(path: Path) -> str:
    """The path stored in the knowledge base: relative to the project root."""
    absolute = Path(os.path.abspath(path))
    with contextlib.suppress(ValueError):
        return absolute.relative_to(PROJECT_ROOT).as_posix()
    return f"{absolute.parent.name}/{absolute.name}"


def _read_text(path: Path) -> tuple[str, str]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(path, f"cannot be read ({exc.strerror or exc})") from None
    sha256 = hashlib.sha256(data).hexdigest()
    if not data.strip():
        raise IngestError(path, "the file is empty")
    if b"\x00" in data:
        raise IngestError(
            path,
            "this is a binary file (it contains NUL bytes), not a text document; "
            "save the page as UTF-8 plain text (.txt) or Markdown (.md)",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IngestError(
            path,
            f"not UTF-8 text (undecodable byte at position {exc.start}); "
            "save the page as UTF-8 plain text (.txt) or Markdown (.md)",
        ) from None
    text = _repair(text)
    if not text.strip():
        raise IngestError(path, "the file is empty")
    return text, sha256


def _find_title(lines: list[str], drop_lines: frozenset[str]) -> tuple[str, int] | None:
    """(layout, index of the title line), or None."""
    for index, line in enumerate(lines):
        match = _MD_HEADING.match(line)
        if match and len(match.group(1)) == 1 and _clean_inline(match.group(2)):
            return "markdown", index
    for index, line in enumerate(lines):
        if _URL_LINE.match(line):
            for title_index in range(index + 1, len(lines)):
                text = _clean_inline(lines[title_index])
                if text and not _is_chrome(text, drop_lines):
                    if _looks_like_heading(text) and not _is_end(text):
                        return "plain", title_index
                    return None
            return None
    # plain text pasted without the URL line: the first line is the title if the document
    # has at least one of the usual section headings
    has_known_heading = any(
        _classify_heading(_clean_inline(line))[0] == "known" for line in lines if line.strip()
    )
    for index, line in enumerate(lines):
        text = _clean_inline(line)
        if text and not _is_chrome(text, drop_lines):
            if has_known_heading and _looks_like_heading(text) and not _is_end(text):
                return "plain", index
            return None
    return None


def parse_document(
    path: str | os.PathLike[str], overrides: dict[str, Any] | None = None
) -> Document:
    """Parse one source document; ``overrides`` (from sources.yml) win over detected metadata."""
    path = Path(path)
    text, sha256 = _read_text(path)
    options = _checked_overrides(path, overrides)
    drop_lines: frozenset[str] = options["drop_lines"]
    text = _IMAGE_MD.sub("", text)
    lines = text.split("\n")

    title: str | None = options.get("title")
    if "split" in options:
        raw_sections = _parse_split(path, lines, options["split"], drop_lines)
        if title is None:
            found = next(
                (t for t in map(_clean_inline, lines) if t and not _is_chrome(t, drop_lines)), None
            )
            title = found
    else:
        found = _find_title(lines, drop_lines)
        if found is None:
            raise IngestError(
                path,
                "no recognisable title: expected a '# Title' line (Markdown) or a "
                "'URL of this page:' line followed by the title (plain text)",
            )
        layout, title_index = found
        parser = _parse_markdown if layout == "markdown" else _parse_plain
        detected_title, raw_sections = parser(lines, title_index, drop_lines)
        for section in raw_sections:
            section.blocks = _blocks_from_lines(section.lines)
        title = title or detected_title
    if not title:
        raise IngestError(path, "no recognisable title")

    doc_id = options.get("id") or _slug(title)
    if not doc_id:
        raise IngestError(path, f"cannot make a document id from the title {title!r}")

    sections: list[Section] = []
    used: set[str] = set()
    for raw in raw_sections:
        if not raw.blocks:
            continue
        topic, number = raw.topic, 2
        while topic in used:
            topic, number = f"{raw.topic}_{number}", number + 1
        used.add(topic)
        sections.append(
            Section(
                id=f"{doc_id}/{topic}", topic=topic, heading=raw.heading, blocks=tuple(raw.blocks)
            )
        )
    if not sections:
        raise IngestError(path, f"no sections found under the title {title!r}")

    url = _normalise_url(options["url"]) if "url" in options else _detect_url(text)
    if url is None:
        raise IngestError(
            path,
            "no source URL found: add a 'URL of this page: https://...' line to the file "
            "or a 'url' override in documents/sources.yml",
        )
    review = _detect_review_date(text)
    if "review_date" in options:
        review_date = options["review_date"]
        review_text = options.get("review_date_text") or (
            review[1] if review and review[0] == review_date else review_date.isoformat()
        )
    elif review is not None:
        review_date, review_text = review
        review_text = options.get("review_date_text", review_text)
    else:
        raise IngestError(
            path,
            "no review date found: add a 'Review Date 6/17/2024' line to the file "
            "or a 'review_date' override in documents/sources.yml",
        )
    procedure, procedure_name, procedure_aliases = _procedure(doc_id, title, sections, options)

    return Document(
        id=doc_id,
        title=title,
        source=options.get("source") or _source_for_url(url),
        url=url,
        url_note=options.get("url_note"),
        review_date=review_date,
        review_date_text=review_text,
        procedure=procedure,
        procedure_name=procedure_name,
        procedure_aliases=procedure_aliases,
        file=_repo_path(path),
        sha256=sha256,
        sections=tuple(sections),
    )


def _same_test_as_earlier(document: Document, earlier: list[Document]) -> Document:
    """A page whose title names a test of an earlier document ("Bone marrow biopsy recovery")
    is about that test: it answers under the same procedure, with its names added."""
    found = KnowledgeBase(documents=tuple(earlier)).procedures().span(document.title)
    if found is None:
        return document
    procedure = found[2]
    first = next(d for d in earlier if d.procedure == procedure)
    return dataclasses.replace(
        document, procedure=procedure, procedure_name=first.procedure_name,
        procedure_aliases=tuple(
            dict.fromkeys((*first.procedure_aliases, *document.procedure_aliases))
        ),
    )


def _load_sources(documents_dir: Path) -> dict[str, dict[str, Any]]:
    path = documents_dir / SOURCES_FILE
    if not path.exists():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise IngestError(path, f"cannot be read as YAML: {exc}") from None
    if data is None:
        return {}
    entries = data.get("documents") if isinstance(data, dict) else None
    if entries is None:
        return {}
    if not isinstance(entries, dict):
        raise IngestError(path, "'documents' must map file names to their entries")
    for name, entry in entries.items():
        if entry is None:
            entries[name] = {}
        elif not isinstance(entry, dict) or not set(entry) <= {"provenance", "overrides"}:
            raise IngestError(path, f"entry {name!r} may only have 'provenance' and 'overrides'")
    return entries


def _is_ignored(path: Path) -> bool:
    name = path.name
    return (
        not path.is_file()
        or name == SOURCES_FILE
        or name.startswith((".", "~"))
        or name.endswith("~")
        or path.stem.lower() == "readme"
    )


def build(*documents_dirs: str | os.PathLike[str]) -> KnowledgeBase:
    """Parse every document in each folder (default: documents/), folder by folder: in each,
    those listed in its sources.yml in that order, then the others by file name. A clinic's own
    folder comes after ours. Raises :class:`IngestError` on the first bad file."""
    documents: list[Document] = []
    for documents_dir in documents_dirs or (DOCUMENTS_DIR,):
        _build_folder(Path(documents_dir), documents)
    return KnowledgeBase(documents=tuple(documents))


def _build_folder(documents_dir: Path, documents: list[Document]) -> None:
    if not documents_dir.is_dir():
        raise IngestError(documents_dir, "no such folder")
    sources = _load_sources(documents_dir)
    for name in sources:
        if not (documents_dir / name).is_file():
            raise IngestError(
                documents_dir / SOURCES_FILE, f"lists {name!r} but there is no such file"
            )
    present = sorted(path.name for path in documents_dir.iterdir() if not _is_ignored(path))
    ordered = [name for name in sources if name in present]
    ordered += [name for name in present if name not in sources]

    for name in ordered:
        path = documents_dir / name
        if path.suffix.lower() not in ACCEPTED_SUFFIXES:
            raise IngestError(
                path,
                f"unsupported file type {path.suffix or '(none)'!r}: save the page as UTF-8 "
                "plain text (.txt) or Markdown (.md)",
            )
        overrides = (sources.get(name) or {}).get("overrides")
        document = parse_document(path, overrides)
        if document.procedure and "procedure" not in (overrides or {}):
            document = _same_test_as_earlier(document, documents)
        for other in documents:
            if other.id == document.id:
                raise IngestError(
                    path,
                    f"document id '{document.id}' is already used by {other.file}; "
                    "give one of them an 'id' override in sources.yml",
                )
        documents.append(document)


# --------------------------------------------------------------------------------------------
# Output


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        return super().increase_indent(flow, False)


def dumps(kb: KnowledgeBase) -> str:
    """The knowledge base as the YAML text of knowledge_base.yml (deterministic)."""
    body = yaml.dump(
        kb.to_dict(),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=1_000_000,
        default_flow_style=False,
        indent=2,
    )
    return HEADER + body


def write(kb: KnowledgeBase, path: str | os.PathLike[str] = DEFAULT_PATH) -> None:
    """Write atomically: a temporary file in the same folder, then ``os.replace``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = dumps(kb).encode("utf-8")
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def _section_differences(old: Any, new: list[dict[str, Any]]) -> list[str]:
    old_sections = {s.get("id"): s for s in old or [] if isinstance(s, dict)}
    new_sections = {s["id"]: s for s in new}
    changed = [sid for sid, s in new_sections.items() if old_sections.get(sid) != s]
    changed += [sid for sid in old_sections if sid not in new_sections]
    if not changed and list(old_sections) != list(new_sections):
        changed = ["order"]
    return changed


def stale_problems(kb: KnowledgeBase, path: str | os.PathLike[str] = DEFAULT_PATH) -> list[str]:
    """Why the file at ``path`` does not match ``kb`` (empty list if it is up to date)."""
    path = Path(path)
    try:
        actual = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return [f"{_display_path(path)} does not exist"]
    except (OSError, UnicodeDecodeError) as exc:
        return [f"{_display_path(path)} cannot be read: {exc}"]
    if actual == dumps(kb):
        return []
    try:
        committed = yaml.safe_load(actual)
        old = {d["id"]: d for d in committed["documents"]}
    except Exception:  # any damage means "rebuild it"
        return [f"{_display_path(path)} is not a readable knowledge base"]
    new = {d["id"]: d for d in kb.to_dict()["documents"]}
    problems = []
    for doc_id, document in new.items():
        if doc_id not in old:
            problems.append(f"document '{doc_id}' ({document['file']}) is new")
            continue
        keys = [key for key in document if old[doc_id].get(key) != document[key]]
        keys += [key for key in old[doc_id] if key not in document]
        if "sections" in keys:
            sections = _section_differences(old[doc_id].get("sections"), document["sections"])
            keys[keys.index("sections")] = f"sections ({', '.join(sections)})"
        if keys:
            problems.append(f"document '{doc_id}' ({document['file']}) differs: {', '.join(keys)}")
    for doc_id in old:
        if doc_id not in new:
            problems.append(f"document '{doc_id}' is no longer in the documents folder")
    if not problems:
        problems.append("document order or layout differs (was the file edited by hand?)")
    return problems


def refresh(
    documents_dirs: Sequence[str | os.PathLike[str]] = (DOCUMENTS_DIR,),
    path: str | os.PathLike[str] = DEFAULT_PATH,
) -> bool:
    """Rewrite the knowledge base at ``path`` if it is stale against the documents in
    ``documents_dirs``; True if rewritten.

    Raises IngestError (leaving the file untouched) when a document cannot be parsed.
    """
    kb = build(*documents_dirs)
    if not stale_problems(kb, path):
        return False
    write(kb, path)
    return True


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: 0 = written / up to date, 1 = stale (--check), 2 = a document is bad."""
    parser = argparse.ArgumentParser(
        prog="python -m bot.ingest",
        description="Build knowledge/knowledge_base.yml from the documents in documents/.",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="do not write; exit 1 if the output file is out of date with the documents",
    )
    parser.add_argument(
        "--documents",
        type=Path,
        default=DOCUMENTS_DIR,
        metavar="DIR",
        help="folder of source documents and sources.yml (default: documents/)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=DEFAULT_PATH,
        metavar="FILE",
        help="knowledge base to write or check (default: knowledge/knowledge_base.yml)",
    )
    args = parser.parse_args(argv)
    output = _display_path(args.output)

    try:
        kb = build(args.documents)
    except IngestError as exc:
        print(f"ingest: error: {exc}", file=sys.stderr)
        if not args.check:
            print(f"ingest: nothing written; {output} is unchanged.", file=sys.stderr)
        return 2
    count = sum(len(document.sections) for document in kb.documents)
    summary = f"{len(kb.documents)} documents, {count} sections"

    if args.check:
        problems = stale_problems(kb, args.output)
        if problems:
            print(
                f"ingest: {output} is out of date with {_display_path(args.documents)}:",
                file=sys.stderr,
            )
            for problem in problems:
                print(f"  - {problem}", file=sys.stderr)
            print("Run `make ingest` and commit the result.", file=sys.stderr)
            return 1
        print(f"ingest: {output} is up to date ({summary}).")
        return 0

    if not stale_problems(kb, args.output):
        print(f"ingest: {output} already up to date ({summary}).")
        return 0
    write(kb, args.output)
    print(f"ingest: wrote {output} ({summary}).")
    for document in kb.documents:
        print(f"  {document.id}: {len(document.sections)} sections from {document.file}")
    procedures = kb.procedures()
    print(f"ingest: tests answered about: {procedures.names_text()}")
    for term, kept, lost in procedures.conflicts:
        print(f"  note: '{term}' names both {kept} and {lost}; it stays with {kept}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""What a page says about itself (URL, source, review date, the test it describes) and the overrides
in sources.yml.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bot.ingest.errors import IngestError
from bot.ingest.layouts import _SplitRule
from bot.ingest.text import _WHITESPACE, _clean_inline
from bot.knowledge import Section
from bot.procedures import TEST_LEAFLET_TOPICS, names_from_alternative_names, normalize_surface

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

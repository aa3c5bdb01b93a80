"""One file -> a Document; a folder (and its sources.yml) -> documents in order."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
from pathlib import Path
from typing import Any

import yaml

from bot import PROJECT_ROOT
from bot.ingest.errors import ACCEPTED_SUFFIXES, DOCUMENTS_DIR, SOURCES_FILE, IngestError
from bot.ingest.layouts import _blocks_from_lines, _parse_markdown, _parse_plain, _parse_split
from bot.ingest.metadata import (
    _URL_LINE,
    _checked_overrides,
    _detect_review_date,
    _detect_url,
    _normalise_url,
    _procedure,
    _source_for_url,
)
from bot.ingest.text import (
    _IMAGE_MD,
    _MD_HEADING,
    _classify_heading,
    _clean_inline,
    _is_chrome,
    _is_end,
    _looks_like_heading,
    _repair,
    _slug,
)
from bot.knowledge import Document, KnowledgeBase, Section

# --------------------------------------------------------------------------------------------
# Documents


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

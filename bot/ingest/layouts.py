"""The two page layouts (Markdown, plain text) and pages without headings (split rules in
sources.yml) -> raw sections of blocks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bot.ingest.errors import IngestError
from bot.ingest.text import (
    _BULLET,
    _MD_HEADING,
    _SENTENCE_END,
    _STOP_LINE,
    OVERVIEW,
    _classify_heading,
    _clean_inline,
    _is_chrome,
    _is_end,
    _looks_like_heading,
)
from bot.knowledge import BULLETS, PARAGRAPH, Block

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

"""Text rendering shared by the messaging channels (bot/channels/*.py).

* ``split_message``: a long reply cut into messages that fit a platform's size limit, at
  paragraph boundaries first, then between lines (a bullet is one line), then between sentences,
  then between words; never inside a word (except a single "word" longer than the limit, which
  no reply has). Paragraphs are packed together up to the limit: fewer messages, and on SMS
  fewer chances for them to arrive out of order.
* ``render_options`` / ``match_option`` / ``OptionMemory``: buttons on text-only channels (SMS,
  WhatsApp via Twilio) become numbered options; the reply "2", "biopsy" or "bone marrow biopsy"
  is translated back into the button's payload.
* ``sms_text``: typographic characters replaced by their GSM-7 look-alikes, so that an SMS is
  not sent as UCS-2 (67 characters per segment instead of 153).
* ``short_titles``: button titles shortened for platforms with a small limit (Messenger: 20).
"""

from __future__ import annotations

import re
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

# Per-message size limits in characters (see docs/channels.md for where they come from).
SMS_LIMIT = 1600  # Twilio Messages API: Body up to 1,600 characters (error 21617 / 21658)
WHATSAPP_LIMIT = 1600  # same Twilio Body limit (WhatsApp itself would take 4,096)
TELEGRAM_LIMIT = 4096  # sendMessage: 1-4096 characters
MESSENGER_LIMIT = 2000  # Send API: text up to 2,000 characters
SLACK_LIMIT = 3000  # a section block's text; chat.postMessage text is truncated at 40,000

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def _pack(parts: Sequence[str], sep: str, limit: int, split_part: Callable[[str], list[str]]
          ) -> list[str]:
    """Join ``parts`` with ``sep`` into as few chunks <= ``limit`` as possible, in order. A part
    that is too long on its own is cut by ``split_part``; its last piece may be continued."""
    chunks: list[str] = []
    current = ""
    for part in parts:
        if not part:
            continue
        if len(part) > limit:
            if current:
                chunks.append(current)
            pieces = split_part(part)
            chunks.extend(pieces[:-1])
            current = pieces[-1]
            continue
        candidate = f"{current}{sep}{part}" if current else part
        if len(candidate) <= limit:
            current = candidate
        else:
            chunks.append(current)
            current = part
    if current:
        chunks.append(current)
    return chunks


def _split_word(word: str, limit: int) -> list[str]:
    return [word[i : i + limit] for i in range(0, len(word), limit)]


def _split_sentence(sentence: str, limit: int) -> list[str]:
    return _pack(sentence.split(), " ", limit, lambda w: _split_word(w, limit))


def _split_line(line: str, limit: int) -> list[str]:
    return _pack(
        _SENTENCE_END.split(line), " ", limit, lambda s: _split_sentence(s, limit)
    )


def _split_paragraph(paragraph: str, limit: int) -> list[str]:
    """Cut between lines; a blank line inside (an introduction glued to its list) is kept
    when both sides land in the same message."""
    parts: list[str] = []
    for block in paragraph.split("\n\n"):
        if parts:
            parts[-1] += "\n"
        parts.extend(block.split("\n"))
    chunks = _pack(parts, "\n", limit, lambda line: _split_line(line, limit))
    return [chunk.strip("\n") for chunk in chunks]


def split_message(text: str, limit: int) -> list[str]:
    """``text`` as messages of at most ``limit`` characters each (see the module docstring).

    Paragraphs (separated by a blank line) stay whole when they fit, and a paragraph ending
    with a colon stays with (the start of) the next one; the chunks joined with a blank line give
    back the text (modulo whitespace at the cuts).
    """
    if limit < 1:
        raise ValueError("limit must be positive")
    lines = [line.rstrip() for line in text.strip().splitlines()]
    paragraphs = [p.strip("\n") for p in re.split(r"\n\s*\n", "\n".join(lines))]
    # "... the following steps:" stays with the list it introduces
    units: list[str] = []
    for paragraph in paragraphs:
        if units and units[-1].endswith(":"):
            units[-1] = f"{units[-1]}\n\n{paragraph}"
        else:
            units.append(paragraph)
    return _pack(units, "\n\n", limit, lambda p: _split_paragraph(p, limit))


# --- numbered options on text-only channels -------------------------------------------------

_NUMBER_WORDS = {
    "one": 1, "first": 1, "two": 2, "second": 2, "three": 3, "third": 3, "four": 4,
    "fourth": 4, "five": 5, "fifth": 5, "six": 6, "sixth": 6, "seven": 7, "eight": 8,
    "nine": 9,
}
# Words that say nothing about which option: "the biopsy please" -> {"biopsy"}.
_FILLER = frozenset(
    "a an the please pls option choice number no i id i'd mean meant want about for my "
    "it its it's is that this one test ok okay yes".split()
)
_NUMBER_REPLY = re.compile(r"(?:option|number|no\.?|#)?\s*#?\s*(\d{1,2})\s*[.):]?")


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower())


def render_options(text: str, buttons: Sequence[dict[str, Any]]) -> str:
    """The question followed by its buttons as numbered options and how to answer."""
    titles = [str(b.get("title") or b.get("payload") or "") for b in buttons]
    numbered = "\n".join(f"{i}. {title}" for i, title in enumerate(titles, start=1))
    numbers = [str(i) for i in range(1, len(titles) + 1)]
    how = numbers[0] if len(numbers) == 1 else ", ".join(numbers[:-1]) + " or " + numbers[-1]
    parts = [p for p in (text.strip(), numbered, f"Reply with {how}.") if p]
    return "\n\n".join(parts)


def match_option(reply: str, buttons: Sequence[dict[str, Any]]) -> str | None:
    """The payload of the button that ``reply`` chooses, or None.

    "2", "2.", "#2", "option 2", "two", "second" choose by number; "Bone marrow biopsy",
    "biopsy", "the biopsy please" choose by the option's words when they fit exactly one option.
    """
    if not buttons:
        return None
    stripped = reply.strip().lower()
    by_number = _NUMBER_REPLY.fullmatch(stripped)
    index: int | None = None
    if by_number:
        index = int(by_number[1])
    elif stripped.rstrip(".!") in _NUMBER_WORDS:
        index = _NUMBER_WORDS[stripped.rstrip(".!")]
    if index is not None:
        return buttons[index - 1].get("payload") if 1 <= index <= len(buttons) else None

    titles = [" ".join(_words(str(b.get("title") or ""))) for b in buttons]
    said = " ".join(_words(reply))
    exact = [i for i, title in enumerate(titles) if title and title == said]
    if len(exact) == 1:
        return buttons[exact[0]].get("payload")
    wanted = {w for w in _words(reply) if w not in _FILLER}
    if not wanted:
        return None
    if len(wanted) == 1 and next(iter(wanted)).isdigit():  # "2 please"
        return match_option(next(iter(wanted)), buttons)
    fits = [i for i, title in enumerate(titles) if wanted <= set(title.split())]
    return buttons[fits[0]].get("payload") if len(fits) == 1 else None


class OptionMemory:
    """The options last offered to each sender, in memory (lost on restart), for the next reply
    only; bounded in size and age."""

    def __init__(self, max_senders: int = 10_000, max_age: float = 24 * 3600,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.max_senders = max_senders
        self.max_age = max_age
        self._clock = clock
        self._options: OrderedDict[str, tuple[float, list[dict[str, Any]]]] = OrderedDict()

    def remember(self, sender: str, buttons: Sequence[dict[str, Any]]) -> None:
        self._options.pop(sender, None)
        self._options[sender] = (
            self._clock(), [{"title": b.get("title"), "payload": b.get("payload")}
                            for b in buttons],
        )
        while len(self._options) > self.max_senders:
            self._options.popitem(last=False)

    def take(self, sender: str) -> list[dict[str, Any]]:
        """The options offered to ``sender`` (forgotten now), or [] if none or too old."""
        saved = self._options.pop(sender, None)
        if saved is None or self._clock() - saved[0] > self.max_age:
            return []
        return saved[1]

    def translate(self, sender: str, text: str) -> str:
        """The payload of the option ``text`` chooses, else ``text`` unchanged."""
        return match_option(text, self.take(sender)) or text

    def __len__(self) -> int:
        return len(self._options)


# --- SMS ----------------------------------------------------------------------------------

_GSM_LOOKALIKES = str.maketrans({
    "\u2022": "-",  # bullet
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"',
    "\u2013": "-", "\u2014": "-", "\u2212": "-",
    "\u2026": "...",
    "\u00a0": " ", "\u2009": " ", "\u202f": " ",
})


def sms_text(text: str) -> str:
    """Typographic punctuation replaced by GSM-7 characters (the words are unchanged)."""
    return text.translate(_GSM_LOOKALIKES)


# --- button titles --------------------------------------------------------------------------

def short_titles(titles: Sequence[str], limit: int) -> list[str]:
    """Titles that fit ``limit`` characters: the words all titles start with are dropped
    ("Bone marrow aspiration", "Bone marrow biopsy" -> "Aspiration", "Biopsy"), and a title
    still too long is cut at a word boundary with an ellipsis."""
    titles = [t.strip() for t in titles]
    if all(len(t) <= limit for t in titles):
        return list(titles)
    if len(titles) > 1:
        split = [t.split() for t in titles]
        common = 0
        while all(len(words) > common + 1 for words in split) and len(
            {words[common].lower() for words in split}
        ) == 1:
            common += 1
        if common:
            titles = [" ".join(words[common:]) for words in split]
            titles = [t[:1].upper() + t[1:] for t in titles]
    shortened = []
    for title in titles:
        if len(title) > limit:
            cut = title[: limit - 1].rsplit(" ", 1)[0] if " " in title[: limit - 1] else title[
                : limit - 1]
            title = cut.rstrip(" ,;:-") + "\u2026"
        shortened.append(title)
    return shortened

"""Rare words of the knowledge base: the words a document uses that are rare in English.

Rare means rare in English: not among the 15k common words that spaCy's lexeme probabilities
(``spacy-lookups-data``) give, saved in bot/vocabulary/common_words.txt by
``python -m bot.rare_words``. So "cells" or "hip" never decide a topic and "myeloma" or
"hematopoietic" can. Nothing here holds medical text: the words come from the knowledge base.
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from bot.knowledge import Document, KnowledgeBase

RARE_BELOW = -13.5  # log probability: "leukemia" -14.4, "marrow" -13.8, "needle" -12.0
MAX_SECTIONS = 3  # a word in more sections of one leaflet than this says nothing about a topic
MIN_LENGTH = 3
_COMMON = frozenset({"cannot"})  # missing from the table, not rare
_WORD = re.compile(r"[a-z][a-z'\u2019-]*[a-z]|[a-z]")

def _stem(word: str) -> str:
    word = word.replace("\u2019", "'").removesuffix("'s")
    if len(word) > 4 and word.endswith("s") and not word.endswith(("ss", "is", "us", "os")):
        return word[:-1]
    return word


def _without_accents(text: str) -> str:
    """'Waldenström' -> 'Waldenstrom': the letters as patients type them."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def words(text: str | None) -> list[str]:
    """The message's words, lower-cased, without accents and crudely singular ("platelets" ->
    "platelet", "Waldenström" -> "waldenstrom")."""
    return [_stem(w) for w in _WORD.findall(_without_accents((text or "").lower()))]


COMMON_WORDS_FILE = Path(__file__).parent / "vocabulary" / "common_words.txt"


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """English words that are not rare: log probability >= ``RARE_BELOW`` in spaCy's lexeme
    table (``spacy-lookups-data``), saved by ``python -m bot.rare_words`` (15k words, so the
    servers never load the 1M-word table)."""
    return frozenset(COMMON_WORDS_FILE.read_text(encoding="utf-8").split())


def lookups_table(name: str) -> Any:
    """One of spaCy's English lookup tables (``spacy-lookups-data``): ``lexeme_prob``,
    ``lemma_lookup``... Only the tools that write bot/vocabulary/ read them."""
    import spacy_lookups_data

    table = Path(spacy_lookups_data.__path__[0]) / "data" / f"en_{name}.json.gz"
    with gzip.open(table, "rt", encoding="utf-8") as handle:
        return json.load(handle)


def write_common_words(path: Path = COMMON_WORDS_FILE) -> int:
    """Regenerate the common-words file from ``spacy-lookups-data``, the most frequent word
    first (bot.spelling ranks its readings by that order); returns the word count."""
    probs: dict[str, float] = lookups_table("lexeme_prob")
    listed = (w for w, p in probs.items() if p >= RARE_BELOW and w.isalpha() and w.islower())
    common = sorted(listed, key=lambda w: (-probs[w], w))
    path.write_text("\n".join(common) + "\n", encoding="utf-8")
    return len(common)


def rare(candidates: Iterable[str]) -> set[str]:
    """The words among ``candidates`` that are rare in English (or unknown to the table)."""
    common = common_words()
    return {
        w for w in candidates
        if w.isalpha() and w not in _COMMON and w not in common and w + "s" not in common
    }


def section_words(document: Document) -> dict[str, set[str]]:
    """Section topic -> its words (singular), for one document."""
    found: dict[str, set[str]] = {}
    for section in document.sections:
        found[section.topic] = set(words(f"{section.heading} {section.text()}"))
    return found


_TERMS: dict[int, tuple[KnowledgeBase, dict[str, dict[str, set[str]]], frozenset[str]]] = {}


def _analyse(kb: KnowledgeBase) -> tuple[dict[str, dict[str, set[str]]], frozenset[str]]:
    cached = _TERMS.get(id(kb))
    if cached is not None and cached[0] is kb:
        return cached[1], cached[2]
    terms: dict[str, dict[str, set[str]]] = {}
    per_document = {document.id: section_words(document) for document in kb.documents}
    every_word = frozenset(
        w for sections in per_document.values() for ws in sections.values() for w in ws)
    names = procedure_name_words(kb)
    rare_words = rare(w for w in every_word if len(w) >= MIN_LENGTH and w not in names)
    for doc_id, sections in per_document.items():
        by_word: dict[str, set[str]] = {}
        for topic, used in sections.items():
            for word in used & rare_words:
                by_word.setdefault(word, set()).add(topic)
        terms[doc_id] = {w: t for w, t in by_word.items() if len(t) <= MAX_SECTIONS}
    _TERMS.clear()
    _TERMS[id(kb)] = (kb, terms, every_word)
    return terms, every_word


def kb_terms(kb: KnowledgeBase) -> dict[str, dict[str, set[str]]]:
    """Document id -> rare word -> the topics of the sections that use it (few sections only).
    Computed once per knowledge base."""
    return _analyse(kb)[0]


def kb_words(kb: KnowledgeBase) -> frozenset[str]:
    """Every word of the knowledge base (singular), computed once per knowledge base."""
    return _analyse(kb)[1]


def procedure_name_words(kb: KnowledgeBase) -> frozenset[str]:
    return frozenset(w for d in kb.documents
                     for name in (d.procedure_name or "", *d.procedure_aliases)
                     for w in words(name))


def one_edit(a: str, b: str) -> bool:
    """At most one letter added, dropped, changed or two neighbours swapped."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return (len(diff) == 2 and diff[1] == diff[0] + 1
                and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


if __name__ == "__main__":  # pragma: no cover
    print(f"{write_common_words()} common words -> {COMMON_WORDS_FILE}")

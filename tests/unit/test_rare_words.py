"""bot/rare_words.py: the words of the knowledge base that are rare in English."""

from __future__ import annotations

import pytest

from bot import rare_words
from bot.knowledge import KnowledgeBase


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase.current()


def test_rare_words_come_from_the_knowledge_base_not_from_common_english(kb):
    terms = rare_words.kb_terms(kb)["bone-marrow-biopsy"]
    assert {"hematopoietic", "neuroblastoma", "myeloma"} <= set(terms)
    assert not {"needle", "bone", "cells", "hip", "biopsy", "cannot"} & set(terms)
    assert all(0 < len(topics) <= rare_words.MAX_SECTIONS for topics in terms.values())


def test_the_common_words_file_is_what_spacy_lookups_data_gives(tmp_path):
    regenerated = tmp_path / "common_words.txt"
    assert rare_words.write_common_words(regenerated) > 10_000
    assert regenerated.read_text() == rare_words.COMMON_WORDS_FILE.read_text()

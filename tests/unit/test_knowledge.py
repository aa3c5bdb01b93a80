"""The knowledge base as the bot reads it (bot.knowledge), from the committed YAML."""

from __future__ import annotations

import dataclasses
import datetime
import subprocess
import sys

import pytest
import yaml

from bot import PROJECT_ROOT
from bot.knowledge import DEFAULT_PATH, Block, Document, KnowledgeBase, Section

ALL_TOPICS = [
    "overview",
    "how_performed",
    "preparation",
    "sensation",
    "purpose",
    "normal_results",
    "abnormal_results",
    "risks",
    "alternative_names",
    "bone_marrow",
    "stem_cells",
    "blood_cells",
    "stem_cell_collection",
    "transplant",
]

# the complete text of some sections, exactly as the bot will quote it
SECTION_TEXTS = {
    "bone-marrow-aspiration/overview": (
        "Bone marrow is the soft tissue inside bones that helps form blood cells. It is found "
        "in the hollow part of most bones. Bone marrow aspiration is the removal of a small "
        "amount of this tissue in liquid form for examination.\n\n"
        "Bone marrow aspiration is not the same as bone marrow biopsy. A biopsy removes a core "
        "of bone tissue for examination."
    ),
    "bone-marrow-aspiration/preparation": (
        "Tell the provider:\n\n"
        "• If you are allergic to any medicines\n"
        "• If you are pregnant\n"
        "• If you have bleeding problems\n"
        "• What medicines you are taking"
    ),
    "bone-marrow-aspiration/purpose": (
        "Your doctor may order this test if you have abnormal types or numbers of red or white "
        "blood cells or platelets on a complete blood count.\n\n"
        "This test is used to diagnose:\n\n"
        "• Anemia (some types)\n"
        "• Infections\n"
        "• Leukemia\n"
        "• Other blood cancers and disorders\n\n"
        "It may help determine whether cancers have spread or responded to treatment."
    ),
    "bone-marrow-aspiration/risks": (
        "There may be some bleeding at the puncture site. More serious risks, such as serious "
        "bleeding or infection, are very rare."
    ),
    "bone-marrow-biopsy/sensation": (
        "You will feel a sharp sting when the numbing medicine is injected. The biopsy needle "
        "may also cause a brief, usually dull, pain. Since the inside of the bone cannot be "
        "numbed, this test may cause some discomfort.\n\n"
        "If a bone marrow aspiration is also done, you may feel a brief, sharp pain as the bone "
        "marrow liquid is removed."
    ),
    "bone-marrow-biopsy/normal_results": (
        "A normal result means the bone marrow contains the proper number and types of "
        "blood-forming (hematopoietic) cells, fat cells, and connective tissues."
    ),
    "bone-marrow-biopsy/alternative_names": "Biopsy - bone marrow",
    "bone-marrow-and-stem-cells/bone_marrow": (
        "Bone marrow is a spongy material that is found inside the bones (particularly the "
        "pelvic bones)."
    ),
    "bone-marrow-and-stem-cells/stem_cells": (
        "Stem cells are blood cells at the earliest stage of development in the bone marrow. "
        "Within the bone marrow, stem cells develop into the different blood cells described "
        "below. When the cells are fully mature they are released into the bloodstream."
    ),
    "bone-marrow-and-stem-cells/blood_cells": (
        "Like a factory, bone marrow produces the cells which develop into the three different "
        "types of blood cells:\n\n"
        "• red blood cells, which carry oxygen to all cells in the body\n"
        "• white blood cells, which are essential for fighting infection\n"
        "• platelets, which help the blood to clot and prevent bleeding."
    ),
    "bone-marrow-and-stem-cells/stem_cell_collection": (
        "Normally, most of the stem cells in the body are in the bone marrow and there are only "
        "very small numbers in the bloodstream. However, it is possible to stimulate the stem "
        "cells to move into the bloodstream, by using low doses of certain chemotherapy drugs "
        "or injections of growth factors. Stem cells can be collected from the bloodstream or "
        "from the bone marrow."
    ),
    "bone-marrow-and-stem-cells/transplant": (
        "A transplant using stem cells collected from the bone marrow is sometimes called a "
        "bone marrow transplant, when in fact it is really a transplant of stem cells."
    ),
}

# one more verbatim sentence from every section of every document
SENTENCES = {
    "bone-marrow-aspiration/overview": "It is found in the hollow part of most bones.",
    "bone-marrow-aspiration/how_performed": "Marrow is removed in the following steps:",
    "bone-marrow-aspiration/preparation": "• If you are allergic to any medicines",
    "bone-marrow-aspiration/sensation": "This feeling lasts for only a few seconds.",
    "bone-marrow-aspiration/purpose": "• Other blood cancers and disorders",
    "bone-marrow-aspiration/normal_results": "• Blood-forming cells",
    "bone-marrow-aspiration/abnormal_results": "• Acute myelogenous leukemia (AML)",
    "bone-marrow-aspiration/risks": "are very rare.",
    "bone-marrow-aspiration/alternative_names": "Myelofibrosis - bone marrow aspiration",
    "bone-marrow-biopsy/overview": (
        "Bone marrow biopsy is not the same as bone marrow aspiration."
    ),
    "bone-marrow-biopsy/how_performed": (
        "If this is done, the needle will be removed and repositioned."
    ),
    "bone-marrow-biopsy/preparation": "• If you are allergic to any medicines",
    "bone-marrow-biopsy/sensation": "The biopsy needle may also cause a brief, usually dull, pain.",
    "bone-marrow-biopsy/purpose": "This test is used to diagnose:",
    "bone-marrow-biopsy/normal_results": "fat cells, and connective tissues.",
    "bone-marrow-biopsy/abnormal_results": (
        "• White blood cell cancer called Waldenström macroglobulinemia"
    ),
    "bone-marrow-biopsy/risks": "There may be some bleeding at the puncture site.",
    "bone-marrow-biopsy/alternative_names": "Biopsy - bone marrow",
    "bone-marrow-and-stem-cells/bone_marrow": "Bone marrow is a spongy material",
    "bone-marrow-and-stem-cells/stem_cells": "stem cells develop into the different blood cells",
    "bone-marrow-and-stem-cells/blood_cells": (
        "• platelets, which help the blood to clot and prevent bleeding."
    ),
    "bone-marrow-and-stem-cells/stem_cell_collection": (
        "by using low doses of certain chemotherapy drugs or injections of growth factors."
    ),
    "bone-marrow-and-stem-cells/transplant": "it is really a transplant of stem cells.",
}


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase.load()


def _sections(kb: KnowledgeBase) -> dict[str, Section]:
    return {section.id: section for d in kb.documents for section in d.sections}


def test_default_path():
    assert PROJECT_ROOT / "knowledge" / "knowledge_base.yml" == DEFAULT_PATH


def test_documents(kb):
    assert [d.id for d in kb.documents] == [
        "bone-marrow-aspiration",
        "bone-marrow-biopsy",
        "bone-marrow-and-stem-cells",
    ]
    for document in kb.documents:
        assert isinstance(document, Document)
        assert isinstance(document.review_date, datetime.date)
        assert (PROJECT_ROOT / document.file).is_file()
        assert len(document.sha256) == 64


def test_document_lookup(kb):
    document = kb.document("bone-marrow-biopsy")
    assert document.title == "Bone marrow biopsy"
    assert document.url == "https://medlineplus.gov/ency/article/003934.htm"
    assert document.review_date == datetime.date(2024, 6, 17)
    assert document.review_date_text == "6/17/2024"
    with pytest.raises(KeyError):
        kb.document("bone-marrow-trephine")


def test_dates_and_urls(kb):
    found = {d.id: (d.url, d.review_date, d.review_date_text, d.url_note) for d in kb.documents}
    assert found == {
        "bone-marrow-aspiration": (
            "https://medlineplus.gov/ency/article/003658.htm",
            datetime.date(2018, 4, 2),
            "4/2/2018",
            None,
        ),
        "bone-marrow-biopsy": (
            "https://medlineplus.gov/ency/article/003934.htm",
            datetime.date(2024, 6, 17),
            "6/17/2024",
            None,
        ),
        "bone-marrow-and-stem-cells": (
            "https://www.macmillan.org.uk/",
            datetime.date(2006, 6, 1),
            "01 June 2006",
            "successor organisation's site; original page URL not in the received copy",
        ),
    }


def test_for_procedure(kb):
    assert kb.for_procedure("aspiration").id == "bone-marrow-aspiration"
    assert kb.for_procedure("biopsy").id == "bone-marrow-biopsy"
    assert kb.for_procedure("trephine") is None


def test_find(kb):
    assert [(d.id, s.id) for d, s in kb.find("risks")] == [
        ("bone-marrow-aspiration", "bone-marrow-aspiration/risks"),
        ("bone-marrow-biopsy", "bone-marrow-biopsy/risks"),
    ]
    assert [s.id for _, s in kb.find("sensation", "biopsy")] == ["bone-marrow-biopsy/sensation"]
    assert [s.id for _, s in kb.find("sensation", procedure="aspiration")] == [
        "bone-marrow-aspiration/sensation"
    ]
    assert [s.id for _, s in kb.find("stem_cells")] == ["bone-marrow-and-stem-cells/stem_cells"]
    assert kb.find("stem_cells", "biopsy") == []
    assert kb.find("no_such_topic") == []


def test_topics(kb):
    assert kb.topics() == ALL_TOPICS


def test_section_ids(kb):
    for document in kb.documents:
        for section in document.sections:
            assert section.id == f"{document.id}/{section.topic}"
            assert document.section(section.topic) is section
    assert kb.document("bone-marrow-aspiration").section("stem_cells") is None


def test_headings(kb):
    sections = _sections(kb)
    assert sections["bone-marrow-aspiration/overview"].heading == "Bone marrow aspiration"
    assert sections["bone-marrow-biopsy/sensation"].heading == "How the Test will Feel"
    assert sections["bone-marrow-biopsy/abnormal_results"].heading == ("What Abnormal Results Mean")
    assert sections["bone-marrow-and-stem-cells/transplant"].heading == (
        "What a 'bone marrow transplant' really is"
    )


@pytest.mark.parametrize(("section_id", "expected"), sorted(SECTION_TEXTS.items()))
def test_section_text(kb, section_id, expected):
    assert _sections(kb)[section_id].text() == expected


@pytest.mark.parametrize(("section_id", "sentence"), sorted(SENTENCES.items()))
def test_sentence_in_every_section(kb, section_id, sentence):
    assert sentence in _sections(kb)[section_id].text()


def test_every_section_is_covered(kb):
    assert set(SENTENCES) == set(_sections(kb))
    assert len(SENTENCES) == 23


def test_bullet_items(kb):
    aspiration = kb.document("bone-marrow-aspiration").section("abnormal_results")
    assert aspiration.blocks[1] == Block.bullets(
        [
            "Acute lymphocytic leukemia (ALL)",
            "Acute myelogenous leukemia (AML)",
            "Chronic lymphocytic leukemia (CLL)",
            "Chronic myelogenous leukemia (CML)",
        ]
    )
    assert aspiration.blocks[3].items[-1] == (
        "White blood cell cancer called Waldenström macroglobulinemia"
    )
    biopsy = kb.document("bone-marrow-biopsy").section("abnormal_results")
    assert len(biopsy.blocks[3].items) == 13
    blood = kb.document("bone-marrow-and-stem-cells").section("blood_cells")
    assert (
        blood.blocks[1].items[2] == "platelets, which help the blood to clot and prevent bleeding."
    )


def test_round_trip(kb):
    data = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
    assert kb.to_dict() == data
    assert KnowledgeBase.from_dict(kb.to_dict()) == kb


def test_load_other_path(tmp_path):
    path = tmp_path / "kb.yml"
    path.write_text(
        "documents:\n"
        "- id: sample\n  title: Sample\n  source: Somebody\n  url: https://example.org/\n"
        "  review_date: 2020-01-02\n  review_date_text: 2 Jan 2020\n  procedure: biopsy\n"
        "  file: documents/sample.txt\n  sha256: abc\n  sections:\n"
        "  - id: sample/risks\n    topic: risks\n    heading: Risks\n    blocks:\n"
        "    - paragraph: One.\n    - bullets: [Two, Three]\n",
        encoding="utf-8",
    )
    kb = KnowledgeBase.load(path)
    [document] = kb.documents
    assert document.review_date == datetime.date(2020, 1, 2)
    assert document.url_note is None
    assert document.section("risks").text() == "One.\n\n• Two\n• Three"
    assert kb.for_procedure("biopsy") is document


def test_objects_are_frozen(kb):
    document = kb.document("bone-marrow-biopsy")
    with pytest.raises(dataclasses.FrozenInstanceError):
        document.title = "changed"
    with pytest.raises(dataclasses.FrozenInstanceError):
        document.sections[0].heading = "changed"
    assert isinstance(document.sections, tuple)
    assert isinstance(document.sections[0].blocks, tuple)


def test_block():
    assert Block.paragraph("Text.").render() == "Text."
    assert Block.bullets(["a", "b"]).render() == "• a\n• b"
    assert Block.from_dict({"bullets": ["a"]}) == Block(kind="bullets", items=("a",))
    with pytest.raises(ValueError, match="unknown block kind"):
        Block.from_dict({"table": "x"})
    with pytest.raises(ValueError, match="unknown block kind"):
        Block(kind="table")


def test_knowledge_module_is_import_light():
    code = (
        "import sys, bot.knowledge; "
        "heavy = {'ftfy', 'bot.ingest', 'rasa', 'spacy'} & set(sys.modules); "
        "print(sorted(heavy)); sys.exit(1 if heavy else 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr

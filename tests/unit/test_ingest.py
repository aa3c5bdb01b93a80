"""Ingestion of documents/ into knowledge/knowledge_base.yml (bot.ingest)."""

from __future__ import annotations

import datetime
import hashlib
import shutil
from pathlib import Path

import pytest
import yaml

from bot import PROJECT_ROOT
from bot.ingest import IngestError, build, dumps, main, parse_document, write
from bot.knowledge import KnowledgeBase

DOCUMENTS = PROJECT_ROOT / "documents"
FIXTURES = PROJECT_ROOT / "tests" / "fixtures" / "documents"
KB_FILE = PROJECT_ROOT / "knowledge" / "knowledge_base.yml"
SEEDS = PROJECT_ROOT.parent / "shared" / "seeds"  # the received files, beside the checkout

ASPIRATION_FILE = "medlineplus-003658-bone-marrow-aspiration.txt"
BIOPSY_FILE = "medlineplus-003934-bone-marrow-biopsy.txt"
CANCERBACKUP_FILE = "cancerbackup-bone-marrow-and-stem-cells.txt"

MEDLINEPLUS_TOPICS = [
    "overview",
    "how_performed",
    "preparation",
    "sensation",
    "purpose",
    "normal_results",
    "abnormal_results",
    "risks",
    "alternative_names",
]
MEDLINEPLUS_HEADINGS = [
    "How the Test is Performed",
    "How to Prepare for the Test",
    "How the Test will Feel",
    "Why the Test is Performed",
    "Normal Results",
    "What Abnormal Results Mean",
    "Risks",
    "Alternative Names",
]
CANCERBACKUP_TOPICS = [
    "bone_marrow",
    "stem_cells",
    "blood_cells",
    "stem_cell_collection",
    "transplant",
]
CANCERBACKUP_HEADINGS = [
    "What bone marrow is",
    "Stem cells",
    "The three types of blood cells",
    "Stem cells in the bloodstream and their collection",
    "What a 'bone marrow transplant' really is",
]

# (document id, topic, verbatim sentence): several from every section of every document
SENTENCES = [
    # Bone marrow aspiration (Markdown layout, hard-wrapped lines)
    (
        "bone-marrow-aspiration",
        "overview",
        "Bone marrow is the soft tissue inside bones that helps form blood cells.",
    ),
    (
        "bone-marrow-aspiration",
        "overview",
        "Bone marrow aspiration is the removal of a small amount of this tissue in liquid form "
        "for examination.",
    ),
    (
        "bone-marrow-aspiration",
        "overview",
        "Bone marrow aspiration is not the same as bone marrow biopsy. A biopsy removes a core "
        "of bone tissue for examination.",
    ),
    (
        "bone-marrow-aspiration",
        "how_performed",
        "Bone marrow aspiration may be done in the health care provider's office or in a hospital.",
    ),
    (
        "bone-marrow-aspiration",
        "how_performed",
        "The bone marrow is removed from your pelvic or breast bone. Sometimes, another bone is "
        "selected.",
    ),
    (
        "bone-marrow-aspiration",
        "how_performed",
        "The bone marrow fluid is sent to a laboratory and examined under a microscope.",
    ),
    ("bone-marrow-aspiration", "preparation", "Tell the provider:"),
    ("bone-marrow-aspiration", "preparation", "• If you have bleeding problems"),
    (
        "bone-marrow-aspiration",
        "sensation",
        "You will feel a sting and slight burning sensation when the numbing medicine is applied.",
    ),
    (
        "bone-marrow-aspiration",
        "sensation",
        "You may feel pressure as the needle is inserted into the bone, and a sharp and usually "
        "painful sucking sensation as the marrow is removed.",
    ),
    ("bone-marrow-aspiration", "sensation", "This feeling lasts for only a few seconds."),
    (
        "bone-marrow-aspiration",
        "purpose",
        "Your doctor may order this test if you have abnormal types or numbers of red or white "
        "blood cells or platelets on a complete blood count.",
    ),
    ("bone-marrow-aspiration", "purpose", "This test is used to diagnose:"),
    (
        "bone-marrow-aspiration",
        "purpose",
        "It may help determine whether cancers have spread or responded to treatment.",
    ),
    (
        "bone-marrow-aspiration",
        "normal_results",
        "The bone marrow should contain the proper number and types of:",
    ),
    ("bone-marrow-aspiration", "normal_results", "• Connective tissues"),
    (
        "bone-marrow-aspiration",
        "abnormal_results",
        "Abnormal results may be due to cancers of the bone marrow, including:",
    ),
    (
        "bone-marrow-aspiration",
        "abnormal_results",
        "Abnormal results may also be due to other causes, such as:",
    ),
    (
        "bone-marrow-aspiration",
        "abnormal_results",
        "• White blood cell cancer called Waldenström macroglobulinemia",
    ),
    ("bone-marrow-aspiration", "risks", "There may be some bleeding at the puncture site."),
    (
        "bone-marrow-aspiration",
        "risks",
        "More serious risks, such as serious bleeding or infection, are very rare.",
    ),
    ("bone-marrow-aspiration", "alternative_names", "Iliac crest tap; Sternal tap;"),
    (
        "bone-marrow-aspiration",
        "alternative_names",
        "Aplastic anemia - bone marrow aspiration; Myelodysplastic syndrome - bone marrow "
        "aspiration;",
    ),
    # Bone marrow biopsy (plain layout)
    (
        "bone-marrow-biopsy",
        "overview",
        "A bone marrow biopsy is the removal of marrow from inside one of your bones.",
    ),
    (
        "bone-marrow-biopsy",
        "overview",
        "An aspiration removes a small amount of marrow in liquid form for examination.",
    ),
    (
        "bone-marrow-biopsy",
        "how_performed",
        "A bone marrow biopsy may be done in your health care provider's office or in a hospital.",
    ),
    (
        "bone-marrow-biopsy",
        "how_performed",
        "This captures a tiny sample, or core, of bone marrow within the needle.",
    ),
    (
        "bone-marrow-biopsy",
        "how_performed",
        "After the skin is numbed, the needle is inserted into the bone, and a syringe is used "
        "to withdraw the liquid bone marrow.",
    ),
    ("bone-marrow-biopsy", "how_performed", "Or, another needle may be used for the biopsy."),
    ("bone-marrow-biopsy", "preparation", "Tell your provider:"),
    ("bone-marrow-biopsy", "preparation", "• What medicines you are taking"),
    (
        "bone-marrow-biopsy",
        "sensation",
        "You will feel a sharp sting when the numbing medicine is injected.",
    ),
    (
        "bone-marrow-biopsy",
        "sensation",
        "Since the inside of the bone cannot be numbed, this test may cause some discomfort.",
    ),
    (
        "bone-marrow-biopsy",
        "sensation",
        "If a bone marrow aspiration is also done, you may feel a brief, sharp pain as the bone "
        "marrow liquid is removed.",
    ),
    (
        "bone-marrow-biopsy",
        "purpose",
        "Your provider may order this test if you have abnormal types or numbers of red or white "
        "blood cells or platelets on a complete blood count (CBC).",
    ),
    ("bone-marrow-biopsy", "purpose", "• Certain infections"),
    (
        "bone-marrow-biopsy",
        "purpose",
        "It may also be used to help determine if a cancer has spread or responded to treatment.",
    ),
    (
        "bone-marrow-biopsy",
        "normal_results",
        "A normal result means the bone marrow contains the proper number and types of "
        "blood-forming (hematopoietic) cells, fat cells, and connective tissues.",
    ),
    (
        "bone-marrow-biopsy",
        "abnormal_results",
        "Abnormal results may be due to cancers of the bone marrow (leukemia, lymphoma, "
        "multiple myeloma, or other cancers).",
    ),
    (
        "bone-marrow-biopsy",
        "abnormal_results",
        "The results may detect the cause of anemia (too few red blood cells), abnormal white "
        "blood cells, or thrombocytopenia (too few platelets).",
    ),
    (
        "bone-marrow-biopsy",
        "abnormal_results",
        "Specific conditions for which the test may be performed:",
    ),
    ("bone-marrow-biopsy", "risks", "There may be some bleeding at the puncture site."),
    (
        "bone-marrow-biopsy",
        "risks",
        "More serious risks, such as serious bleeding or infection, are very rare.",
    ),
    ("bone-marrow-biopsy", "alternative_names", "Biopsy - bone marrow"),
    # Bone marrow and stem cells (Cancerbackup, split by sources.yml rules)
    (
        "bone-marrow-and-stem-cells",
        "bone_marrow",
        "Bone marrow is a spongy material that is found inside the bones (particularly the "
        "pelvic bones).",
    ),
    (
        "bone-marrow-and-stem-cells",
        "stem_cells",
        "Stem cells are blood cells at the earliest stage of development in the bone marrow.",
    ),
    (
        "bone-marrow-and-stem-cells",
        "stem_cells",
        "Within the bone marrow, stem cells develop into the different blood cells described "
        "below.",
    ),
    (
        "bone-marrow-and-stem-cells",
        "stem_cells",
        "When the cells are fully mature they are released into the bloodstream.",
    ),
    (
        "bone-marrow-and-stem-cells",
        "blood_cells",
        "Like a factory, bone marrow produces the cells which develop into the three different "
        "types of blood cells:",
    ),
    (
        "bone-marrow-and-stem-cells",
        "blood_cells",
        "• white blood cells, which are essential for fighting infection",
    ),
    (
        "bone-marrow-and-stem-cells",
        "stem_cell_collection",
        "Normally, most of the stem cells in the body are in the bone marrow and there are only "
        "very small numbers in the bloodstream.",
    ),
    (
        "bone-marrow-and-stem-cells",
        "stem_cell_collection",
        "However, it is possible to stimulate the stem cells to move into the bloodstream, by "
        "using low doses of certain chemotherapy drugs or injections of growth factors.",
    ),
    (
        "bone-marrow-and-stem-cells",
        "stem_cell_collection",
        "Stem cells can be collected from the bloodstream or from the bone marrow.",
    ),
    (
        "bone-marrow-and-stem-cells",
        "transplant",
        "A transplant using stem cells collected from the bone marrow is sometimes called a bone "
        "marrow transplant, when in fact it is really a transplant of stem cells.",
    ),
]

# (document id, topic, block index, items)
BULLET_LISTS = [
    (
        "bone-marrow-aspiration",
        "how_performed",
        2,
        [
            "If needed, you are given medicine to help you relax.",
            "The provider cleans the skin and injects numbing medicine into the area and surface "
            "of the bone.",
            "A special needle is inserted into the bone. The needle has a tube attached to it, "
            "which creates suction. A small sample of bone marrow fluid flows into the tube.",
            "The needle is removed.",
            "Pressure and then a bandage are applied to the skin.",
        ],
    ),
    (
        "bone-marrow-aspiration",
        "preparation",
        1,
        [
            "If you are allergic to any medicines",
            "If you are pregnant",
            "If you have bleeding problems",
            "What medicines you are taking",
        ],
    ),
    (
        "bone-marrow-aspiration",
        "purpose",
        2,
        [
            "Anemia (some types)",
            "Infections",
            "Leukemia",
            "Other blood cancers and disorders",
        ],
    ),
    (
        "bone-marrow-aspiration",
        "normal_results",
        1,
        [
            "Blood-forming cells",
            "Connective tissues",
            "Fat cells",
        ],
    ),
    (
        "bone-marrow-aspiration",
        "abnormal_results",
        1,
        [
            "Acute lymphocytic leukemia (ALL)",
            "Acute myelogenous leukemia (AML)",
            "Chronic lymphocytic leukemia (CLL)",
            "Chronic myelogenous leukemia (CML)",
        ],
    ),
    (
        "bone-marrow-aspiration",
        "abnormal_results",
        3,
        [
            "Bone marrow doesn't make enough blood cells (aplastic anemia)",
            "Bacterial or fungal infections that have spread throughout the body",
            "Cancer of the lymph tissue (Hodgkin or non-Hodgkin lymphoma)",
            "A bleeding disorder called idiopathic thrombocytopenic purpura (ITP)",
            "Blood cancer called (multiple myeloma)",
            "Disorder in which the bone marrow is replaced by scar tissue (myelofibrosis)",
            "Disorder in which not enough healthy blood cells are made (myelodysplastic "
            "syndrome; MDS)",
            "Abnormally low amount of platelets, which help blood to clot (primary "
            "thrombocytopenia)",
            "White blood cell cancer called Waldenström macroglobulinemia",
        ],
    ),
    (
        "bone-marrow-biopsy",
        "how_performed",
        2,
        [
            "If needed, you are given medicine to help you relax.",
            "Your provider cleans the skin and injects numbing medicine into the area and surface "
            "of the bone.",
            "A biopsy needle is inserted into the bone. The center of the needle is removed and "
            "the hollowed needle is moved deeper into the bone. This captures a tiny sample, or "
            "core, of bone marrow within the needle.",
            "The sample and needle are removed.",
            "Pressure and then a bandage are applied to the skin.",
        ],
    ),
    (
        "bone-marrow-biopsy",
        "preparation",
        1,
        [
            "If you are allergic to any medicines",
            "What medicines you are taking",
            "If you have bleeding problems",
            "If you are pregnant",
        ],
    ),
    (
        "bone-marrow-biopsy",
        "purpose",
        2,
        [
            "Anemia (some types)",
            "Certain infections",
            "Leukemia",
            "Other blood cancers and disorders",
        ],
    ),
    # one list in the source, with a stray blank line after "(amyloidosis)"
    (
        "bone-marrow-biopsy",
        "abnormal_results",
        3,
        [
            "A body-wide fungal infection (for example, disseminated coccidioidomycosis)",
            "A white blood cell cancer called hairy cell leukemia",
            "Cancer of the lymph tissue (Hodgkin or non-Hodgkin lymphoma)",
            "Bone marrow doesn't make enough blood cells (aplastic anemia)",
            "Blood cancer called multiple myeloma",
            "Group of disorders in which not enough healthy blood cells are made "
            "(myelodysplastic syndrome; MDS)",
            "A nerve tissue tumor called neuroblastoma",
            "Bone marrow disease that leads to an abnormal increase in blood cells "
            "(polycythemia vera)",
            "Abnormal protein buildup in tissues and organs (amyloidosis)",
            "Bone marrow disorder in which the marrow is replaced by fibrous scar tissue "
            "(myelofibrosis)",
            "Bone marrow produces too many platelets (thrombocythemia)",
            "White blood cell cancer called Waldenström macroglobulinemia",
            "Unexplained anemia, thrombocytopenia (low platelet count) or leukopenia (low WBC "
            "count)",
        ],
    ),
    (
        "bone-marrow-and-stem-cells",
        "blood_cells",
        1,
        [
            "red blood cells, which carry oxygen to all cells in the body",
            "white blood cells, which are essential for fighting infection",
            "platelets, which help the blood to clot and prevent bleeding.",
        ],
    ),
]

# material from the pages' chrome, references, review block and footers
DROPPED = [
    "References",
    "Chernecky",
    "Vajpayee",
    "Laboratory Tests and Diagnostic Procedures",
    "Learn how to cite",
    "URAC",
    "accredited",
    "HONcode",
    "Skip the",
    "Skip navigation",
    "Page Content Navigation",
    "Page Banner",
    "Primary navigation",
    "0808 800 1234",
    "specialist cancer nurse",
    "Copyright",
    "©",
    "![",
    "](",
    "Images",
    "Sternum",
    "Updated by",
    "LoCicero",
    "Gersten",
    "Review Date",
    "To use the sharing features",
    "Español",
    "Ã",
    "â",
    "Bone and bone marrow",
    "Content last reviewed",
    "Page last modified",
    "The best cancer information",
    "has merged with",
    "Health Topics",
    "Read more",
    "Rockville Pike",
    "Health Content",
    "medical emergency",
    "Cancerbackup:",
]


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return build(DOCUMENTS)


def _section(kb: KnowledgeBase, doc_id: str, topic: str):
    section = kb.document(doc_id).section(topic)
    assert section is not None, f"{doc_id} has no section {topic}"
    return section


def _copy_documents(target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for path in DOCUMENTS.iterdir():
        shutil.copy2(path, target / path.name)
    return target


# --- the three source documents -------------------------------------------------------------


def test_documents_in_sources_yml_order(kb):
    assert [d.id for d in kb.documents] == [
        "bone-marrow-aspiration",
        "bone-marrow-biopsy",
        "bone-marrow-and-stem-cells",
    ]


@pytest.mark.parametrize("doc_id", ["bone-marrow-aspiration", "bone-marrow-biopsy"])
def test_medlineplus_section_order_and_ids(kb, doc_id):
    document = kb.document(doc_id)
    assert [s.topic for s in document.sections] == MEDLINEPLUS_TOPICS
    assert [s.id for s in document.sections] == [f"{doc_id}/{t}" for t in MEDLINEPLUS_TOPICS]
    assert [s.heading for s in document.sections] == [document.title, *MEDLINEPLUS_HEADINGS]


def test_cancerbackup_section_order_and_ids(kb):
    document = kb.document("bone-marrow-and-stem-cells")
    assert [s.id for s in document.sections] == [
        "bone-marrow-and-stem-cells/bone_marrow",
        "bone-marrow-and-stem-cells/stem_cells",
        "bone-marrow-and-stem-cells/blood_cells",
        "bone-marrow-and-stem-cells/stem_cell_collection",
        "bone-marrow-and-stem-cells/transplant",
    ]
    assert [s.topic for s in document.sections] == CANCERBACKUP_TOPICS
    assert [s.heading for s in document.sections] == CANCERBACKUP_HEADINGS


@pytest.mark.parametrize(("doc_id", "topic", "sentence"), SENTENCES)
def test_verbatim_sentences(kb, doc_id, topic, sentence):
    assert sentence in _section(kb, doc_id, topic).text()


def test_every_section_has_pinned_sentences(kb):
    pinned = {(doc_id, topic) for doc_id, topic, _ in SENTENCES}
    assert pinned == {(d.id, s.topic) for d in kb.documents for s in d.sections}


@pytest.mark.parametrize(("doc_id", "topic", "index", "items"), BULLET_LISTS)
def test_bullet_items(kb, doc_id, topic, index, items):
    block = _section(kb, doc_id, topic).blocks[index]
    assert block.kind == "bullets"
    assert list(block.items) == items


def test_hard_wrapped_lines_are_unwrapped(kb):
    # each of these spans several lines in the Markdown source
    assert _section(kb, "bone-marrow-aspiration", "alternative_names").text() == (
        "Iliac crest tap; Sternal tap; Leukemia - bone marrow aspiration; Aplastic anemia - "
        "bone marrow aspiration; Myelodysplastic syndrome - bone marrow aspiration; "
        "Thrombocytopenia - bone marrow aspiration; Myelofibrosis - bone marrow aspiration"
    )
    assert _section(kb, "bone-marrow-aspiration", "sensation").text() == (
        "You will feel a sting and slight burning sensation when the numbing medicine is "
        "applied. You may feel pressure as the needle is inserted into the bone, and a sharp "
        "and usually painful sucking sensation as the marrow is removed. This feeling lasts "
        "for only a few seconds."
    )
    source = (DOCUMENTS / ASPIRATION_FILE).read_text(encoding="utf-8")
    assert "numbing medicine\nis applied" in source  # really wrapped in the source


def test_text_is_clean(kb):
    for document in kb.documents:
        for section in document.sections:
            for block in section.blocks:
                texts = block.items if block.kind == "bullets" else (block.text,)
                assert texts, section.id
                assert all(texts), section.id
                for text in texts:
                    assert text == text.strip()
                    assert "\n" not in text, (section.id, text)
                    assert "  " not in text, (section.id, text)
                    assert not text.startswith(("*", "-", "•", "#")), (section.id, text)


def test_mojibake_repaired(kb):
    raw = (DOCUMENTS / ASPIRATION_FILE).read_text(encoding="utf-8")
    assert "WaldenstrÃ¶m" in raw  # the damage is in the source ...
    for doc_id in ("bone-marrow-aspiration", "bone-marrow-biopsy"):
        items = _section(kb, doc_id, "abnormal_results").blocks[-1].items
        assert "White blood cell cancer called Waldenström macroglobulinemia" in items


@pytest.mark.parametrize(
    ("doc_id", "expected"),
    [
        (
            "bone-marrow-aspiration",
            {
                "title": "Bone marrow aspiration",
                "source": "MedlinePlus Medical Encyclopedia (U.S. National Library of Medicine)",
                "url": "https://medlineplus.gov/ency/article/003658.htm",
                "url_note": None,
                "review_date": datetime.date(2018, 4, 2),
                "review_date_text": "4/2/2018",
                "procedure": "aspiration",
                "file": "documents/" + ASPIRATION_FILE,
            },
        ),
        (
            "bone-marrow-biopsy",
            {
                "title": "Bone marrow biopsy",
                "source": "MedlinePlus Medical Encyclopedia (U.S. National Library of Medicine)",
                "url": "https://medlineplus.gov/ency/article/003934.htm",
                "url_note": None,
                "review_date": datetime.date(2024, 6, 17),
                "review_date_text": "6/17/2024",
                "procedure": "biopsy",
                "file": "documents/" + BIOPSY_FILE,
            },
        ),
        (
            "bone-marrow-and-stem-cells",
            {
                "title": "Bone marrow and stem cells",
                "source": "Cancerbackup (now Macmillan Cancer Support)",
                "url": "https://www.macmillan.org.uk/",
                "url_note": "successor organisation's site; original page URL not in the "
                "received copy",
                "review_date": datetime.date(2006, 6, 1),
                "review_date_text": "01 June 2006",
                "procedure": None,
                "file": "documents/" + CANCERBACKUP_FILE,
            },
        ),
    ],
)
def test_metadata(kb, doc_id, expected):
    document = kb.document(doc_id)
    assert {key: getattr(document, key) for key in expected} == expected
    data = (PROJECT_ROOT / document.file).read_bytes()
    assert document.sha256 == hashlib.sha256(data).hexdigest()


def test_metadata_detected_without_overrides():
    # the MedlinePlus files need no sources.yml entry; the Cancerbackup review date is
    # detected from "Content last reviewed: 01 June 2006"
    document = parse_document(DOCUMENTS / BIOPSY_FILE)
    assert document.url == "https://medlineplus.gov/ency/article/003934.htm"
    assert document.review_date == datetime.date(2024, 6, 17)
    sources = yaml.safe_load((DOCUMENTS / "sources.yml").read_text(encoding="utf-8"))
    overrides = sources["documents"][CANCERBACKUP_FILE]["overrides"]
    assert "review_date" not in overrides
    cancerbackup = parse_document(DOCUMENTS / CANCERBACKUP_FILE, overrides)
    assert cancerbackup.review_date == datetime.date(2006, 6, 1)


def test_dropped_material_absent(kb):
    yaml_text = dumps(kb)
    for document in kb.documents:
        for section in document.sections:
            text = section.text()
            assert "http" not in text
            assert "medlineplus.gov" not in text
            for dropped in DROPPED:
                assert dropped not in text, (section.id, dropped)
    for dropped in DROPPED:
        assert dropped not in yaml_text.split("documents:", 1)[1], dropped
    # ... while all of it really is in the sources
    sources = "".join(
        (DOCUMENTS / name).read_text(encoding="utf-8")
        for name in (ASPIRATION_FILE, BIOPSY_FILE, CANCERBACKUP_FILE)
    )
    missing = [d for d in DROPPED if d not in sources and d not in ("Español",)]
    assert missing == []


# --- the committed knowledge base -----------------------------------------------------------


def test_committed_knowledge_base_is_up_to_date(kb):
    assert KB_FILE.read_text(encoding="utf-8") == dumps(kb), (
        "knowledge/knowledge_base.yml is stale: run `make ingest`"
    )
    assert main(["--check"]) == 0


def test_header_and_yaml_shape():
    text = KB_FILE.read_text(encoding="utf-8")
    assert text.startswith("# GENERATED FILE - DO NOT EDIT BY HAND.\n")
    header = text.split("documents:", 1)[0]
    assert "make ingest" in header
    assert "documents/" in header
    data = yaml.safe_load(text)
    first = data["documents"][0]
    assert list(first) == [
        "id",
        "title",
        "source",
        "url",
        "review_date",
        "review_date_text",
        "procedure",
        "procedure_name",
        "procedure_aliases",
        "file",
        "sha256",
        "sections",
    ]
    assert "url_note" in data["documents"][2]
    assert first["review_date"] == "2018-04-02"
    assert "review_date: '2018-04-02'" in text
    assert "Waldenström" in text  # unicode written as is
    for document in data["documents"]:
        for section in document["sections"]:
            assert list(section) == ["id", "topic", "heading", "blocks"]
            for block in section["blocks"]:
                assert list(block) in (["paragraph"], ["bullets"])


def test_output_is_deterministic(tmp_path):
    out = tmp_path / "kb.yml"
    assert main(["--documents", str(DOCUMENTS), "--output", str(out)]) == 0
    first = out.read_bytes()
    write(build(DOCUMENTS), out)
    assert out.read_bytes() == first == KB_FILE.read_bytes()
    assert [p.name for p in tmp_path.iterdir()] == ["kb.yml"]  # no temporary files left


def test_check_names_the_stale_document(tmp_path, capsys):
    documents = _copy_documents(tmp_path / "documents")
    out = tmp_path / "kb.yml"
    shutil.copy2(KB_FILE, out)
    assert main(["--check", "--documents", str(documents), "--output", str(out)]) == 0
    biopsy = documents / BIOPSY_FILE
    biopsy.write_text(
        biopsy.read_text(encoding="utf-8").replace("are very rare.", "are rare."),
        encoding="utf-8",
    )
    capsys.readouterr()
    assert main(["--check", "--documents", str(documents), "--output", str(out)]) == 1
    err = capsys.readouterr().err
    assert "out of date" in err
    assert "bone-marrow-biopsy" in err
    assert "bone-marrow-biopsy/risks" in err
    assert "bone-marrow-aspiration" not in err
    assert out.read_bytes() == KB_FILE.read_bytes()  # --check never writes


def test_check_fails_when_output_missing(tmp_path, capsys):
    assert main(["--check", "--output", str(tmp_path / "missing.yml")]) == 1
    assert "does not exist" in capsys.readouterr().err


# --- new documents --------------------------------------------------------------------------


def test_new_markdown_document_ingests(tmp_path):
    shutil.copy2(FIXTURES / "good-markdown.md", tmp_path / "good-markdown.md")
    kb = build(tmp_path)
    [document] = kb.documents
    assert document.id == "bone-marrow-sample-aftercare"
    assert document.title == "Bone marrow sample aftercare"
    assert document.url == "https://medlineplus.gov/ency/article/999901.htm"
    assert document.source == (
        "MedlinePlus Medical Encyclopedia (U.S. National Library of Medicine)"
    )
    assert document.review_date == datetime.date(2021, 3, 5)
    assert document.review_date_text == "3/5/2021"
    # a page with a test leaflet's sections describes a test, named after its title
    assert document.procedure == "bone-marrow-sample-aftercare"
    assert document.procedure_name == "bone marrow sample aftercare"
    assert [s.id for s in document.sections] == [
        "bone-marrow-sample-aftercare/overview",
        "bone-marrow-sample-aftercare/sensation",
        "bone-marrow-sample-aftercare/when_to_contact_a_medical_professional",
    ]
    assert document.sections[0].text() == (
        "This sample page is a test fixture. Its first paragraph is hard-wrapped over several "
        "lines, which ingestion must join back into one paragraph."
    )
    # link syntax and emphasis markers stripped, words kept
    assert document.section("sensation").text() == (
        "The site may feel sore for a few days. See the care sheet for details."
    )
    unknown = document.section("when_to_contact_a_medical_professional")
    assert unknown.heading == "When to Contact a Medical Professional"
    assert unknown.text() == (
        "Contact your provider if you notice:\n\n"
        "• Bleeding that does not stop after you press on the site for ten minutes\n"
        "• A fever, which can be a sign of infection\n"
        "• Redness that spreads around the site of the Waldenström test"
    )
    text = dumps(kb)
    for dropped in (
        "Images",
        "1129t",
        "Fixtures",
        "Review Date",
        "Updated by",
        "URAC",
        "Skip navigation",
        "Health Topics",
        "sharing features",
    ):
        assert dropped not in text.split("sections:", 1)[1], dropped


def test_new_plain_document_ingests(tmp_path):
    shutil.copy2(FIXTURES / "good-plain.txt", tmp_path / "good-plain.txt")
    [document] = build(tmp_path).documents
    assert document.id == "bone-marrow-biopsy-recovery"
    assert document.url == "https://medlineplus.gov/ency/article/999902.htm"
    assert document.review_date == datetime.date(2023, 11, 30)
    assert document.procedure == "bone-marrow-biopsy-recovery"  # no other test known
    assert [(s.topic, s.heading) for s in document.sections] == [
        ("overview", "Bone marrow biopsy recovery"),
        ("preparation", "How to Prepare for the Test"),
        ("caring_for_the_site_at_home", "Caring for the Site at Home"),
        ("alternative_names", "Alternative Names"),
    ]
    assert document.section("preparation").text() == (
        "Tell your provider:\n\n"
        "• If you take medicines that thin the blood\n"
        "• If you have had a reaction to numbing medicine"
    )
    assert document.section("caring_for_the_site_at_home").text() == (
        "Keep the bandage dry for 24 hours. You can take a shower after that."
    )
    # a short line right under a heading is content, not a heading
    assert document.section("alternative_names").text() == "Biopsy recovery - bone marrow"
    everything = "\n".join(s.text() for s in document.sections)
    for dropped in ("Fixture references", "Journal", "Learn how", "URAC", "©", "Home", "→"):
        assert dropped not in everything


def test_content_that_looks_like_chrome_is_kept(tmp_path):
    path = tmp_path / "page.txt"
    path.write_text(
        "URL of this page: https://example.org/page\n\nA page\n\nIntro.\n\n"
        "How to Prepare for the Test\n\n"
        "Skip the meal before the test if your provider tells you to.\n\n"
        "Review Date 1/2/2020\n",
        encoding="utf-8",
    )
    document = parse_document(path)
    assert document.section("preparation").text() == (
        "Skip the meal before the test if your provider tells you to."
    )


def test_new_document_next_to_the_real_ones(tmp_path):
    documents = _copy_documents(tmp_path / "documents")
    for name in ("good-plain.txt", "good-markdown.md"):
        shutil.copy2(FIXTURES / name, documents / name)
    kb = build(documents)
    # listed in sources.yml first, in its order; unlisted files after, by name
    assert [d.id for d in kb.documents] == [
        "bone-marrow-aspiration",
        "bone-marrow-biopsy",
        "bone-marrow-and-stem-cells",
        "bone-marrow-sample-aftercare",
        "bone-marrow-biopsy-recovery",
    ]
    assert kb.document("bone-marrow-biopsy-recovery").file == "documents/good-plain.txt"
    out = tmp_path / "kb.yml"
    write(kb, out)
    assert KnowledgeBase.load(out) == kb


# --- bad files ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("bad-empty.txt", "the file is empty"),
        ("bad-binary.txt", "binary file"),
        ("bad-not-utf8.txt", "not UTF-8 text"),
        ("bad-no-title.txt", "no recognisable title"),
        ("bad-no-sections.md", "no sections found"),
    ],
)
def test_bad_file_rejected_and_output_untouched(tmp_path, capsys, name, reason):
    documents = tmp_path / "documents"
    documents.mkdir()
    shutil.copy2(FIXTURES / "good-plain.txt", documents / "good-plain.txt")
    shutil.copy2(FIXTURES / name, documents / name)
    out = tmp_path / "knowledge" / "knowledge_base.yml"
    out.parent.mkdir()
    out.write_bytes(b"# the existing knowledge base\n")
    code = main(["--documents", str(documents), "--output", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    assert name in err
    assert reason in err
    assert "unchanged" in err
    assert out.read_bytes() == b"# the existing knowledge base\n"
    assert [p.name for p in out.parent.iterdir()] == ["knowledge_base.yml"]


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("bad-empty.txt", "the file is empty"),
        ("bad-binary.txt", "binary file"),
        ("bad-not-utf8.txt", "not UTF-8 text"),
        ("bad-no-title.txt", "no recognisable title"),
        ("bad-no-sections.md", "no sections found"),
    ],
)
def test_parse_document_errors(name, reason):
    with pytest.raises(IngestError) as caught:
        parse_document(FIXTURES / name)
    assert caught.value.file.endswith(name)
    assert reason in caught.value.reason
    assert str(caught.value) == f"{caught.value.file}: {caught.value.reason}"


def test_ingest_error_message():
    error = IngestError("documents/x.txt", "the file is empty")
    assert (error.file, error.reason) == ("documents/x.txt", "the file is empty")
    assert str(error) == "documents/x.txt: the file is empty"


def test_unsupported_file_type_rejected(tmp_path, capsys):
    (tmp_path / "leaflet.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    assert main(["--documents", str(tmp_path), "--output", str(tmp_path / "kb.yml")]) == 2
    err = capsys.readouterr().err
    assert "leaflet.pdf" in err
    assert "unsupported file type '.pdf'" in err
    assert not (tmp_path / "kb.yml").exists()


def test_document_without_url_or_review_date_rejected(tmp_path):
    path = tmp_path / "no-url.md"
    path.write_text("# A page\n\nSome text.\n\n## Risks\n\nNone.\n", encoding="utf-8")
    with pytest.raises(IngestError, match="no source URL found"):
        parse_document(path)
    with pytest.raises(IngestError, match="no review date found"):
        parse_document(path, {"url": "https://example.org/page"})
    document = parse_document(
        path, {"url": "//example.org/page", "review_date": datetime.date(2020, 1, 2)}
    )
    assert (document.url, document.source) == ("https://example.org/page", "example.org")
    assert (document.review_date_text, document.sections[-1].id) == ("2020-01-02", "a-page/risks")


def test_overrides_win():
    document = parse_document(
        DOCUMENTS / ASPIRATION_FILE,
        {"id": "aspiration", "title": "Aspiration", "procedure": None, "source": "Someone"},
    )
    assert (document.id, document.title, document.procedure, document.source) == (
        "aspiration",
        "Aspiration",
        None,
        "Someone",
    )
    assert document.sections[0].id == "aspiration/overview"


def test_unknown_override_rejected():
    with pytest.raises(IngestError, match=r"unknown override.*titel"):
        parse_document(DOCUMENTS / ASPIRATION_FILE, {"titel": "typo"})


def test_split_rule_not_found_is_an_error():
    sources = yaml.safe_load((DOCUMENTS / "sources.yml").read_text(encoding="utf-8"))
    overrides = sources["documents"][CANCERBACKUP_FILE]["overrides"]
    overrides["split"][2]["starts"] = "Like a warehouse"
    with pytest.raises(IngestError, match=r"blood_cells.*Like a warehouse") as caught:
        parse_document(DOCUMENTS / CANCERBACKUP_FILE, overrides)
    assert caught.value.file.endswith(CANCERBACKUP_FILE)


def test_sources_yml_listing_a_missing_file_is_an_error(tmp_path):
    documents = _copy_documents(tmp_path / "documents")
    (documents / CANCERBACKUP_FILE).unlink()
    with pytest.raises(IngestError, match=CANCERBACKUP_FILE) as caught:
        build(documents)
    assert caught.value.file.endswith("sources.yml")


# --- provenance -----------------------------------------------------------------------------


def test_sources_yml_provenance_matches_files():
    sources = yaml.safe_load((DOCUMENTS / "sources.yml").read_text(encoding="utf-8"))
    entries = sources["documents"]
    assert list(entries) == [ASPIRATION_FILE, BIOPSY_FILE, CANCERBACKUP_FILE]
    originals = {}
    for name, entry in entries.items():
        provenance = entry["provenance"]
        data = (DOCUMENTS / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == provenance["sha256"], name
        assert provenance["what"]
        assert provenance["rights"]
        originals[name] = provenance["original_file"]
    assert originals == {
        ASPIRATION_FILE: "000_dafa20d53387797a.txt",
        BIOPSY_FILE: "001_91b066a0a1ecb0af.txt",
        CANCERBACKUP_FILE: "002_c42d77481343b181.txt",
    }
    if SEEDS.is_dir():  # byte-for-byte copies of the received files
        for name, original in originals.items():
            assert (DOCUMENTS / name).read_bytes() == (SEEDS / original).read_bytes()


def test_a_page_whose_title_names_a_known_test_is_about_that_test(tmp_path):
    shutil.copy2(FIXTURES / "good-plain.txt", tmp_path / "good-plain.txt")
    kb = build(DOCUMENTS, tmp_path)
    recovery = kb.document("bone-marrow-biopsy-recovery")
    assert (recovery.procedure, recovery.procedure_name) == ("biopsy", "bone marrow biopsy")
    assert kb.procedures().ids == ("aspiration", "biopsy")


def test_procedure_overrides_are_checked(tmp_path):
    shutil.copy2(FIXTURES / "good-plain.txt", tmp_path / "good-plain.txt")
    for overrides, message in (
        ({"procedure": "Bone Biopsy!"}, "override 'procedure'"),
        ({"procedure_names": "lp"}, "override 'procedure_names'"),
        ({"procedure_name": ""}, "override 'procedure_name'"),
    ):
        (tmp_path / "sources.yml").write_text(yaml.safe_dump(
            {"documents": {"good-plain.txt": {"overrides": overrides}}}), encoding="utf-8")
        with pytest.raises(IngestError, match=message):
            build(tmp_path)

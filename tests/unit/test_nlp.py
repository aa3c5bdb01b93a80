"""The project's own spaCy pipeline (bot/nlp.py) and its use from Rasa's spaCy components."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import spacy
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.extractors.spacy_entity_extractor import SpacyEntityExtractor
from rasa.nlu.tokenizers.spacy_tokenizer import SpacyTokenizer
from rasa.nlu.utils.spacy_utils import SpacyNLP
from rasa.shared.nlu.training_data.message import Message

from bot import PROJECT_ROOT
from bot import nlp as bot_nlp
from bot.knowledge import KnowledgeBase
from bot.procedures import Procedure, ProcedureVocabulary

VOCAB = bot_nlp.VOCAB_DIR


@pytest.fixture(scope="module")
def model_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return bot_nlp.save(tmp_path_factory.mktemp("spacy") / "spacy_model")


@pytest.fixture(scope="module")
def loaded(model_path: Path) -> spacy.language.Language:
    return spacy.load(model_path)


def ents(nlp: spacy.language.Language, text: str) -> list[tuple[str, str, str]]:
    return [(e.text, e.label_, e.ent_id_) for e in nlp(text).ents]


# ---------------------------------------------------------------------------------------------
# Vocabulary files
# ---------------------------------------------------------------------------------------------


def procedures() -> ProcedureVocabulary:
    return KnowledgeBase.load().procedures()


def test_procedure_vocabulary_comes_from_the_knowledge_base() -> None:
    vocabulary = procedures()
    assert vocabulary.ids == ("aspiration", "biopsy")
    assert vocabulary.name("biopsy") == "bone marrow biopsy"
    aspiration, biopsy = vocabulary.procedures
    # the page's own "Alternative Names" and the additions in documents/sources.yml
    for term in ("bone marrow aspiration", "sternal tap", "iliac crest tap", "bma", "aspiraton"):
        assert term in aspiration.terms
    for term in ("bone marrow biopsy", "trephine", "bmb", "biospy", "biopsey"):
        assert term in biopsy.terms
    # "Leukemia - bone marrow aspiration" names a condition, not the test
    assert not any("leukemia" in term for term in aspiration.terms)
    assert {"hip", "sternum"} <= set(bot_nlp.load_vocabulary()[bot_nlp.BODY_SITE_LABEL])
    assert bot_nlp.PROCEDURE_LABEL not in bot_nlp.load_vocabulary()


def test_bone_marrow_alone_is_not_a_procedure() -> None:
    for procedure in procedures().procedures:
        assert "bone marrow" not in procedure.terms
        assert "marrow" not in procedure.terms
        assert "bone marow" not in procedure.terms


def with_lumbar_puncture() -> ProcedureVocabulary:
    extra = Procedure("lumbar-puncture", "lumbar puncture", ("lumbar puncture", "spinal tap", "lp"))
    return ProcedureVocabulary.from_procedures([*procedures().procedures, extra])


def test_a_leaflet_added_for_another_test_makes_its_names_procedures() -> None:
    before = bot_nlp.build_pipeline(procedures=procedures())
    assert ents(before, "does a spinal tap hurt") == [
        ("spinal tap", "other_procedure", "other_test")]
    after = bot_nlp.build_pipeline(procedures=with_lumbar_puncture())
    assert ents(after, "does a spinal tap hurt") == [("spinal tap", "procedure", "lumbar-puncture")]
    assert ents(after, "my LP and my BMA") == [
        ("LP", "procedure", "lumbar-puncture"), ("BMA", "procedure", "aspiration")]
    # still another test: not in the knowledge base
    assert ents(after, "a colonoscopy") == [("colonoscopy", "other_procedure", "other_test")]
    # the vocabulary travels in the pipeline's meta, for the NLU components
    assert bot_nlp.pipeline_procedures(after) == with_lumbar_puncture()
    assert bot_nlp.fingerprint(procedures=with_lumbar_puncture()) != bot_nlp.fingerprint()


def test_a_term_with_two_meanings_is_rejected(tmp_path: Path) -> None:
    for name in bot_nlp.ENTITY_VOCABULARY_FILES:
        shutil.copy(VOCAB / name, tmp_path / name)
    with (tmp_path / "lay_terms.yml").open("a", encoding="utf-8") as handle:
        handle.write("\nclash:\n  clash:\n    - breastbone\n")
    with pytest.raises(bot_nlp.VocabularyError, match="breastbone"):
        bot_nlp.load_vocabulary(tmp_path)


# ---------------------------------------------------------------------------------------------
# The pipeline
# ---------------------------------------------------------------------------------------------


def test_pipeline_components(loaded: spacy.language.Language) -> None:
    assert loaded.pipe_names == ["lemmatizer", "entity_ruler"]
    assert loaded.get_pipe("lemmatizer").mode == "lookup"
    # the lookup tables travel inside the saved model
    assert loaded.get_pipe("lemmatizer").lookups.has_table("lemma_lookup")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("does a sternal tap hurt", [("sternal tap", "procedure", "aspiration")]),
        ("Does A STERNAL TAP hurt", [("STERNAL TAP", "procedure", "aspiration")]),
        ("a bone marrow aspiration", [("bone marrow aspiration", "procedure", "aspiration")]),
        ("is the aspiration painful", [("aspiration", "procedure", "aspiration")]),
        ("my BMA is on monday", [("BMA", "procedure", "aspiration")]),
        ("the marrow aspirate took long", [("marrow aspirate", "procedure", "aspiration")]),
        ("iliac crest tap tomorrow", [("iliac crest tap", "procedure", "aspiration")]),
        ("bone marow aspiration", [("bone marow aspiration", "procedure", "aspiration")]),
        ("the aspiraton", [("aspiraton", "procedure", "aspiration")]),
        ("what is a biopsy", [("biopsy", "procedure", "biopsy")]),
        ("Bone Marrow Biopsy results", [("Bone Marrow Biopsy", "procedure", "biopsy")]),
        ("is a trephine biopsy worse", [("trephine biopsy", "procedure", "biopsy")]),
        ("core biopsy", [("core biopsy", "procedure", "biopsy")]),
        ("the biospy hurt", [("biospy", "procedure", "biopsy")]),
        ("biopsey tomorrow", [("biopsey", "procedure", "biopsy")]),
        ("bone marrow", []),
        ("my bone marrow results", []),
        (
            "bone marrow aspiration and biopsy from the back of the hip",
            [
                ("bone marrow aspiration", "procedure", "aspiration"),
                ("biopsy", "procedure", "biopsy"),
                ("back of the hip", "body_site", "hip"),
            ],
        ),
        ("they take it from the breastbone", [("breastbone", "body_site", "sternum")]),
        (
            "the iliac crest or the Sternum",
            [("iliac crest", "body_site", "hip"), ("Sternum", "body_site", "sternum")],
        ),
        ("pelvic bone", [("pelvic bone", "body_site", "hip")]),
        ("will the numbing shot hurt", [("numbing shot", "anaesthetic", "local_anaesthetic")]),
        ("I'm on warfarin", [("warfarin", "blood_thinner", "blood_thinner")]),
        # lay descriptions and other languages (documents/sources.yml)
        ("the one in the hip where they take a little bit of bone out",
         [("hip", "body_site", "hip"), ("bit of bone", "procedure", "biopsy")]),
        ("the one where they take a core", [("take a core", "procedure", "biopsy")]),
        ("the liquid bit", [("liquid bit", "procedure", "aspiration")]),
        ("the test of marrow tomorow, the biopsia", [("biopsia", "procedure", "biopsy")]),
        # (session 12) the aspiration described; other aspirations and scans; a painkiller's brand
        ("wat does it feel like when they suck the marrow out",
         [("suck the marrow out", "procedure", "aspiration")]),
        ("something called aspiration pneumonia",
         [("aspiration pneumonia", "other_procedure", "other_biopsy")]),
        ("whats a DEXA scan", [("DEXA scan", "other_procedure", "other_test")]),
        ("can i give her calpol", [("calpol", "pain_relief", "painkiller")]),
    ],
)
def test_entities(loaded: spacy.language.Language, text: str, expected: list) -> None:
    assert ents(loaded, text) == expected


def test_in_memory_pipeline_matches_saved_one(loaded: spacy.language.Language) -> None:
    fresh = bot_nlp.build_pipeline()
    for text in ("does a sternal tap hurt", "the biospy from the pelvis", "BMB and BMA"):
        assert ents(fresh, text) == ents(loaded, text)


@pytest.mark.parametrize(
    "word, lemma",
    [
        ("bleeding", "bleed"),
        ("hurts", "hurt"),
        ("bled", "bleed"),
        ("fainted", "faint"),
        ("soaked", "soak"),
        ("needles", "needle"),
        ("results", "result"),
        ("was", "be"),
    ],
)
def test_lemmas(loaded: spacy.language.Language, word: str, lemma: str) -> None:
    assert loaded(f"it {word}")[1].lemma_ == lemma


# ---------------------------------------------------------------------------------------------
# Saving, fingerprint, ensure_pipeline, CLI
# ---------------------------------------------------------------------------------------------


def test_saved_model_has_fingerprint(model_path: Path) -> None:
    assert (model_path / "config.cfg").is_file()
    assert bot_nlp.saved_fingerprint(model_path) == bot_nlp.fingerprint()
    assert bot_nlp.is_current(model_path)
    assert spacy.info(str(model_path))["fingerprint"] == bot_nlp.fingerprint()


def test_ensure_pipeline_builds_only_when_missing_or_stale(tmp_path: Path) -> None:
    target = tmp_path / "model"
    assert bot_nlp.ensure_pipeline(target) is True
    assert bot_nlp.ensure_pipeline(target) is False
    (target / bot_nlp.FINGERPRINT_FILE).write_text("stale", encoding="utf-8")
    assert not bot_nlp.is_current(target)
    assert bot_nlp.ensure_pipeline(target) is True
    assert bot_nlp.is_current(target)
    assert not list(tmp_path.glob(".model*")), "temporary build directories are cleaned up"


def test_fingerprint_follows_the_vocabulary(tmp_path: Path) -> None:
    for name in bot_nlp.ENTITY_VOCABULARY_FILES:
        shutil.copy(VOCAB / name, tmp_path / name)
    before = bot_nlp.fingerprint(tmp_path)
    assert before == bot_nlp.fingerprint()
    with (tmp_path / "body_sites.yml").open("a", encoding="utf-8") as handle:
        handle.write("    - thigh bone\n")
    assert bot_nlp.fingerprint(tmp_path) != before


def test_default_path_is_under_the_project() -> None:
    assert bot_nlp.DEFAULT_MODEL_PATH == PROJECT_ROOT / "build" / "spacy_model"


def test_cli_build_and_ensure(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "cli_model"
    assert bot_nlp.main(["build", "--output", str(target)]) == 0
    assert "built" in capsys.readouterr().out
    assert bot_nlp.main(["ensure", "--output", str(target)]) == 0
    assert "up to date" in capsys.readouterr().out
    assert bot_nlp.is_current(target)


# ---------------------------------------------------------------------------------------------
# normalize_procedure
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("aspiration", "aspiration"),
        ("biopsy", "biopsy"),
        ("Sternal Tap", "aspiration"),
        ("BMA", "aspiration"),
        ("the aspiration", "aspiration"),
        ("bone-marrow aspirate", "aspiration"),
        ("aspirtion", "aspiration"),
        ("bone marow aspiration", "aspiration"),
        ("marrow tap", "aspiration"),
        ("Bone Marrow Biopsy", "biopsy"),
        ("trephine", "biopsy"),
        ("BIOSPY", "biopsy"),
        ("biopsey", "biopsy"),
        ("my bone marrow biopsy tomorrow", "biopsy"),
        ("biopsies", "biopsy"),
        ("bone marrow", None),
        ("blood test", None),
        ("", None),
        (None, None),
    ],
)
def test_normalize_procedure(text: str | None, expected: str | None) -> None:
    assert procedures().normalize(text) == expected


def test_normalize_procedure_does_not_import_spacy() -> None:
    code = (
        "import sys; from bot.knowledge import KnowledgeBase; "
        "n = KnowledgeBase.load().procedures().normalize; "
        "assert n('Sternal tap') == 'aspiration' and n('biospy') == 'biopsy'; "
        "assert 'spacy' not in sys.modules, 'spacy was imported'"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


# ---------------------------------------------------------------------------------------------
# Rasa: SpacyNLP, SpacyTokenizer and SpacyEntityExtractor load and use the saved pipeline
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rasa_spacy(model_path: Path, tmp_path_factory: pytest.TempPathFactory):
    storage = LocalModelStorage(tmp_path_factory.mktemp("storage"))
    context = ExecutionContext(GraphSchema({}), "test")
    spacy_nlp = SpacyNLP.create(
        {**SpacyNLP.get_default_config(), "model": str(model_path)},
        storage,
        Resource("spacy_nlp"),
        context,
    )
    return spacy_nlp, storage, context


def test_rasa_spacy_nlp_processes_messages(rasa_spacy) -> None:
    spacy_nlp, _, _ = rasa_spacy
    model = spacy_nlp.provide()
    message = Message(data={"text": "Bleeding and it Hurts after the Biopsy"})
    spacy_nlp.process([message], model)
    doc = message.get("text_spacy_doc")
    assert doc.text == "bleeding and it hurts after the biopsy"  # case_sensitive: False
    assert [t.lemma_ for t in doc][:4] == ["bleed", "and", "it", "hurt"]
    assert [(e.text, e.label_) for e in doc.ents] == [("biopsy", "procedure")]


def test_rasa_spacy_tokenizer_gets_lemmas(rasa_spacy) -> None:
    spacy_nlp, _, _ = rasa_spacy
    message = Message(data={"text": "the site keeps bleeding"})
    spacy_nlp.process([message], spacy_nlp.provide())
    tokenizer = SpacyTokenizer(SpacyTokenizer.get_default_config())
    tokenizer.process([message])
    tokens = message.get("text_tokens")
    assert [t.lemma for t in tokens] == ["the", "site", "keep", "bleed"]


def test_rasa_spacy_entity_extractor_finds_procedures(rasa_spacy) -> None:
    spacy_nlp, storage, context = rasa_spacy
    extractor = SpacyEntityExtractor.create(
        {**SpacyEntityExtractor.get_default_config(), "dimensions": ["procedure"]},
        storage,
        Resource("extractor"),
        context,
    )
    model = spacy_nlp.provide()
    messages = [
        Message(data={"text": "does a sternal tap hurt"}),
        Message(data={"text": "Is the Trephine done from the hip?"}),
        Message(data={"text": "what is bone marrow"}),
    ]
    spacy_nlp.process(messages, model)
    extractor.process(messages, model)

    first = messages[0].get("entities")
    assert [(e["entity"], e["value"]) for e in first] == [("procedure", "sternal tap")]
    assert first[0]["start"] == 7 and first[0]["end"] == 18
    assert first[0]["extractor"] == "SpacyEntityExtractor"
    assert procedures().normalize(first[0]["value"]) == "aspiration"

    second = messages[1].get("entities")  # body_site filtered out by `dimensions`
    assert [(e["entity"], e["value"]) for e in second] == [("procedure", "Trephine")]
    assert procedures().normalize(second[0]["value"]) == "biopsy"

    assert messages[2].get("entities") == []


def test_another_organ_s_core_or_needle_biopsy_is_another_test() -> None:
    nlp = bot_nlp.build_pipeline(procedures=procedures())
    assert ents(nlp, "how is a breast core biopsy done") == [
        ("breast core biopsy", "other_procedure", "other_biopsy")]
    assert ents(nlp, "is a fine needle aspiration like a BMA") == [
        ("fine needle aspiration", "other_procedure", "other_biopsy"),
        ("BMA", "procedure", "aspiration")]
    assert ents(nlp, "what is a core biopsy") == [("core biopsy", "procedure", "biopsy")]


def test_another_test_named_in_the_plural_is_another_test():
    # (session 11, tests/dev/blind33_conversations.yml): "do they do the same for skin biopsies"
    from bot.nlp import entity_patterns, knowledge_procedures

    patterns = {(p["label"], p["pattern"]) for p in entity_patterns(knowledge_procedures())}
    assert ("other_procedure", "skin biopsies") in patterns
    assert ("other_procedure", "bone scans") in patterns
    assert not any(label == "other_procedure" and pattern == "biopsies"
                   for label, pattern in patterns)


def test_another_biopsy_named_with_its_organ_after_it_is_another_test():
    # (session 15, tests/dev/blind47, blind10): "a needle biopsy of the breast", "a biopsy on her
    # lung"; the marrow test's own names still win
    from bot.nlp import entity_patterns, knowledge_procedures

    patterns = {(p["label"], p["pattern"]) for p in entity_patterns(knowledge_procedures())}
    assert ("other_procedure", "biopsy of the breast") in patterns
    assert ("other_procedure", "biopsy on her lung") in patterns
    assert ("other_procedure", "biopsy from the lymph node") in patterns
    assert not any(label == "other_procedure" and "marrow" in pattern
                   for label, pattern in patterns)

"""The project's NLU components (bot/components/): the real Rasa graph components on real
messages (no mocks)."""

from __future__ import annotations

import asyncio
import copy
import re
import textwrap
from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.classifiers.fallback_classifier import FallbackClassifier
from rasa.nlu.utils.spacy_utils import SpacyNLP
from rasa.shared.nlu.training_data.message import Message

from bot import nlp as bot_nlp
from bot import redflags
from bot.components.red_flag_guard import RedFlagGuard


@pytest.fixture(scope="module")
def model_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return bot_nlp.save(tmp_path_factory.mktemp("spacy") / "spacy_model")


@pytest.fixture(scope="module")
def storage(tmp_path_factory: pytest.TempPathFactory) -> LocalModelStorage:
    return LocalModelStorage(tmp_path_factory.mktemp("storage"))


@pytest.fixture(scope="module")
def context() -> ExecutionContext:
    return ExecutionContext(GraphSchema({}), "1")


@pytest.fixture(scope="module")
def guard(model_path: Path, storage: LocalModelStorage, context: ExecutionContext):
    return RedFlagGuard.create(
        {**RedFlagGuard.get_default_config(), "model": str(model_path)},
        storage,
        Resource("x"),
        context,
    )


def classified(text: str, ranking: list[tuple[str, float]]) -> Message:
    """A message as DIETClassifier leaves it: top intent + ranking."""
    intents = [{"name": name, "confidence": confidence} for name, confidence in ranking]
    data = {"text": text, "intent_ranking": intents}
    data["intent"] = dict(intents[0]) if intents else {"name": None, "confidence": 0.0}
    return Message(data=data)


def names(message: Message) -> list[str]:
    return [entry["name"] for entry in message.get("intent_ranking")]


# ---------------------------------------------------------------------------------------------


def test_registered_as_a_non_trainable_intent_classifier() -> None:
    registered = DefaultV1Recipe._from_registry("bot.components.red_flag_guard.RedFlagGuard")
    assert registered.clazz is RedFlagGuard
    assert DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER in registered.types
    assert registered.is_trainable is False


def test_red_flag_overrides_the_classifier(guard: RedFlagGuard) -> None:
    message = classified("I can't stop bleeding", [("ask_recovery", 0.91), ("greet", 0.05)])
    guard.process([message])
    assert message.get("intent") == {"name": "emergency", "confidence": 1.0}
    assert names(message) == ["emergency", "ask_recovery", "greet"]
    assert message.get("red_flag") == {"category": "bleeding", "matched": "can't stop bleeding"}
    output = message.as_dict(only_output_properties=True)
    assert output["red_flag"]["category"] == "bleeding"
    assert output["intent"]["name"] == "emergency"


def test_red_flag_when_the_classifier_already_said_emergency(guard: RedFlagGuard) -> None:
    message = classified("i want to die", [("emergency", 0.7), ("goodbye", 0.2)])
    guard.process([message])
    assert message.get("intent") == {"name": "emergency", "confidence": 1.0}
    assert names(message) == ["emergency", "goodbye"]  # emergency only once
    assert message.get("red_flag") == {"category": "suicidal", "matched": "want to die"}


def test_red_flag_overrides_nlu_fallback(guard: RedFlagGuard) -> None:
    message = classified("chest pain", [("nlu_fallback", 0.45), ("greet", 0.3)])
    guard.process([message])
    assert message.get("intent")["name"] == "emergency"
    assert message.get("red_flag")["category"] == "chest_pain"


def test_emergency_without_red_flag_gives_way_to_a_clear_topic_question(guard) -> None:
    message = classified(
        "can it cause serious bleeding?",
        [("emergency", 0.62), ("ask_risks", 0.30), ("ask_pain", 0.05)],
    )
    guard.process([message])
    # 0.30 of the remaining 0.38: a clear question about the risks
    assert message.get("intent") == {"name": "ask_risks", "confidence": 0.30}
    assert names(message) == ["ask_risks", "ask_pain"]
    assert message.get("red_flag") is None
    assert "red_flag" not in message.as_dict(only_output_properties=True)


def test_emergency_without_red_flag_and_no_clear_topic_falls_back(guard) -> None:
    # no guessing a topic: the fallback offers the likeliest topics and the clinic's contacts
    message = classified(
        "something is wrong with my hip",
        [("emergency", 0.62), ("ask_risks", 0.20), ("ask_pain", 0.18)],
    )
    guard.process([message])
    assert message.get("intent") == {"name": "nlu_fallback", "confidence": 0.62}
    message = classified("something odd", [("emergency", 0.5), ("greet", 0.45)])
    guard.process([message])
    assert message.get("intent") == {"name": "nlu_fallback", "confidence": 0.5}


def test_emergency_as_the_only_intent_becomes_nlu_fallback(guard: RedFlagGuard) -> None:
    message = classified("what are the risks?", [("emergency", 0.9)])
    guard.process([message])
    assert message.get("intent") == {"name": "nlu_fallback", "confidence": 0.9}
    assert names(message) == []


def test_emergency_lower_in_the_ranking_is_removed(guard: RedFlagGuard) -> None:
    message = classified(
        "is fever a side effect?",
        [("nlu_fallback", 0.45), ("ask_side_effects", 0.4), ("emergency", 0.38)],
    )
    guard.process([message])
    assert message.get("intent")["name"] == "nlu_fallback"
    assert names(message) == ["nlu_fallback", "ask_side_effects"]


def test_ordinary_message_is_left_alone(guard: RedFlagGuard) -> None:
    message = classified("does a sternal tap hurt", [("ask_pain", 0.8), ("greet", 0.1)])
    before = copy.deepcopy(message.data)
    guard.process([message])
    assert message.data == before


def test_several_messages_and_odd_ones(guard: RedFlagGuard) -> None:
    messages = [
        classified("I passed out", [("greet", 0.9)]),
        classified("hello", [("greet", 0.9)]),
        Message(data={"text": ""}),
        Message(data={}),
        classified("my temp is 39.5", []),
    ]
    assert guard.process(messages) is messages
    assert messages[0].get("red_flag")["category"] == "fainting"
    assert messages[1].get("intent")["name"] == "greet"
    assert messages[2].get("intent") is None and messages[3].get("intent") is None
    assert messages[4].get("intent")["name"] == "emergency"
    assert names(messages[4]) == ["emergency"]


def test_reuses_the_doc_from_spacy_nlp_and_works_after_fallback(
    guard: RedFlagGuard, model_path: Path, storage: LocalModelStorage, context: ExecutionContext
) -> None:
    """The real chain: SpacyNLP -> (classifier output) -> FallbackClassifier -> RedFlagGuard."""
    spacy_nlp = SpacyNLP.create(
        {**SpacyNLP.get_default_config(), "model": str(model_path)},
        storage,
        Resource("spacy_nlp"),
        context,
    )
    fallback = FallbackClassifier.create(
        {**FallbackClassifier.get_default_config(), "threshold": 0.45},
        storage,
        Resource("fallback"),
        context,
    )
    messages = [
        classified("My Dressing Is Soaked Through", [("ask_dressing", 0.3), ("greet", 0.2)]),
        classified("Will I bleed after a biopsy?", [("emergency", 0.7), ("ask_bleeding", 0.2)]),
    ]
    spacy_nlp.process(messages, spacy_nlp.provide())
    assert messages[0].get("text_spacy_doc").text == "my dressing is soaked through"
    fallback.process(messages)
    assert messages[0].get("intent")["name"] == "nlu_fallback"
    guard.process(messages)

    assert messages[0].get("intent")["name"] == "emergency"
    assert messages[0].get("red_flag") == {"category": "bleeding", "matched": "dressing is soaked"}
    assert names(messages[0])[0] == "emergency"
    # DIET said emergency and the fallback kept it (0.7 >= 0.45): the guard demotes it
    assert messages[1].get("intent") == {"name": "ask_bleeding", "confidence": 0.2}
    assert "emergency" not in names(messages[1])


def test_messages_typed_on_a_phone_are_normalised_first(
    guard: RedFlagGuard, model_path: Path, storage: LocalModelStorage, context: ExecutionContext
) -> None:
    """SpacyNLP's doc keeps the typos, so the guard re-runs the pipeline on the tidied text."""
    spacy_nlp = SpacyNLP.create(
        {**SpacyNLP.get_default_config(), "model": str(model_path)},
        storage,
        Resource("spacy_nlp_typos"),
        context,
    )
    messages = [
        classified("Bleedding THRU the dressing,help", [("ask_dressing", 0.6)]),
        classified("wat if i get a fevr?", [("emergency", 0.6), ("ask_infection", 0.3)]),
    ]
    spacy_nlp.process(messages, spacy_nlp.provide())
    doc = messages[0].get("text_spacy_doc")
    assert doc.text == "bleedding thru the dressing,help"
    assert not redflags.can_reuse_doc(doc, messages[0].get("text"))
    guard.process(messages)

    assert messages[0].get("intent") == {"name": "emergency", "confidence": 1.0}
    assert messages[0].get("red_flag") == {
        "category": "bleeding",
        "matched": "bleeding through the dressing",
    }
    assert messages[1].get("intent") == {"name": "ask_infection", "confidence": 0.3}
    assert messages[1].get("red_flag") is None


def test_default_config_needs_no_model_on_disk(
    storage: LocalModelStorage, context: ExecutionContext, tmp_path: Path
) -> None:
    missing = tmp_path / "not_built_yet"
    component = RedFlagGuard.create({"model": str(missing)}, storage, Resource("y"), context)
    message = classified("my chest hurts", [("greet", 0.9)])
    component.process([message])
    assert message.get("red_flag")["category"] == "chest_pain"
    assert not missing.exists()  # built in memory, nothing written


def test_custom_intent_name(model_path: Path, storage, context) -> None:
    component = RedFlagGuard.create(
        {"model": str(model_path), "intent": "urgent_help"}, storage, Resource("z"), context
    )
    message = classified("I can't breathe", [("greet", 0.9)])
    component.process([message])
    assert message.get("intent") == {"name": "urgent_help", "confidence": 1.0}


def test_trains_and_runs_inside_a_real_rasa_model(model_path: Path, tmp_path: Path) -> None:
    """`rasa train nlu` validates the component in the graph; the loaded model applies it."""
    from rasa.core.agent import Agent
    from rasa.model_training import train_nlu

    config = tmp_path / "config.yml"
    config.write_text(
        textwrap.dedent(
            f"""\
            recipe: default.v1
            language: en
            assistant_id: red-flag-guard-test
            pipeline:
              - name: SpacyNLP
                model: {model_path}
              - name: SpacyTokenizer
              - name: SpacyEntityExtractor
                dimensions: ["procedure"]
              - name: KeywordIntentClassifier
              - name: bot.components.red_flag_guard.RedFlagGuard
                model: {model_path}
            policies: []
            """
        ),
        encoding="utf-8",
    )
    data = tmp_path / "nlu.yml"
    data.write_text(
        textwrap.dedent(
            """\
            version: "3.1"
            nlu:
            - intent: greet
              examples: |
                - hello
                - hi there
            - intent: ask_pain
              examples: |
                - does a biopsy hurt
                - is the aspiration painful
            - intent: emergency
              examples: |
                - this is an emergency
                - emergency please
            """
        ),
        encoding="utf-8",
    )
    model = train_nlu(str(config), str(data), str(tmp_path / "models"), fixed_model_name="m")
    assert model and Path(model).is_file()
    agent = Agent.load(model)

    async def parse(text: str) -> dict:
        return await agent.parse_message(text)

    result = asyncio.run(parse("I'm bleeding a lot, help"))
    assert result["intent"] == {"name": "emergency", "confidence": 1.0}
    assert result["red_flag"] == {"category": "bleeding", "matched": "i'm bleeding a lot"}

    result = asyncio.run(parse("this is an emergency"))  # keyword classifier says emergency
    assert result["intent"]["name"] == "nlu_fallback"
    assert "red_flag" not in result

    result = asyncio.run(parse("does a sternal tap hurt"))
    assert result["intent"]["name"] != "emergency"
    assert [(e["entity"], e["value"]) for e in result["entities"]] == [("procedure", "sternal tap")]


# ---- ProcedureEntities: canonical procedure values for the from_entity slot mapping


def _entities(text: str, entities: list[dict]) -> list[dict]:
    from bot.components.procedures import ProcedureEntities

    message = Message(data={"text": text, "entities": entities})
    ProcedureEntities().process([message])
    return message.get("entities")


def test_procedure_entities_get_canonical_values() -> None:
    found = _entities("is the BMA worse than the trephine", [
        {"entity": "procedure", "value": "BMA", "start": 7, "end": 10},
        {"entity": "procedure", "value": "trephine", "start": 26, "end": 34},
        {"entity": "body_site", "value": "hip", "start": 0, "end": 3},
    ])
    assert [(e["entity"], e["value"]) for e in found] == [
        ("procedure", "aspiration"), ("procedure", "biopsy"), ("body_site", "hip")
    ]


def test_a_procedure_entity_that_names_no_test_is_dropped() -> None:
    assert _entities("bone marrow", [{"entity": "procedure", "value": "bone marrow"}]) == []


def test_a_procedure_in_the_text_that_the_ruler_missed_is_added() -> None:
    text = "does the biopsy needle going into the bone hurt?"
    found = _entities(text, [{"entity": "needle", "value": "biopsy needle"}])
    added = found[-1]
    assert (added["entity"], added["value"]) == ("procedure", "biopsy")
    assert text[added["start"]:added["end"]] == "biopsy"


def test_another_test_is_not_turned_into_ours() -> None:
    entities = [{"entity": "other_procedure", "value": "liver biopsy", "start": 5, "end": 17}]
    assert _entities("is a liver biopsy painful", list(entities)) == entities


def test_procedure_entities_come_before_the_slot_mapping_in_config() -> None:
    import yaml

    from bot import PROJECT_ROOT

    config = yaml.safe_load((PROJECT_ROOT / "config.yml").read_text())
    names = [c["name"] for c in config["pipeline"]]
    assert names.index("bot.components.procedures.ProcedureEntities") == names.index(
        "SpacyEntityExtractor") + 1
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())
    assert domain["slots"]["procedure"]["mappings"] == [
        {"type": "from_entity", "entity": "procedure"}
    ]


# ---- DefinitionQuestions: "what is <procedure>?" is that procedure's overview


def _intent_after_definitions(text: str, intent: str = "nlu_fallback") -> str:
    from bot.components.procedures import ProcedureEntities
    from bot.components.questions import DefinitionQuestions

    message = Message(data={"text": text, "entities": [],
                            "intent": {"name": intent, "confidence": 0.4},
                            "intent_ranking": [{"name": intent, "confidence": 0.4}]})
    ProcedureEntities().process([message])
    DefinitionQuestions().process([message])
    return message.get("intent")["name"]


@pytest.mark.parametrize("text", [
    "What is a bone marrow aspiration?", "define bone marrow biopsy", "bmb meaning?",
    "whats a trephine", "so what exactly is a bone marrow biopsy?", "what does BMA stand for",
    "can you explain bone marrow biopsy", "tell me about the aspiration",
])
def test_definition_of_a_procedure_is_its_overview(text: str) -> None:
    assert _intent_after_definitions(text, "ask_bone_marrow") == "ask_overview"


@pytest.mark.parametrize("text, overview", [
    ("what is a bone marrow test", True),
    ("bone marrow test?", True),
    ("whats a marrow sample", True),
    ("what is the risk of a bone marrow test", False),
    ("my bone marrow test is on friday", False),
])
def test_the_tests_named_together_asked_what_they_are_is_the_overview(text, overview):
    # no test named: the answering action asks which one
    assert (_intent_after_definitions(text, "ask_bone_marrow") == "ask_overview") is overview


@pytest.mark.parametrize("text", [
    "what is the risk of a biopsy", "what does a biopsy show",
    "what is a bma and does it hurt", "bone marrow biopsy?", "the biopsy",
    "what is involved in a bone marrow biopsy", "what is the difference between BMA and BMB",
])
def test_other_questions_are_left_to_the_classifier(text: str) -> None:
    assert _intent_after_definitions(text, "ask_sensation") == "ask_sensation"


@pytest.mark.parametrize("text, intent", [
    # (session 16, tests/dev/blind55) the last sentence asks what a subject of the stem-cell
    # page is, whatever came before (donating is declined otherwise)
    ("what is bone marrow", "ask_bone_marrow"),
    ("im 16 and my sister needs a transplant, they want to test if i can donate. what is a stem "
     "cell?", "ask_stem_cells"),
    ("my little brother has leukaemia and they've said i'm a match for his bone marrow "
     "transplant. what even is a bone marrow transplant?", "ask_transplant"),
    ("what is a stem cell transplant and can I donate to my brother?", "out_of_scope"),
    # ... or its last clause, after the tests were named together
    ("im 15 n i have to get a bone marrow thing next week, wat even is bone marrow",
     "ask_bone_marrow"),
    ("can i donate my stem cells to my sister?", "out_of_scope"),
])
def test_a_page_subject_defined_last_is_that_section(text, intent):
    assert _intent_after_definitions(text, "out_of_scope") == intent


@pytest.mark.parametrize("text, overview", [
    # a sentence of its own that only asks what the test is, beside sentences that tell
    ("the letter also says trephine. what's a trephine anyway", True),
    ("What means 'aspirate'? The doctor wrote also this word on the paper.", True),
    ("My mum has a BMA soon. What is a BMA? And does it hurt?", False),  # asks more
    ("My mum has a BMA soon. Does it hurt?", False),
    # (session 19, blind78) or in the clause that asks, after a clause that tells
    ("the letter says they might do a BMA as well, what is a BMA", True),
    ("they might do a BMA as well, does a BMA hurt", False),
])
def test_a_definition_in_a_sentence_of_its_own(text: str, overview: bool) -> None:
    import re

    from bot.components.questions import DefinitionQuestions

    # every mention, as the pipeline's entity ruler finds them
    entities = [{"entity": "procedure", "value": "biopsy", "start": m.start(), "end": m.end()}
                for m in re.finditer(r"trephine|aspirate|BMA", text)]
    message = Message(data={"text": text, "entities": entities,
                            "intent": {"name": "ask_alternative_names", "confidence": 0.8},
                            "intent_ranking": [{"name": "ask_alternative_names",
                                                "confidence": 0.8}]})
    DefinitionQuestions().process([message])
    assert (message.get("intent")["name"] == "ask_overview") is overview


@pytest.mark.parametrize("text, procedures", [
    ("I'm having the biopsy, not the aspiration", ["biopsy"]),
    ("it's a BMB rather than a BMA", ["biopsy"]),
    ("not the aspiration, the trephine biopsy", ["biopsy"]),
    ("what's the difference between a BMA and a BMB", ["aspiration", "biopsy"]),
    ("I'm not having the biopsy", ["biopsy"]),  # nothing else named: keep what was said
])
def test_a_procedure_the_patient_is_not_having_is_dropped(text: str, procedures: list) -> None:
    from bot.knowledge import KnowledgeBase

    procedure_span = KnowledgeBase.load().procedures().span
    entities = []
    for match in re.finditer(r"(?i)\b(bma|bmb|aspiration|trephine biopsy|biopsy)\b",
                                           text):
        if any(e["start"] <= match.start() < e["end"] for e in entities):
            continue
        _, _, value = procedure_span(match.group(0))
        entities.append({"entity": "procedure", "value": value, "start": match.start(),
                         "end": match.end()})
    found = _entities(text, entities)
    assert [e["value"] for e in found if e["entity"] == "procedure"] == procedures


def _named_tests(text: str) -> list[dict]:
    """The procedure entities the entity ruler would give for "bma", "aspiration", "biopsy"."""
    from bot.knowledge import KnowledgeBase

    procedure_span = KnowledgeBase.load().procedures().span
    entities = []
    for match in re.finditer(r"(?i)\b(bma|aspiration|biopsy)\b", text):
        _, _, value = procedure_span(match.group(0))
        entities.append({"entity": "procedure", "value": value, "start": match.start(),
                         "end": match.end()})
    return entities


@pytest.mark.parametrize("text, procedures, compared", [
    # the only test named is what the test discussed is compared with (session 9)
    ("will it hurt more than the aspiration did", [], ["aspiration"]),
    ("and compared with the BMA?", ["aspiration"], []),  # asks about the BMA
    # two tests named: both kept; a test asked about: kept
    ("is the biopsy worse than the aspiration", ["biopsy", "aspiration"], []),
    ("does the aspiration hurt more than a blood test", ["aspiration"], []),
])
def test_a_test_only_compared_with_fills_no_slot(text, procedures, compared) -> None:
    found = _entities(text, _named_tests(text))
    assert [e["value"] for e in found if e["entity"] == "procedure"] == procedures
    assert [e["value"] for e in found if e["entity"] == "compared_procedure"] == compared


# ---- StatementsNamingATest: "had my biopsy this morning" names the test, it asks nothing


def _intent_after_statements(text: str, intent: str, confidence: float = 0.4) -> str:
    from bot.components.procedures import ProcedureEntities
    from bot.components.statements import StatementsNamingATest

    message = Message(data={"text": text, "entities": [],
                            "intent": {"name": intent, "confidence": confidence},
                            "intent_ranking": [{"name": intent, "confidence": confidence}]})
    ProcedureEntities().process([message])
    StatementsNamingATest().process([message])
    return message.get("intent")["name"]


@pytest.mark.parametrize("text, intent", [
    ("had my bone marrow biopsy this morning", "greet"),
    ("my uncle goes in for a BMA next thursday because of his platelets", "ask_blood_cells"),
    ("The haematologist has put me down for a trephine biopsy for suspected lymphoma",
     "out_of_scope"),
    ("my gf has a bone marrow biopsy tmrw and shes pretending she isnt bothered", "nlu_fallback"),
    ("they want to do a marrow aspirate on my grandad", "ask_purpose"),  # unsure (0.4)
    # the classifier's emergency (the red-flag guard, after, decides from the rules)
    ("so my daughter just rang me crying, they want to do a bone marrow aspiration on her next "
     "week. im 200 miles away and feel useless", "emergency"),
    # a request for information about the test named
    ("My consultant wishes to perform a bone marrow trephine, and I would appreciate some "
     "information.", "out_of_scope"),
])
def test_a_statement_naming_a_test_is_that_test_named(text: str, intent: str) -> None:
    assert _intent_after_statements(text, intent) == "inform_procedure"


@pytest.mark.parametrize("text, intent", [
    # told, not asked, however sure the classifier is (session 8, tests/dev/blind12_*)
    ("My hematologist wants me to have a bone marrow aspiration because of my anemia.",
     "ask_purpose"),
    ("Our son had his bone marrow aspiration yesterday and we're waiting for the results.",
     "ask_results_timing"),
    ("Mum is due a bone marrow aspiration next week and I'm worried about her.", "ask_risks"),
    ("I've been anaemic for months and nobody knows why, now they want to do a bone marrow "
     "aspiration.", "ask_purpose"),  # "why" about the illness
])
def test_a_statement_that_tells_a_reason_or_a_wait_is_the_test_named(text, intent) -> None:
    assert _intent_after_statements(text, intent, 0.9) == "inform_procedure"


@pytest.mark.parametrize("text, intent", [
    ("reason for bone marrow aspiration", "ask_purpose"),  # a question typed short
    ("my partner had a bone marrow biopsy today, when do we get results", "ask_results_timing"),
    ("nobody told me why they want to do the aspiration, my GP just said my bloods were off",
     "ask_purpose"),
    # (session 16, tests/dev/blind12) what a page subject is, asked in the last clause
    ("im 15 n i have to get a bone marrow thing next week, wat even is bone marrow",
     "ask_bone_marrow"),
])
def test_a_statement_with_a_word_that_asks_keeps_its_question(text, intent) -> None:
    assert _intent_after_statements(text, intent, 0.9) == intent


@pytest.mark.parametrize("text, intent, told", [
    # session 10 (tests/dev/blind22_conversations.yml): how it is done, results or names are
    # told by a statement about someone with no question word in it
    ("my 15yo son has a bone marrow biospy monday, hes acting tough but i can tell hes scared",
     "ask_how_performed", True),
    ("I'm writing on behalf of my mother, who is 82 and has dementia. Her doctor has suggested a "
     "sternal tap to look into her anaemia, and I'm worried she won't understand what's going on.",
     "ask_purpose", True),
    # questions typed short about no one, or with a question word, keep their question
    ("other names for a bone marrow aspiration", "ask_alternative_names", False),
    ("abnormal results bmb meaning", "ask_abnormal_results", False),
    ("my dad has a BMB on friday and wants to know how they do it", "ask_how_performed", False),
    # a question's word order, or results told (what they mean is the question)
    ("so for the aspiration do they take it from the hip", "ask_how_performed", False),
    ("the nurse wrote sternal tap on my form wat does that mean", "ask_alternative_names", False),
    ("my bone marrow biopsy results said aplastic anaemia", "ask_abnormal_results", False),
    ("my wife got her bmb results back n the dr said normal", "ask_normal_results", False),
    # sedation told, and what to expect told
    ("My 15 year old is having a bone marrow aspiration under sedation on Monday.", "ask_sedation",
     True),
    ("my son has a BMB monday, hes acting tough but i can tell hes scared", "ask_expectations",
     True),
    ("my son has a BMB monday and he doesnt want sedation, can he be awake", "ask_sedation", False),
])
def test_a_statement_tells_how_it_is_done_only_of_someone(text, intent, told) -> None:
    expected = "inform_procedure" if told else intent
    assert _intent_after_statements(text, intent, 0.9) == expected


def test_a_greeting_that_announces_a_question_is_a_greeting() -> None:
    text = "Hi, I've got a question about my partner's marrow aspiration on Friday"
    assert _intent_after_statements(text, "nlu_fallback", 0.3) == "greet"


@pytest.mark.parametrize("text, intent, confidence", [
    ("does a bone marrow biopsy hurt", "ask_sensation", 0.4),  # a question
    ("how long is the BMA", "ask_duration", 0.3),
    ("I wanted to ask about the biopsy", "greet", 0.9),
    ("hi, my son has a bone marrow biopsy tomorrow", "greet", 0.9),  # a greeting opens it
    ("biopsy pain", "ask_sensation", 0.4),  # a fragment
    ("I'm scared of the pain of the aspiration", "ask_sensation", 0.8),  # a sure topic
    ("thanks, that helped with the biopsy worries", "thank", 0.9),
    ("my dad had chemo last year", "out_of_scope", 0.9),  # no test named
    ("morning appointment for the biopsy, can I drive after", "ask_driving", 0.9),  # not a greeting
])
def test_questions_greetings_and_sure_topics_are_left_alone(text, intent, confidence) -> None:
    assert _intent_after_statements(text, intent, confidence) == intent


@pytest.mark.parametrize("text, intent", [
    ("g'day, got a bone marow biospy next wk", "inform_procedure"),
    ("Hola, my father is going to have the aspiracion of bone marrow", "out_of_scope"),
    ("hi there, my mum has a bone marrow biopsy on friday", "nlu_fallback"),
    ("morning! dad's BMA is next week", "inform_procedure"),  # a bare time-of-day greeting
])
def test_a_statement_that_opens_with_a_greeting_is_a_greeting(text: str, intent: str) -> None:
    assert _intent_after_statements(text, intent) == "greet"


def test_statements_come_after_definitions_and_before_the_red_flag_guard() -> None:
    import yaml

    from bot import PROJECT_ROOT

    config = yaml.safe_load((PROJECT_ROOT / "config.yml").read_text())
    names = [c["name"].rsplit(".", 1)[-1] for c in config["pipeline"]]
    assert names.index("FallbackClassifier") < names.index("StatementsNamingATest")
    assert names.index("StatementsNamingATest") < names.index("RedFlagGuard") == len(names) - 1


# ---- TaskRequests: "write me a poem about bone marrow" is out of scope


@pytest.mark.parametrize("text, task", [
    ("write me a poem about bone marrow", True),
    ("translate bone marrow biopsy into Polish for my grandmother", True),
    ("can you summarise this article about CAR-T", True),
    ("please tell me a joke about platelets", True),
    ("tell me about the bone marrow biopsy", False),
    ("what should I write on the consent form", False),
    ("can you explain the biopsy", False),
    # treatment and prognosis: the leaflets never say
    ("what treatment options are there?", True),
    ("the results show MDS with excess blasts. what treatment options are there?", True),
    ("is MDS curable", True),
    ("how do they treat CLL", True),
    ("what chemo will they give my husband for AML?", True),
    ("what's the survival rate for myeloma", True),
    ("how long can someone live with myelodysplastic syndrome", True),
    ("if it has spread to the marrow does that mean its terminal?", True),
    ("my mum is having chemo, will the biopsy hurt?", False),
    ("can the biopsy show if the treatment is working", False),
    ("why do they need a biopsy before starting treatment", False),
    ("what medications should I stop before the biopsy", False),
    ("do they treat the area with antiseptic first", False),
    # session 6: more treatment and prognosis, and donating
    ("will I need a transplant", True),
    ("what would they do if it turns out to be leukaemia", True),
    ("what's my outlook if it turns out to be lymphoma", True),
    ("will they be able to treat whatever it is", True),
    ("what will they do if they can't get any marrow out", False),
    ("is donating bone marrow painful", True),
    ("What does being a donor involve for me?", True),
    ("could I give some of mine to my sister, she has lymphoma", True),
    ("how do I sign up to be a bone marrow donor", True),
    ("how do they find a matching donor for a transplant", True),
    ("I'm thinking about donating. How would they actually collect my stem cells?", False),
    ("can they give her something to relax her before the aspiration", False),
    # making the marrow make more
    ("does bone broth help your bone marrow", True),
    ("can you sell your stem cells", True),
    ("they want her to start azacitidine. How well does that drug usually work?", True),
    # another treatment's side effects, a laboratory test the leaflets do not describe
    ("what are the side effects of the G-CSF injections", True),
    ("JAK2 mutation test what is it", True),
    ("what are the side effects of having a biopsy", False),
    ("side effects of a bone marrow aspiration?", False),
    ("any side effects from the hip needle test i should know about", False),
    ("are there side effects of the numbing injection", False),
    ("How can I raise my platelet count?", True),
    ("what foods help make more stem cells", True),
    ("is it good to eat before the biopsy", False),
    ("does the marrow make blood cells", False),
    ("how do they make the marrow sample into slides", False),
    # session 8 (tests/dev/blind9_*): prognosis in a few words, another medicine's side effects
    ("if it's myeloma how long has he got left", True),
    ("how long will it take to get the results", False),
    ("pegfilgrastim is giving me awful back pain, normal?", True),
    ("the growth factor injections for collecting stem cells, how do they work?", False),
    ("will he end up needing a bone marrow transplant", True),
    ("does chemo kill the stem cells off", True),
    ("my brother is donating stem cells for me. how do they collect them?", False),
    ("Can I sign up to donate bone marrow after a biopsy?", True),
    ("The biopsy confirmed it. How many years do people usually live with it?", True),
    ("is eating bone marrow from the butcher good for you", True),
    ("Should I take iron pills to boost my marrow in the meantime?", True),
    ("should I stop my iron tablets before the biopsy", False),
])
def test_a_task_request_is_out_of_scope(text: str, task: bool) -> None:
    from bot.components.questions import TaskRequests

    message = Message(data={"text": text, "intent": {"name": "ask_bone_marrow", "confidence": 0.9},
                            "intent_ranking": [{"name": "ask_bone_marrow", "confidence": 0.9}]})
    TaskRequests().process([message])
    assert (message.get("intent")["name"] == "out_of_scope") is task


# ---- ClosingThanks: "my wife will take me then. thank you" is thanks


@pytest.mark.parametrize("text, intent, thanks", [
    ("wife will take me then. thank you", "ask_driving", True),
    ("gracias", "out_of_scope", True),
    ("ok that helps, cheers", "affirm", True),
    ("thanks but what about the risks", "ask_risks", False),
    ("what is a bma thanks", "ask_overview", False),
    ("Thanks for that. And is it painful", "ask_sensation", False),
    ("calling emergency services now, thank you", "goodbye", False),  # goodbye kept
    ("ok thanks anyway", "nlu_fallback", True),
])
def test_a_message_ending_in_thanks_without_a_question_is_thanks(text, intent, thanks):
    from bot.components.questions import ClosingThanks

    message = Message(data={"text": text, "intent": {"name": intent, "confidence": 0.6},
                            "intent_ranking": [{"name": intent, "confidence": 0.6}]})
    ClosingThanks().process([message])
    assert (message.get("intent")["name"] == "thank") is thanks


def test_a_test_named_then_asked_what_it_is_is_its_overview():
    assert _intent_after_definitions(
        "it says an aspiration may also be done, what's that", "ask_alternative_names"
    ) == "ask_overview"
    assert _intent_after_definitions(
        "my biopsy is tomorrow, what's that like", "ask_sensation") == "ask_sensation"


# ---- the learned second line (bot/safety_net.py): what the rules miss


@pytest.fixture(scope="module")
def second_line_guard(model_path: Path, storage: LocalModelStorage, context: ExecutionContext):
    return RedFlagGuard.create(
        {**RedFlagGuard.get_default_config(), "model": str(model_path), "net_min": 0.9},
        storage, Resource("second-line"), context)


@pytest.mark.parametrize("text, probability, category", [
    ("my dad is really muddled tonight, doesn't know what day it is", 0.95, "unspecified"),
    ("I've given my things away and said my goodbyes", 0.93, "suicidal"),
])
def test_a_message_the_rules_miss_is_an_emergency_when_the_net_is_sure(
        second_line_guard, text, probability, category) -> None:
    message = classified(text, [("greet", 0.5), ("ask_risks", 0.3)])
    message.set("emergency_probability", probability)
    second_line_guard.process([message])
    assert message.get("intent")["name"] == "emergency"
    assert message.get("red_flag") == {"category": category, "matched": f"(learned) {probability}"}


def test_a_message_the_net_is_not_sure_of_is_left_alone(second_line_guard, guard) -> None:
    message = classified("in my chest?!", [("ask_how_performed", 0.6), ("ask_risks", 0.3)])
    message.set("emergency_probability", 0.88)
    second_line_guard.process([message])
    assert message.get("intent")["name"] == "ask_how_performed"
    sure = classified("really muddled tonight, doesn't know what day it is", [("greet", 0.5)])
    sure.set("emergency_probability", 0.99)
    guard.process([sure])  # net_min 0 (the default): the rules only
    assert sure.get("intent")["name"] == "greet"


def test_closing_thanks_is_never_the_net_s_emergency(second_line_guard) -> None:
    """'cheers thats really helpful' was 0.85 sure (tests/dev/blind23_conversations.yml); the
    rules still read thanks ('still bleeding heavily, thanks')."""
    message = classified("cheers thats really helpful", [("thank", 0.99)])
    message.set("emergency_probability", 0.95)
    second_line_guard.process([message])
    assert message.get("intent")["name"] == "thank"
    report = classified("still bleeding heavily through the dressing, thanks", [("thank", 0.9)])
    second_line_guard.process([report])
    assert report.get("intent")["name"] == "emergency"


@pytest.mark.parametrize("text, emergency", [
    # (session 19, tests/dev/blind68) a short question asking what, 0.89 sure
    ("what is it actually taking out of me", False),
    ("how long is the needle in for?", False),
    # still the net's: what to do, what is happening, a second clause where a report sits
    ("what do we do now hes gone a funny colour", True),
    ("what is happening to me i feel so strange", True),
    ("why is she so cold and floppy and not answering me", True),
    ("Is it normal to feel this way? I can barely finish a sentence", True),
])
def test_a_short_question_asking_what_is_never_the_net_s_emergency(
        second_line_guard, text, emergency) -> None:
    message = classified(text, [("ask_overview", 0.6), ("ask_risks", 0.3)])
    message.set("emergency_probability", 0.95)
    second_line_guard.process([message])
    assert (message.get("intent")["name"] == "emergency") is emergency


def test_the_net_learns_emergencies_from_look_alikes(storage: LocalModelStorage,
                                                     context: ExecutionContext) -> None:
    """Trained on a small real slice (NLU examples, data/safety/), it tells an emergency in new
    words from alarm words in a question."""
    from rasa.shared.nlu.training_data.training_data import TrainingData

    from bot.safety_net import PROBABILITY_KEY, EmergencyNet

    def example(text: str, intent: str) -> Message:
        return Message(data={"text": text, "intent": intent})

    examples = [example(t, "emergency") for t in (
        "I'm bleeding a lot from where they did the biopsy", "I just fainted",
        "I have chest pain", "I want to kill myself")] + [example(t, "ask_risks") for t in (
        "can it cause bleeding?", "is fainting a risk?", "what are the risks",
        "is it dangerous")]
    net = EmergencyNet.create(EmergencyNet.get_default_config(), storage, Resource("net"),
                              context)
    net.train(TrainingData(training_examples=examples))
    loaded = EmergencyNet.load(EmergencyNet.get_default_config(), storage, Resource("net"),
                               context)
    urgent = Message(data={"text": "blood is pouring through the dressing and won't stop"})
    question = Message(data={"text": "what are the risks of bleeding after a biopsy?"})
    loaded.process([urgent, question])
    assert urgent.get(PROBABILITY_KEY) > 0.5 > question.get(PROBABILITY_KEY)


def test_the_net_s_fast_character_features_are_the_vectorizer_s(storage, context) -> None:
    from rasa.shared.nlu.training_data.training_data import TrainingData

    from bot.safety_net import EmergencyNet

    examples = [Message(data={"text": t, "intent": i}) for t, i in (
        ("I'm bleeding a lot", "emergency"), ("I just fainted  on the FLOOR", "emergency"),
        ("does it hurt", "ask_sensation"), ("what are the risks", "ask_risks"))]
    net = EmergencyNet.create(EmergencyNet.get_default_config(), storage, Resource("fast"),
                              context)
    net.train(TrainingData(training_examples=examples))
    size = len(net.vectorizer.vocabulary_)
    for text in ("I'm  bleeding A lot, it won't stop", "a", "does it hurt?? x"):
        expected = float(net.vectorizer.transform([text]).toarray()[0] @ net.coef[:size])
        assert abs(net._char_score(text) - expected) < 1e-6


def test_a_statement_naming_the_tests_together_is_the_test_named() -> None:
    text = ("My mother has mild dementia and is booked in for a bone marrow test. I'm worried she "
            "won't understand what's going on.")
    assert _intent_after_statements(text, "nlu_fallback", 0.3) == "inform_procedure"


def test_a_greeting_naming_a_test_that_the_classifier_took_for_what_it_is_is_a_greeting() -> None:
    # (session 11, tests/dev/blind28_conversations.yml): the test named is remembered by the slot
    text = "hi, it's about my son's bone marrow aspiration"
    assert _intent_after_statements(text, "ask_overview", 0.76) == "greet"
    # a question stays one
    assert _intent_after_statements("hi, what is a bone marrow aspiration?", "ask_overview",
                                     0.9) == "ask_overview"


@pytest.mark.parametrize("text, value", [
    # (session 11, tests/dev/blind33_conversations.yml) a test's one-word name with one slip
    ("wat hapens in a bone marow aspirashun", "aspiration"),
    ("wat even is a bone marro aspirashun", "aspiration"),
    ("is the trephene painful", "biopsy"),
    # common words are not test names
    ("i take aspirin daily", None),
    ("my inspiration", None),
])
def test_a_test_named_with_a_typo_is_that_test(text: str, value: str | None) -> None:
    from bot.components.procedures import ProcedureEntities

    message = Message(data={"text": text, "entities": []})
    ProcedureEntities().process([message])
    found = [e["value"] for e in message.get("entities") or [] if e["entity"] == "procedure"]
    assert found == ([value] if value else [])


@pytest.mark.parametrize("text, value", [
    # (session 18, tests/dev/blind59) another organ biopsied is context, not our test
    ("I had a lump in my breast biopsied last year and it was awful", None),
    ("she had her marrow biopsied in march", "biopsy"),
    # (session 19, tests/dev/blind65) the procedure's object is another organ
    ("can a needle aspiration drain a breast cyst", None),
    ("what's a needle biopsy of the breast like", None),
    ("how long does an aspiration of the bone marrow take", "aspiration"),
    ("a biopsy from the back of the hip bone", "biopsy"),
])
def test_another_organ_biopsied_is_not_our_test(text: str, value: str | None) -> None:
    from bot.components.procedures import ProcedureEntities

    message = Message(data={"text": text, "entities": []})
    ProcedureEntities().process([message])
    found = [e["value"] for e in message.get("entities") or [] if e["entity"] == "procedure"]
    assert found == ([value] if value else [])


def test_a_greeting_then_a_request_about_the_test_asks_about_it() -> None:
    # (session 11, tests/dev/blind19_conversations.yml): not a greeting
    text = ("hi my wife is having a bone marrow asperation tomorow at 9. she has MS as well so "
            "shes worried about keeping still. just wanted to know a bit about it first")
    assert _intent_after_statements(text, "ask_risks", 0.41) == "inform_procedure"
    text = ("Good evening. My husband, who is 84 and rather frail, has been referred for a bone "
            "marrow examination following some unusual results. I would like to understand how "
            "uncomfortable it will be for him.")
    assert _intent_after_statements(text, "out_of_scope", 0.39) == "out_of_scope"


def test_the_marrow_words_typed_before_a_test_name_are_part_of_it() -> None:
    # (session 11, tests/dev/questions.yml + followups.yml): "wat is a bone marow aspiraton" asks
    # what the test is
    from bot.components.procedures import ProcedureEntities
    from bot.components.questions import DefinitionQuestions

    text = "wat is a bone marow aspiraton"
    message = Message(data={"text": text, "entities": [
        {"entity": "procedure", "value": "aspiraton", "start": 20, "end": 29}],
        "intent": {"name": "ask_bone_marrow", "confidence": 0.6}, "intent_ranking": []})
    ProcedureEntities().process([message])
    [entity] = message.get("entities")
    assert (entity["start"], entity["value"]) == (9, "aspiration")
    DefinitionQuestions().process([message])
    assert message.get("intent")["name"] == "ask_overview"


def test_another_test_named_is_not_read_as_a_typo_of_ours() -> None:
    from bot.components.procedures import procedure_vocabulary, typo_span

    # the word as written is the entity ruler's; "liver biopsy" is another test
    assert typo_span("how do they do a liver biopsy", procedure_vocabulary()) is None
    assert typo_span("aspirashun meaning", procedure_vocabulary())[2] == "aspiration"


@pytest.mark.parametrize("text, procedures", [
    # (session 13, tests/dev/blind44) the patient's own test, another named beside it dropped
    ("mine is the biopsy, will they do the aspiration as well at the same time", ["biopsy"]),
    ("hers is a BMA but they might add a biopsy", ["aspiration"]),
    # compared: both kept; no own test said: both kept
    ("mine is the biopsy, is it worse than the aspiration", ["biopsy", "aspiration"]),
    ("will they do the biopsy and the aspiration together", ["biopsy", "aspiration"]),
])
def test_the_patients_own_test_is_the_one_named(text, procedures) -> None:
    found = _entities(text, _named_tests(text))
    assert [e["value"] for e in found if e["entity"] == "procedure"] == procedures


def test_a_question_asked_with_its_verb_is_not_the_test_named() -> None:
    # (session 17, tests/dev/blind58) "what can go wrong with his one, the biopsy": the risks,
    # the next topic question of the ranking; a test named short stays the test named
    from bot.components.procedures import ProcedureEntities
    from bot.components.statements import StatementsNamingATest

    def intent(text: str, ranking: list[tuple[str, float]]) -> str:
        message = Message(data={
            "text": text, "entities": [],
            "intent": {"name": ranking[0][0], "confidence": ranking[0][1]},
            "intent_ranking": [{"name": n, "confidence": c} for n, c in ranking]})
        ProcedureEntities().process([message])
        StatementsNamingATest().process([message])
        return message.get("intent")["name"]

    asked = [("inform_procedure", 0.58), ("ask_risks", 0.24), ("ask_expectations", 0.13)]
    assert intent("what can go wrong with his one, the biopsy", asked) == "ask_risks"
    assert intent("what about the biopsy?", asked) == "inform_procedure"
    assert intent("and the biopsy one", asked) == "inform_procedure"
    unsure = [("inform_procedure", 0.9), ("ask_risks", 0.05)]
    assert intent("what can go wrong with his one, the biopsy", unsure) == "inform_procedure"


def test_how_much_it_will_hurt_told_in_a_statement_is_how_it_feels() -> None:
    # (session 17, tests/dev/blind58) asked inside a statement that names the test
    text = ("My mother has dementia and gets very distressed. She's booked for a bone marrow "
            "biopsy at the day unit and I'm trying to work out how much it's going to hurt her so "
            "I can prepare the staff and myself.")
    assert _intent_after_statements(text, "ask_expectations", 0.46) == "ask_sensation"
    assert _intent_after_statements(
        "my dad is booked for a bone marrow biopsy on friday", "ask_expectations", 0.46,
    ) == "inform_procedure"


def test_what_the_papers_say_is_told() -> None:
    # (session 17, tests/dev/blind59) "the letter says bone marrow biopsy": the test named
    assert _intent_after_statements(
        "the letter says bone marrow biopsy", "ask_alternative_names", 0.82) == "inform_procedure"
    assert _intent_after_statements(
        "other names for a bone marrow aspiration", "ask_alternative_names", 0.82,
    ) == "ask_alternative_names"

"""A leaflet for another test becomes answerable without code (procedures are data).

The fixture (tests/fixtures/another_test/) is a MedlinePlus-format page written for these tests
("Lumbar puncture", clearly marked as a fixture, not patient content). It is added the two ways a
clinic adds documents, following the documented steps, and the real servers are asked over REST:

* into a documents folder: `python -m bot.ingest --documents DIR --output KB`, then `prepare`'s
  spaCy step (the repository's own documents/ is never touched: a copy is used);
* through a clinic profile's ``documents_dir`` with `python -m bot prepare`.

Neither retrains the Rasa model: the classifier sees every procedure as "test"
(bot/featurizers.py), and only the spaCy pipeline gets the new names.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator

import pytest

from bot import PROJECT_ROOT, nlp, training
from bot.knowledge import KnowledgeBase
from bot.serve import running
from bot.settings import Settings
from tests.support.servers import RestClient, free_port

FIXTURE = PROJECT_ROOT / "tests" / "fixtures" / "another_test"
FEEL = "FIXTURE TEXT: how the fixture procedure feels."
PREPARE = "FIXTURE TEXT: how to prepare for the fixture procedure."
OVERVIEW = "TEST FIXTURE, NOT PATIENT INFORMATION."


def _texts(replies: list[dict]) -> str:
    """What the bot said, white space made single (channels lay out paragraphs their way)."""
    return " ".join(" ".join(str(r.get("text") or "") for r in replies).split())


def _biopsy_text(topic: str) -> str:
    section = KnowledgeBase.load().for_procedure("biopsy").section(topic)
    return " ".join(section.text().split())


@pytest.fixture(scope="module", params=["documents folder", "clinic profile"])
def with_fixture(request, trained_model, tmp_path_factory) -> Iterator[RestClient]:
    data_dir = tmp_path_factory.mktemp("another-test")
    saved = {k: os.environ.get(k) for k in ("CLINIC_PROFILE", "KNOWLEDGE_BASE", "BOT_DATA_DIR")}
    env = {**os.environ, "BOT_DATA_DIR": str(data_dir)}
    if request.param == "documents folder":
        # what documents/README.md tells a content editor, on a copy of documents/
        folder = data_dir / "documents"
        shutil.copytree(PROJECT_ROOT / "documents", folder)
        shutil.copy2(FIXTURE / "documents" / "fixture-lumbar-puncture.txt", folder)
        knowledge = data_dir / "knowledge_base.yml"
        steps = [["bot.ingest", "--documents", str(folder), "--output", str(knowledge)],
                 ["bot.nlp", "ensure", "--knowledge", str(knowledge)]]
    else:
        env["CLINIC_PROFILE"] = str(FIXTURE / "profile.yml")
        knowledge = data_dir / "knowledge_base.yml"  # where `prepare` writes it
        steps = [["bot", "prepare"]]
    env["KNOWLEDGE_BASE"] = str(knowledge)
    try:
        for step in steps:
            done = subprocess.run([sys.executable, "-m", *step], cwd=PROJECT_ROOT, env=env,
                                  capture_output=True, text=True)
            assert done.returncode == 0, done.stdout + done.stderr
            assert "training" not in done.stdout, done.stdout  # no retraining
        assert "lumbar puncture" in KnowledgeBase.load(knowledge).procedures().names_text()
        # the spaCy pipeline has the new names; the Rasa model is the same one
        assert nlp.knowledge_procedures(knowledge) == nlp.pipeline_procedures(
            nlp.load_pipeline(nlp.DEFAULT_MODEL_PATH))
        assert training.model_path() == trained_model
        for key in ("KNOWLEDGE_BASE", "BOT_DATA_DIR", "CLINIC_PROFILE"):
            if key in env:
                os.environ[key] = env[key]
        settings = Settings(rasa_port=free_port(), action_port=free_port(),
                            web_port=free_port(), data_dir=data_dir)
        with running(settings, trained_model):
            yield RestClient(f"http://127.0.0.1:{settings.rasa_port}/webhooks/rest/webhook")
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        nlp.ensure_pipeline()  # back to the committed knowledge base's procedures


def test_the_new_test_is_answered_followed_up_and_switched_back(with_fixture):
    rest = with_fixture
    sender = "another-test-1"
    answer = _texts(rest.say(sender, "does a lumbar puncture hurt?"))
    assert FEEL in answer
    assert '"Lumbar puncture"' in answer
    assert "https://example.org/fixture/lumbar-puncture.htm" in answer
    assert _biopsy_text("sensation") not in answer

    follow_up = _texts(rest.say(sender, "how do I prepare for it?"))
    assert PREPARE in follow_up
    assert _biopsy_text("preparation") not in follow_up

    back = _texts(rest.say(sender, "what about the bone marrow biopsy?"))
    assert _biopsy_text("preparation") in back
    assert PREPARE not in back


def test_a_name_from_the_pages_alternative_names_is_understood(with_fixture):
    answer = _texts(with_fixture.say("another-test-2", "is a spinal tap painful"))
    assert FEEL in answer


@pytest.mark.parametrize("question", ["what is a lumbar puncture?", "what's a spinal tap"])
def test_what_is_the_new_test_quotes_its_overview(with_fixture, question):
    answer = _texts(with_fixture.say(f"another-test-def-{len(question)}", question))
    assert OVERVIEW in answer
    assert _biopsy_text("overview") not in answer


def test_without_a_test_named_three_tests_are_offered(with_fixture):
    replies = with_fixture.say("another-test-3", "will it hurt?")
    buttons = [b["title"] for r in replies for b in r.get("buttons") or []]
    assert buttons == ["Bone marrow aspiration", "Bone marrow biopsy", "Lumbar puncture"]
    chosen = _texts(with_fixture.say(
        "another-test-3", '/inform_procedure{"procedure": "lumbar-puncture"}'))
    assert FEEL in chosen


def test_a_test_without_a_document_is_declined_with_the_contacts(with_fixture):
    answer = _texts(with_fixture.say("another-test-4", "does a colonoscopy hurt?"))
    assert "lumbar puncture" in answer  # the tests it does know, from the knowledge base
    assert "FIXTURE TEXT" not in answer and _biopsy_text("sensation") not in answer
    assert "call" in answer

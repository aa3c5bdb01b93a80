"""bot/prepare.py (`python -m bot prepare`): a clinic adds its own documents without touching
code; ours stay as they are and the model is not retrained for documents (they are not training
data)."""

from __future__ import annotations

import shutil

import pytest
import yaml

from bot import PROJECT_ROOT, nlp, training
from bot.ingest import DEFAULT_PATH, IngestError
from bot.knowledge import KnowledgeBase
from bot.prepare import knowledge_base_path, prepare
from bot.settings import Settings

FIXTURES = PROJECT_ROOT / "tests" / "fixtures" / "documents"


def clinic(tmp_path, monkeypatch, *documents: str):
    folder = tmp_path / "clinic-documents"
    folder.mkdir()
    for name in documents:
        shutil.copy(FIXTURES / name, folder / name)
    data = yaml.safe_load((PROJECT_ROOT / "clinic" / "default.yml").read_text())
    data["documents_dir"] = "clinic-documents"  # relative to the profile file
    profile = tmp_path / "profile.yml"
    profile.write_text(yaml.safe_dump(data))
    monkeypatch.setenv("CLINIC_PROFILE", str(profile))
    monkeypatch.setenv("BOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("KNOWLEDGE_BASE", "")  # restored after the test
    return folder


@pytest.fixture(autouse=True)
def committed_pipeline():
    """prepare() builds the spaCy pipeline for the clinic's knowledge base: put back the one for
    ours afterwards, for the tests that follow."""
    yield
    nlp.ensure_pipeline()


def test_clinic_documents_join_the_knowledge_base_without_retraining(tmp_path, monkeypatch):
    clinic(tmp_path, monkeypatch, "good-markdown.md")
    committed = DEFAULT_PATH.read_bytes()
    model = prepare()
    assert model == training.model_path()
    # where the servers are told to read it (bot/serve.py passes it down)
    path = knowledge_base_path(Settings())
    assert path == tmp_path / "data" / "knowledge_base.yml"
    kb = KnowledgeBase.load(path)
    assert [d.id for d in kb.documents] == [
        "bone-marrow-aspiration", "bone-marrow-biopsy", "bone-marrow-and-stem-cells",
        "bone-marrow-sample-aftercare",
    ]
    assert kb.document("bone-marrow-sample-aftercare").section("sensation").text().startswith(
        "The site may feel sore for a few days."
    )
    assert DEFAULT_PATH.read_bytes() == committed
    assert (tmp_path / "data" / "knowledge_base.yml").exists()


def test_a_bad_clinic_document_stops_prepare_naming_the_file(tmp_path, monkeypatch):
    folder = clinic(tmp_path, monkeypatch, "bad-empty.txt")
    committed = DEFAULT_PATH.read_bytes()
    with pytest.raises(IngestError) as err:
        prepare()
    assert str(folder / "bad-empty.txt") in str(err.value) or "bad-empty.txt" in str(err.value)
    assert DEFAULT_PATH.read_bytes() == committed
    assert not (tmp_path / "data" / "knowledge_base.yml").exists()

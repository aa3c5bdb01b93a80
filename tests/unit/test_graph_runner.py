"""The graph runner without dask (bot/graph_runner.py): a real trained model's graph gives the same
parse and the same policy prediction with it as with Rasa's DaskGraphRunner."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from rasa.core.channels.channel import UserMessage
from rasa.engine import loader
from rasa.engine.exceptions import GraphRunError
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from bot import graph_runner
from bot.graph_runner import SequentialGraphRunner

pytestmark = pytest.mark.usefixtures("trained_model")


def _load(model: Path, runner_class):
    directory = tempfile.mkdtemp(prefix="graph-runner-")
    _, runner = loader.load_predict_graph_runner(
        Path(directory), model, LocalModelStorage, runner_class
    )
    return runner


@pytest.fixture(scope="module")
def runners(trained_model):
    return _load(trained_model, DaskGraphRunner), _load(trained_model, SequentialGraphRunner)


def _parse(runner, text: str) -> dict:
    result = runner.run(inputs={"__message__": [UserMessage(text)]},
                        targets=["run_RegexMessageHandler"])
    parsed = result["run_RegexMessageHandler"][0]
    return {k: parsed.get(k) for k in ("intent", "intent_ranking", "entities")}


@pytest.mark.parametrize("text", [
    "does a bone marrow biopsy hurt", "had my BMA this morning", "hello",
    "I'm bleeding through the dressing and it won't stop", "what do the results show",
])
def test_the_same_parse_as_rasas_runner(runners, text):
    theirs, ours = runners
    assert _parse(ours, text) == _parse(theirs, text)


def test_the_same_policy_prediction_as_rasas_runner(runners):
    theirs, ours = runners
    domain = Domain.load("domain.yml")
    tracker = DialogueStateTracker.from_dict("s", [
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": "does it hurt",
         "parse_data": {"intent": {"name": "ask_sensation", "confidence": 1.0},
                        "entities": []}},
    ], domain.slots)
    inputs = {"__tracker__": tracker}
    target = ["select_prediction"]
    assert ours.run(inputs=inputs, targets=target) == theirs.run(inputs=inputs, targets=target)


def test_an_input_named_like_a_node_is_refused_as_by_rasa(runners):
    _, ours = runners
    with pytest.raises(GraphRunError, match="clashes with a node name"):
        ours.run(inputs={"run_RegexMessageHandler": 1}, targets=["run_RegexMessageHandler"])


def test_install_makes_the_server_load_models_with_it():
    import rasa.core.processor

    before = rasa.core.processor.DaskGraphRunner
    try:
        graph_runner.install()
        assert graph_runner.installed()
        assert rasa.core.processor.DaskGraphRunner is SequentialGraphRunner
    finally:
        rasa.core.processor.DaskGraphRunner = before
    # the name rasa.core.processor loads models with (a future Rasa that renames it fails here)
    assert "DaskGraphRunner" in Path(rasa.core.processor.__file__).read_text()

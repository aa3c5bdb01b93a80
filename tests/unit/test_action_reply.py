"""bot/action_reply.py: the action server's replies checked by a validator built once, with
Rasa's behaviour (valid accepted, invalid rejected with Rasa's own error), and a guard that fails
when a new Rasa or jsonschema changes the code path it replaces."""

from __future__ import annotations

import asyncio
import inspect
from importlib.metadata import version

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from bot import action_reply

VALID = [
    {},
    {"events": [], "responses": []},
    {"events": [{"event": "slot", "name": "procedure", "value": "biopsy"}],
     "responses": [{"text": "It can hurt a little.", "buttons": [
         {"title": "the biopsy", "payload": "/choose_procedure"}]}]},
    {"events": [{"event": "slot", "timestamp": None, "name": "topic", "value": None},
                {"event": "action", "name": "action_listen"}],
     "responses": [{"text": "x", "image": None, "elements": [], "custom": {}}]},
]

INVALID = [
    {"events": "not a list"},
    {"events": [{"event": "no_such_event"}]},
    {"events": [{"no": "event key"}]},
    {"responses": [1, 2]},
    {"responses": "text"},
    {"events": [{"event": "slot", "name": 3}]},
]


@pytest.fixture()
def installed(monkeypatch):
    """The fast validator in place for one test, Rasa's method restored afterwards."""
    monkeypatch.setattr(RemoteAction, "_validate_action_result",
                        action_reply.validate_action_result)
    return RemoteAction("action_answer_question", None)


@pytest.mark.parametrize("reply", VALID)
def test_valid_replies_are_accepted(installed, reply):
    assert installed._validate_action_result(reply) is True
    assert action_reply.RASA_VALIDATE(installed, reply) is True  # as Rasa says


@pytest.mark.parametrize("reply", INVALID)
def test_invalid_replies_are_rejected_with_rasas_own_error(installed, reply):
    with pytest.raises(jsonschema.ValidationError) as rasa:
        action_reply.RASA_VALIDATE(installed, reply)
    with pytest.raises(jsonschema.ValidationError) as ours:
        installed._validate_action_result(reply)
    assert type(ours.value) is type(rasa.value)
    assert ours.value.message == rasa.value.message
    assert "Failed to validate Action server response" in ours.value.message
    assert list(ours.value.absolute_path) == list(rasa.value.absolute_path)
    # the validator built once agrees that it is invalid (the fast path is not bypassed)
    assert not action_reply.reply_validator().is_valid(reply)


def test_a_subclass_with_its_own_schema_keeps_rasas_method(installed):
    class Strict(RemoteAction):
        @staticmethod
        def action_response_format_spec():
            return {"type": "object", "required": ["events"]}

    with pytest.raises(jsonschema.ValidationError):
        Strict("action_x", None)._validate_action_result({})


def test_install_puts_it_in_place(monkeypatch):
    monkeypatch.setattr(RemoteAction, "_validate_action_result", action_reply.RASA_VALIDATE)
    assert not action_reply.installed()
    action_reply.install()
    assert action_reply.installed()
    action_reply.install()  # idempotent
    assert RemoteAction._validate_action_result is action_reply.validate_action_result


def test_the_rasa_entry_point_installs_it_before_rasa_runs(monkeypatch):
    import rasa.__main__
    import rasa.core.processor

    from bot import graph_runner, rasa_main

    monkeypatch.setattr(RemoteAction, "_validate_action_result", action_reply.RASA_VALIDATE)
    # restored after the test, like the validator
    monkeypatch.setattr(rasa.core.processor, "DaskGraphRunner",
                        rasa.core.processor.DaskGraphRunner)
    seen = []
    monkeypatch.setattr(rasa.__main__, "main", lambda: seen.append(
        (action_reply.installed(), graph_runner.installed())))
    monkeypatch.setattr("sys.argv", ["bot.rasa_main", "--version"])
    rasa_main.main()
    assert seen == [(True, True)]


def test_make_run_starts_the_rasa_server_through_the_entry_point(tmp_path):
    from bot.serve import services
    from bot.settings import Settings

    for processes in (1, 2):
        started = services(Settings(data_dir=tmp_path, rasa_processes=processes),
                           tmp_path / "model.tar.gz")
        rasa = [s for s in started if s.name.startswith("Rasa server")]
        assert len(rasa) == processes
        assert all(s.cmd[1:4] == ["-m", "bot.rasa_main", "run"] for s in rasa)


# --- the guard: fails when a new Rasa or jsonschema changes what is replaced -------------------


def test_rasas_method_still_validates_with_jsonschema_validate_and_the_cached_schema(monkeypatch):
    """What the fast path stands in for: Rasa's method calls ``jsonschema.validate(result,
    action_response_format_spec())`` (looked up at call time), with exactly the schema we cache,
    and jsonschema.validate builds its validator as reply_validator() does."""
    calls = []
    real = jsonschema.validate

    def spy(instance, schema, *args, **kwargs):
        calls.append((instance, schema, args, kwargs))
        return real(instance, schema, *args, **kwargs)

    monkeypatch.setattr(jsonschema, "validate", spy)
    reply = VALID[2]
    assert action_reply.RASA_VALIDATE(RemoteAction("action_x", None), reply) is True
    assert len(calls) == 1
    instance, schema, args, kwargs = calls[0]
    assert instance is reply and not args and not kwargs
    assert schema == action_reply.reply_validator().schema
    assert schema == RemoteAction.action_response_format_spec()  # a constant

    source = inspect.getsource(action_reply.RASA_VALIDATE)
    assert "validate(result, self.action_response_format_spec())" in source
    validate_source = inspect.getsource(real)
    assert "cls = validator_for(schema)" in validate_source
    assert "cls.check_schema(schema)" in validate_source
    assert "validator = cls(schema, *args, **kwargs)" in validate_source
    assert "exceptions.best_match(validator.iter_errors(instance))" in validate_source
    assert type(action_reply.reply_validator()) is jsonschema.validators.validator_for(schema)
    # re-check this module against the new versions when either pin moves
    assert version("rasa").startswith("3.6.")
    assert version("jsonschema").startswith("4.")


def test_rasa_checks_every_action_reply_through_the_replaced_method(installed, monkeypatch):
    """RemoteAction.run still hands the action server's reply to _validate_action_result."""
    seen = []

    def spy(self, result):
        seen.append(result)
        return action_reply.validate_action_result(self, result)

    monkeypatch.setattr(RemoteAction, "_validate_action_result", spy)
    action = RemoteAction("action_answer_question", EndpointConfig("http://127.0.0.1:9/webhook"))

    async def reply(**_kwargs):
        return {"events": [], "responses": [{"text": "hello"}]}

    monkeypatch.setattr(action.action_endpoint, "request", reply)
    output = CollectingOutputChannel()
    nlg = TemplatedNaturalLanguageGenerator({})
    tracker = DialogueStateTracker("guard-test", [])
    events = asyncio.run(action.run(output, nlg, tracker, Domain.empty()))
    assert len(seen) == 1 and [e.text for e in events] == ["hello"]

    async def bad(**_kwargs):
        return {"events": "not a list"}

    monkeypatch.setattr(action.action_endpoint, "request", bad)
    with pytest.raises(jsonschema.ValidationError, match="Failed to validate Action server"):
        asyncio.run(action.run(output, nlg, tracker, Domain.empty()))
    assert len(seen) == 2

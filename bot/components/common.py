"""What the project's NLU components share: a component with nothing to configure or train,
setting an intent first, and the names of the procedure entities."""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
)
from rasa.shared.nlu.training_data.message import Message

PROCEDURE_ENTITY = "procedure"
OTHER_PROCEDURE_ENTITY = "other_procedure"
COMPARED_PROCEDURE_ENTITY = "compared_procedure"


class Stateless(GraphComponent):
    """A component with no configuration and nothing to train or load."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> GraphComponent:
        return cls()


def set_intent_first(message: Message, name: str) -> None:
    """``name`` becomes the intent (confidence 1) and heads the ranking."""
    intent = {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: 1.0}
    ranking = [e for e in (message.get(INTENT_RANKING_KEY) or []) if e.get(INTENT_NAME_KEY) != name]
    message.set(INTENT, intent, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [dict(intent), *ranking], add_to_output=True)

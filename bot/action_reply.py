"""Checking the action server's replies with a JSON-schema validator built once.

Rasa 3.6 checks every reply of the action server in ``RemoteAction._validate_action_result``
with ``jsonschema.validate(result, RemoteAction.action_response_format_spec())``. With the pinned
jsonschema (4.17.3) that function first checks the *schema* against its meta-schema, on every
call (python-jsonschema#853): about 55 ms of CPU per message, more than everything else a turn
costs together. The schema is a constant, so :func:`install` replaces the method with one that
checks replies with a validator built (and its schema checked) once per process:

- a valid reply: accepted, as before;
- an invalid reply: handed to Rasa's own method, which raises exactly the error it always did
  (a ``jsonschema.ValidationError`` with Rasa's explanation appended). Invalid replies are a bug,
  not a per-message cost, so they may take the slow path;
- a subclass that defines its own ``action_response_format_spec``: Rasa's method, unchanged.

:func:`install` is called by the project's Rasa entry point (``python -m bot.rasa_main``, which
``make run`` and ``python -m bot.production rasa`` use), before Rasa loads anything.
tests/unit/test_action_reply.py fails if a new Rasa or jsonschema changes the code path replaced
here.
"""

from __future__ import annotations

import functools
from typing import Any

from jsonschema import exceptions, validators
from rasa.core.actions.action import RemoteAction

# Rasa's method, kept for invalid replies, subclasses with their own schema, and the tests.
RASA_VALIDATE = RemoteAction._validate_action_result


@functools.lru_cache(maxsize=1)
def reply_validator() -> Any:
    """The validator of Rasa's action reply schema, built as ``jsonschema.validate`` builds it
    (class from the schema, schema checked against the meta-schema), once."""
    schema = RemoteAction.action_response_format_spec()
    cls = validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    """Drop-in for ``RemoteAction._validate_action_result``: True, or Rasa's ValidationError."""
    if type(self).action_response_format_spec is not RemoteAction.action_response_format_spec:
        return RASA_VALIDATE(self, result)
    if exceptions.best_match(reply_validator().iter_errors(result)) is None:
        return True
    return RASA_VALIDATE(self, result)  # raises Rasa's own error, message and all


def install() -> None:
    """Use :func:`validate_action_result` in this process (idempotent)."""
    reply_validator()  # build it now, not during the first patient's turn
    RemoteAction._validate_action_result = validate_action_result


def installed() -> bool:
    return RemoteAction._validate_action_result is validate_action_result

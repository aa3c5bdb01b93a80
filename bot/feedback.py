"""Answer feedback ("Helpful? Yes / No"), recorded by the message guard (bot/guard.py).

The web widget's buttons send ``/feedback{"helpful": "yes"|"no"}``; on text channels the same
payload comes from the numbered options of the optional prompt (actions/feedback.py,
``text_feedback_prompt`` in the clinic profile). The payload never reaches the model: no intent,
no rule, no action, so training and predictions are exactly as without feedback. The guard stores
it in the conversation's tracker through Rasa's own agent (lock store, processor, tracker store)
as one event, ``SlotSet("feedback", {"helpful", "topic", "procedure"})``, with the topic and
procedure of the answer the patient just read (the ``topic`` / ``procedure`` slots). The
``feedback`` slot does not influence the conversation, and nothing else changes: a patient who
ignores the buttons, or clicks one, continues exactly the same.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from rasa.core.channels.channel import UserMessage

logger = logging.getLogger(__name__)

PAYLOAD = "/feedback"
SLOT = "feedback"
# channels that show text only: they thank the patient (the web widget thanks them itself)
TEXT_CHANNELS = frozenset({"twilio", "whatsapp", "telegram", "facebook", "slack"})
_PAYLOAD = re.compile(r"/feedback\s*(\{.*\})\s*", re.DOTALL)


def is_feedback(text: str) -> bool:
    return text.startswith(PAYLOAD)


def helpful_value(text: str) -> str | None:
    """"yes" or "no" from a feedback payload; None when it is not a valid one."""
    match = _PAYLOAD.fullmatch(text or "")
    if not match:
        return None
    try:
        data = json.loads(match[1])
    except ValueError:
        return None
    value = data.get("helpful") if isinstance(data, dict) else None
    return value if value in ("yes", "no") else None


def _agent() -> Any:
    """The Rasa agent of this server process (None outside `rasa run`, e.g. a channel test)."""
    from sanic import Sanic

    for app in list(Sanic._app_registry.values()):
        agent = getattr(app.ctx, "agent", None)
        if getattr(agent, "processor", None) is not None and hasattr(agent, "lock_store"):
            return agent
    return None


async def record(message: UserMessage) -> bool:
    """Stores the feedback of ``message`` in its conversation; False when there is nothing to
    store (not a valid payload, no conversation yet, no agent)."""
    from rasa.shared.core.events import SlotSet

    helpful = helpful_value(message.text or "")
    agent = _agent()
    if helpful is None or agent is None:
        return False
    async with agent.lock_store.lock(message.sender_id):
        tracker = await agent.processor.get_tracker(message.sender_id)
        if not tracker.events:  # nothing was answered in this conversation
            return False
        slots = tracker.current_slot_values()
        tracker.update(SlotSet(SLOT, {"helpful": helpful, "topic": slots.get("topic"),
                                      "procedure": slots.get("procedure")}))
        await agent.processor.save_tracker(tracker)
    return True

"""Where a turn's time goes in the real Rasa server: CPU and wall milliseconds per step, per
message, for `make bench` (its "Per-step cost" table). Never on in `make run`.

On in the Rasa server only when ``BOT_PROBE_FILE`` is set (bot/settings.py): bot/rasa_main.py
calls :func:`install`, which wraps the Rasa functions in :data:`STEPS` and every graph node
(``GraphNode.__call__``: each NLU component and policy). Only messages whose sender id starts
with ``BOT_PROBE_SENDERS`` (default ``bench-probe-``) are recorded, one JSON line per message:
``{"steps": {step: [cpu_ms, wall_ms, calls]}}``. For any other message the wrappers only look up a
context variable.

CPU is ``time.thread_time()`` of the server's event loop thread. For async steps (tracker store,
action server call) it spans the awaits, so it is only the step's own when one message is
handled at a time: the bench sends these messages one after another.
"""

from __future__ import annotations

import contextvars
import functools
import importlib
import inspect
import json
import re
import statistics
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

# (module, class, method, step). Steps named "... (total)" contain others.
STEPS = (
    ("rasa.core.processor", "MessageProcessor", "handle_message", "turn in the processor (total)"),
    ("rasa.core.processor", "MessageProcessor", "_parse_message_with_graph", "NLU parse (total)"),
    ("rasa.core.processor", "MessageProcessor", "_predict_next_with_tracker",
     "policy prediction (total)"),
    ("rasa.engine.runner.dask", "DaskGraphRunner", "run", "graph runs (total)"),
    ("bot.graph_runner", "SequentialGraphRunner", "run", "graph runs (total)"),
    # the project's store (endpoints.yml); it calls Rasa's SQLTrackerStore only for a
    # conversation it does not hold, inside these timings
    ("bot.tracker_store", "CachedSQLTrackerStore", "retrieve", "tracker store: retrieve"),
    ("bot.tracker_store", "CachedSQLTrackerStore", "save", "tracker store: save"),
    ("rasa.core.tracker_store", "InMemoryTrackerStore", "retrieve", "tracker store: retrieve"),
    ("rasa.core.tracker_store", "InMemoryTrackerStore", "save", "tracker store: save"),
    ("rasa.core.actions.action", "RemoteAction", "run", "custom action (total)"),
    ("rasa.core.actions.action", "RemoteAction", "_validate_action_result",
     "validating the action server's reply"),
    ("rasa.utils.endpoints", "EndpointConfig", "request", "action server round trip"),
)
NODE_STEP = "graph node: {}"

_current: contextvars.ContextVar[dict | None] = contextvars.ContextVar("bot_probe", default=None)


def _add(record: dict, step: str, cpu: float, wall: float) -> None:
    entry = record.setdefault(step, [0.0, 0.0, 0])
    entry[0] += cpu * 1000
    entry[1] += wall * 1000
    entry[2] += 1


def _wrap(function: Any, step: str | None) -> Any:
    """``function`` timed into the current message's record (``step`` None: a graph node, named
    by its node)."""

    def name(args: tuple) -> str:
        if step is not None:
            return step
        node = re.sub(r"\d+$", "", getattr(args[0], "_node_name", "?"))
        return NODE_STEP.format(node.removeprefix("run_"))

    if inspect.iscoroutinefunction(function):
        @functools.wraps(function)
        async def timed_async(*args: Any, **kwargs: Any) -> Any:
            record = _current.get()
            if record is None:
                return await function(*args, **kwargs)
            cpu, wall = time.thread_time(), time.perf_counter()
            try:
                return await function(*args, **kwargs)
            finally:
                _add(record, name(args), time.thread_time() - cpu, time.perf_counter() - wall)

        return timed_async

    @functools.wraps(function)
    def timed(*args: Any, **kwargs: Any) -> Any:
        record = _current.get()
        if record is None:
            return function(*args, **kwargs)
        cpu, wall = time.thread_time(), time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            _add(record, name(args), time.thread_time() - cpu, time.perf_counter() - wall)

    return timed


def install(path: Path, senders: str = "bench-probe-") -> list[str]:
    """Wrap the steps; returns those not found in this Rasa (the report names them)."""
    from rasa.core.processor import MessageProcessor
    from rasa.engine.graph import GraphNode

    missing = []
    for module, owner, method, step in STEPS:
        cls = getattr(importlib.import_module(module), owner, None)
        if cls is None or method not in vars(cls):
            missing.append(f"{owner}.{method}")
            continue
        setattr(cls, method, _wrap(vars(cls)[method], step))
    GraphNode.__call__ = _wrap(GraphNode.__call__, None)

    timed_turn = MessageProcessor.handle_message

    @functools.wraps(timed_turn)
    async def handle_message(self: Any, message: Any) -> Any:
        if not str(message.sender_id).startswith(senders):
            return await timed_turn(self, message)
        record: dict = {}
        token = _current.set(record)
        try:
            return await timed_turn(self, message)
        finally:
            _current.reset(token)
            with path.open("a", encoding="utf-8") as handle:
                handle.write(json.dumps({"steps": record}) + "\n")

    MessageProcessor.handle_message = handle_message
    return missing


# --- the bench's side: the table -------------------------------------------------------------


def read(path: Path) -> list[dict]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    return [json.loads(line)["steps"] for line in lines if line.strip()]


def table(records: list[dict]) -> list[tuple[str, float, float, float, float]]:
    """(step, median CPU ms, mean CPU ms, median wall ms, calls per message) per step, over all
    messages (a step a message did not run counts as 0), the slowest first; plus "graph
    overhead" (graph runs minus the nodes' own time)."""
    if not records:
        return []
    steps = sorted({step for record in records for step in record})
    rows = []
    for step in steps:
        cpu = [r.get(step, [0, 0, 0])[0] for r in records]
        wall = [r.get(step, [0, 0, 0])[1] for r in records]
        calls = sum(r.get(step, [0, 0, 0])[2] for r in records) / len(records)
        rows.append((step, statistics.median(cpu), statistics.fmean(cpu),
                     statistics.median(wall), calls))

    def own(record: dict, index: int) -> float:
        runs = record.get("graph runs (total)", [0, 0, 0])[index]
        nodes = sum(v[index] for k, v in record.items() if k.startswith("graph node: "))
        return runs - nodes

    if any("graph runs (total)" in r for r in records):
        cpu = [own(r, 0) for r in records]
        rows.append(("graph overhead (graph runs minus their nodes)", statistics.median(cpu),
                     statistics.fmean(cpu), statistics.median([own(r, 1) for r in records]),
                     0.0))
    return sorted(rows, key=lambda row: -row[2])


def markdown(rows: Iterable[tuple[str, float, float, float, float]]) -> list[str]:
    lines = ["| step | CPU ms, median | CPU ms, mean | wall ms, median | calls per message |",
             "|---|---:|---:|---:|---:|"]
    lines += [f"| {step} | {cpu:.2f} | {mean:.2f} | {wall:.2f} | {calls:.1f} |"
              for step, cpu, mean, wall, calls in rows]
    return lines

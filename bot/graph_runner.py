"""Running the model's graph in order, without dask, in the Rasa server.

Rasa 3.6 runs the trained graph (NLU components, policies) for every message with
``DaskGraphRunner.run``: it builds a dask task graph and hands it to ``dask.get``, about 1.3 ms
of CPU per message of scheduling for some 20 nodes that run one after the other anyway
(`make bench`, "graph overhead"). :class:`SequentialGraphRunner` is that runner with ``run``
replaced: the same nodes, instantiated the same way, called in dependency order, each with the
outputs of the nodes it needs, and the same result (``{target: output}``) and errors.

:func:`install` makes the Rasa server load models with it (``rasa.core.processor`` names the
runner it loads models with). It is called by the project's Rasa entry point
(``python -m bot.rasa_main``). Training keeps dask. tests/unit/test_graph_runner.py runs a real
model's graph with both runners and fails if Rasa's code path changes under a future pin.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.exceptions import GraphRunError
from rasa.engine.graph import GraphSchema
from rasa.engine.runner.dask import DaskGraphRunner

Order = tuple[tuple[str, tuple[str, ...]], ...]


def run_order(schema: GraphSchema, targets: tuple[str, ...]) -> Order:
    """The nodes ``targets`` need, each after the nodes it needs: (node, its inputs' names)."""
    minimal = schema.minimal_graph_schema(list(targets))
    done: set[str] = set()
    order: list[tuple[str, tuple[str, ...]]] = []

    def visit(name: str, path: tuple[str, ...] = ()) -> None:
        if name in done or name not in minimal.nodes:
            return
        if name in path:
            raise GraphRunError(f"The graph has a cycle through '{name}'.")
        needs = tuple(minimal.nodes[name].needs.values())
        for need in needs:
            visit(need, (*path, name))
        done.add(name)
        order.append((name, needs))

    for target in targets:
        visit(target)
    return tuple(order)


class SequentialGraphRunner(DaskGraphRunner):
    """``DaskGraphRunner`` whose ``run`` calls the nodes in dependency order itself."""

    def _order(self, targets: tuple[str, ...]) -> Order:
        orders: dict[tuple[str, ...], Order] = self.__dict__.setdefault("_orders", {})
        if targets not in orders:
            orders[targets] = run_order(self._graph_schema, targets)
        return orders[targets]

    def run(
        self, inputs: dict[str, Any] | None = None, targets: list[str] | None = None
    ) -> dict[str, Any]:
        run_targets = tuple(targets if targets else self._graph_schema.target_names)
        values: dict[str, Any] = {}
        for name, value in (inputs or {}).items():
            if name in self._graph_schema.nodes:
                raise GraphRunError(
                    f"Input value '{name}' clashes with a node name. Make sure that none of the "
                    f"input names passed to the `run` method are the same as node names in the "
                    f"graph schema."
                )
            values[name] = (name, value)
        for name, needs in self._order(run_targets):
            try:
                arguments = [values[need] for need in needs]
            except KeyError as missing:
                raise GraphRunError(f"Node '{name}' needs {missing}, which is not given.") from None
            values[name] = self._instantiated_nodes[name](*arguments)
        return dict(values[target] for target in run_targets)


def install() -> None:
    """Load models for the Rasa server with :class:`SequentialGraphRunner` (idempotent)."""
    import rasa.core.processor

    rasa.core.processor.DaskGraphRunner = SequentialGraphRunner


def installed() -> bool:
    import rasa.core.processor

    return rasa.core.processor.DaskGraphRunner is SequentialGraphRunner

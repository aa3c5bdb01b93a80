"""The project's Rasa entry point: ``python -m bot.rasa_main <rasa arguments>`` is ``rasa
<rasa arguments>`` with the project's fixes to Rasa installed first, in the server process:

- action server replies are checked with a validator built once (bot/action_reply.py);
- the model's graph runs in order without dask (bot/graph_runner.py);
- with ``BOT_PROBE_FILE`` set (`make bench` only), per-step timings (bot/probe.py).

``make run`` (bot/serve.py) and ``python -m bot.production rasa`` start the Rasa server this way.
"""

from __future__ import annotations

import sys


def main() -> None:
    from bot import action_reply, graph_runner

    action_reply.install()
    graph_runner.install()

    from bot.settings import probe_settings

    probe = probe_settings()
    if probe is not None:
        from bot import probe as timings

        missing = timings.install(*probe)
        if missing:
            print(f"bot.probe: not found in this Rasa: {', '.join(missing)}", file=sys.stderr)

    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()

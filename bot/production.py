"""`python -m bot.production rasa|actions|render`: one kind of server only, in the foreground, for
a deployment with several Rasa servers behind a load balancer and a separate action server
(docs/deployment.md). ``make run`` starts all of them on one machine (bot/serve.py).

The stores themselves are in bot/stores.py; ``bot.production.RedisTicketLockStore`` stays a valid
name for the lock store in existing endpoints.yml files.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys

from bot.stores import (  # noqa: F401 - the names existing endpoints.yml files and imports use
    ProductionConfigError,
    RedisTicketLockStore,
    production_endpoints,
)

USAGE = """\
python -m bot.production rasa      prepare, then run only the Rasa server (in the foreground)
python -m bot.production actions   prepare, then run only the action server; it listens on
                                   ACTION_HOST (default 127.0.0.1) and ACTION_PORT
python -m bot.production render    write $BOT_DATA_DIR/endpoints.yml and credentials.yml and
                                   print their paths
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.production", usage=USAGE)
    parser.add_argument("command", choices=["rasa", "actions", "render"])
    args = parser.parse_args(argv)

    from bot import PROJECT_ROOT
    from bot.settings import Settings

    settings = Settings()
    if args.command == "render":
        from bot.serve import render_credentials, render_endpoints

        print(render_endpoints(settings))
        print(render_credentials(settings))
        return 0

    from bot.ingest import IngestError
    from bot.prepare import prepare
    from bot.profile import ProfileError
    from bot.serve import server_environment, services
    from bot.settings import action_host

    try:
        model = prepare()  # also points the actions at the clinic's knowledge base
    except (ProfileError, IngestError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    # one Rasa process per unit here: the process manager runs as many as it wants behind nginx
    action, server, _web = services(dataclasses.replace(settings, rasa_processes=1), model)
    env = server_environment(settings)
    if args.command == "actions":
        env["SANIC_HOST"] = action_host()
    cmd = server.cmd if args.command == "rasa" else action.cmd
    print(f"run: {' '.join(cmd)}", flush=True)
    os.chdir(PROJECT_ROOT)
    os.execve(cmd[0], cmd, env)  # the process manager signals the server itself


if __name__ == "__main__":
    sys.exit(main())

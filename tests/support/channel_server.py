"""A Sanic app with only our socket.io channel, registered the way `rasa run` does it, for
tests/e2e/test_web.py:

    python tests/support/channel_server.py PORT ALLOWED_ORIGINS [CORS_ORIGIN...]

ALLOWED_ORIGINS (space-separated) go to the channel's cors_allowed_origins; the CORS_ORIGINS
are what `rasa run --cors` would get. Instead of a trained agent, every message is answered
with "echo: <text>" and a second paragraph through the real socket.io output channel, so the
channel's protocol can be tested in seconds.
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from rasa.core.channels.channel import UserMessage, register  # noqa: E402
from rasa.server import configure_cors  # noqa: E402
from sanic import Sanic, response  # noqa: E402

from bot.channels.socketio import RestrictedSocketIOInput  # noqa: E402


async def echo(message: UserMessage) -> None:
    await message.output_channel.send_text_message(
        message.sender_id, f"echo: {message.text}\n\nsecond part"
    )


def main() -> None:
    port, allowed, *cors = sys.argv[1:]
    app = Sanic("channel_test")
    configure_cors(app, cors or None)
    channel = RestrictedSocketIOInput.from_credentials(
        {"session_persistence": True, "cors_allowed_origins": allowed}
    )
    register([channel], app, route="/webhooks/")
    app.ctx.agent = SimpleNamespace(handle_message=echo)

    @app.get("/health")
    async def health(_):
        return response.json({"status": "ok"})

    app.run(host="127.0.0.1", port=int(port), access_log=False, workers=1)


if __name__ == "__main__":
    main()

"""The clinic's web page ("Your bone marrow test") with the chat widget.

Serves, from the project only (no CDN, no external fonts or scripts):

  /                          the page (bot/web/index.html, filled from the clinic profile)
  /static/...                the widget's JavaScript and CSS, the icon (bot/web/static/)
  /vendor/socket.io.min.js   the socket.io client, from node_modules (package.json)
  /config.js                 tells the widget where the Rasa server's socket.io channel is
  /health                    200 {"status": "ok"} for the service runner
  /staff                     the insights report for clinic staff, only with STAFF_TOKEN set
                             (bot/staff.py); 404 otherwise

The widget talks to the Rasa server directly over socket.io (credentials.yml,
bot.channels.socketio.RestrictedSocketIOInput). By default the socket is on the same host name
as the page, port RASA_PORT; a deployment that puts Rasa behind a reverse proxy sets
CHAT_SOCKET_URL (e.g. https://chat.clinic.example.org) instead.

Run: ``python -m bot.web [--port WEB_PORT] [--host WEB_HOST] [--rasa-port RASA_PORT]``.
"""

from __future__ import annotations

import argparse
import html
import json
import logging
import re
import sys
from pathlib import Path

from aiohttp import web

from bot import PROJECT_ROOT
from bot.settings import WebSettings

logger = logging.getLogger("bot.web")

WEB_DIR = Path(__file__).with_name("web")
STATIC_DIR = WEB_DIR / "static"
PAGE_TEMPLATE = WEB_DIR / "index.html"
SOCKET_IO_CLIENT = PROJECT_ROOT / "node_modules" / "socket.io-client" / "dist" / "socket.io.min.js"
SOCKET_PATH = "/socket.io"

# A host name as the browser sent it in the Host header: a DNS name, IPv4 or [IPv6].
HOSTNAME = re.compile(r"[A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\]")


class WebError(RuntimeError):
    """The page cannot be served (missing file, bad setting)."""


def socket_url(settings: WebSettings, request: web.Request) -> str:
    """Where the browser finds the Rasa server: the page's host name on RASA_PORT by default."""
    if settings.socket_url:
        return settings.socket_url
    host = request.host.strip()
    if host.startswith("["):  # [IPv6]:port
        name = host[: host.find("]") + 1]
    else:
        name = host.split(":", 1)[0]
    if not HOSTNAME.fullmatch(name):
        raise web.HTTPBadRequest(text="bad Host header")
    scheme = "https" if request.scheme == "https" else "http"
    return f"{scheme}://{name}:{settings.rasa_port}"


def _websocket_url(url: str) -> str:
    return "wss" + url[len("https"):] if url.startswith("https:") else "ws" + url[len("http"):]


def content_security_policy(socket: str) -> str:
    return "; ".join([
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        f"connect-src 'self' {socket} {_websocket_url(socket)}",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ])


def render_page(template: str) -> str:
    """index.html with the clinic profile's details, HTML-escaped."""
    from bot.profile import current_profile
    from bot.replies import offered_procedures

    profile = current_profile()
    values = {
        "procedures_or": offered_procedures(profile).names_text("or"),
        "clinic_name": profile.clinic_name,
        "phone": profile.phone,
        "opening_hours": profile.opening_hours,
        "emergency_number": profile.emergency_number,
        "locale": profile.locale.split("-")[0] or "en",
    }
    for key, value in values.items():
        template = template.replace("{{" + key + "}}", html.escape(value, quote=True))
    return template


async def security_headers(request: web.Request, response: web.StreamResponse) -> None:
    """Every response: the page may load and connect to nothing but the project's servers."""
    settings: WebSettings = request.app["settings"]
    try:
        socket = socket_url(settings, request)
    except web.HTTPBadRequest:
        socket = "http://localhost"
    headers = response.headers
    headers.setdefault("Content-Security-Policy", content_security_policy(socket))
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "no-referrer")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    headers.setdefault("Cache-Control", "no-cache")


async def page(request: web.Request) -> web.Response:
    """Re-rendered when the clinic profile changed; the last good page if it became invalid."""
    from bot.profile import ProfileError

    rendered = request.app["page"]  # {"template": ..., "last": ...}
    try:
        rendered["last"] = render_page(rendered["template"])
    except (ProfileError, OSError) as exc:
        logger.error("clinic profile: %s (serving the page as it was)", exc)
    return web.Response(text=rendered["last"], content_type="text/html", charset="utf-8")


async def config(request: web.Request) -> web.Response:
    settings: WebSettings = request.app["settings"]
    body = {"socketUrl": socket_url(settings, request), "socketPath": SOCKET_PATH}
    text = "window.CLINIC_CHAT_CONFIG = Object.freeze(" + json.dumps(body) + ");\n"
    return web.Response(text=text, content_type="application/javascript", charset="utf-8")


async def socket_io_client(_: web.Request) -> web.FileResponse:
    return web.FileResponse(SOCKET_IO_CLIENT, headers={"Content-Type": "application/javascript"})


async def health(_: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


def create_app(settings: WebSettings | None = None) -> web.Application:
    settings = settings or WebSettings.from_env(WebError)
    if not SOCKET_IO_CLIENT.is_file():
        raise WebError(
            f"{SOCKET_IO_CLIENT.relative_to(PROJECT_ROOT)} is missing: run "
            "'bash scripts/install-browser.sh' (or 'npm ci') in the project folder"
        )
    app = web.Application()
    app.on_response_prepare.append(security_headers)
    app["settings"] = settings
    template = PAGE_TEMPLATE.read_text(encoding="utf-8")
    # a bad clinic profile stops the start here
    app["page"] = {"template": template, "last": render_page(template)}
    app.router.add_get("/", page)
    app.router.add_get("/index.html", page)
    app.router.add_get("/config.js", config)
    app.router.add_get("/health", health)
    app.router.add_get("/vendor/socket.io.min.js", socket_io_client)
    app.router.add_static("/static/", STATIC_DIR, show_index=False, follow_symlinks=False)
    from bot.staff import add_routes

    add_routes(app, settings.staff_token)
    return app


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.web", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    try:
        defaults = WebSettings.from_env(WebError)
    except WebError as exc:
        print(f"web: {exc}", file=sys.stderr)
        return 2
    parser.add_argument("--port", type=int, default=defaults.port, help="default: WEB_PORT or 8080")
    parser.add_argument("--host", default=defaults.host,
                        help="interface to listen on; default: WEB_HOST, RASA_HOST or 127.0.0.1")
    parser.add_argument("--rasa-port", type=int, default=defaults.rasa_port,
                        help="port of Rasa's socket.io channel; default: RASA_PORT or 5005")
    args = parser.parse_args(argv)
    settings = WebSettings(args.port, args.host, args.rasa_port, defaults.socket_url,
                           defaults.staff_token)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    try:
        app = create_app(settings)
    except Exception as exc:  # noqa: BLE001 - a clear one-line reason in the service log
        print(f"web: {exc}", file=sys.stderr)
        return 1
    where = settings.socket_url or f"<page host>:{settings.rasa_port}"
    print(f"web: the clinic page on http://{settings.host}:{settings.port}/ "
          f"(chat socket: {where}{SOCKET_PATH})", flush=True)
    web.run_app(app, host=settings.host, port=settings.port, print=None, access_log=None)
    return 0


if __name__ == "__main__":
    sys.exit(main())

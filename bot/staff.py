"""The staff page: the insights report (bot/report) for the last 30 days, on the web server.

Off unless ``STAFF_TOKEN`` is set (bot/settings.py); then:

  GET  /staff            the report, for ``Authorization: Bearer <token>`` (scripts) or the
                         sign-in cookie (people); anything else gets 404, as if there were no page
  GET  /staff/sign-in    a small form asking for the token
  POST /staff/sign-in    the right token: an HttpOnly, SameSite=Strict cookie and a redirect to
                         /staff; a wrong one: the form again (403), nothing else
  POST /staff/sign-out   forgets the cookie

Tokens are compared in constant time (hmac.compare_digest). The cookie holds an HMAC of the
token, never the token itself, so changing STAFF_TOKEN signs everybody out. Every staff response
is ``Cache-Control: no-store`` and ``X-Robots-Tag: noindex``; the patient page never links here.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import html
import logging
import time

from aiohttp import web

logger = logging.getLogger("bot.staff")

COOKIE = "staff_session"
COOKIE_MAX_AGE = 8 * 3600
CACHE_SECONDS = 60
STAFF_HEADERS = {
    "Cache-Control": "no-store",
    "Pragma": "no-cache",
    "X-Robots-Tag": "noindex, nofollow, noarchive",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
                               "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
}
FORM_STYLE = ("body{font:16px/1.5 system-ui,sans-serif;max-width:28rem;margin:4rem auto;"
              "padding:0 1rem;color:#1b2733}label,input,button{display:block;width:100%;"
              "box-sizing:border-box}input{margin:.3rem 0 1rem;padding:.6rem;font:inherit}"
              "button{padding:.6rem;font:inherit;font-weight:600}.error{color:#b3261e}")


def session_value(token: str) -> str:
    return hmac.new(token.encode(), b"bone-marrow-bot staff session v1", hashlib.sha256
                    ).hexdigest()


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode("utf-8", "replace"), expected.encode())


def authorized(request: web.Request, token: str) -> bool:
    header = request.headers.get("Authorization", "")
    if header[:7].lower() == "bearer ":
        return _same(header[7:].strip(), token)
    cookie = request.cookies.get(COOKIE)
    return bool(cookie) and _same(cookie, session_value(token))


def _not_found() -> web.Response:
    return web.Response(status=404, text="404: Not Found", headers=STAFF_HEADERS)


def _form(status: int = 200, failed: bool = False) -> web.Response:
    error = '<p class="error" role="alert">That token is not right.</p>' if failed else ""
    page = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="robots" content="noindex, nofollow">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Staff sign-in</title><style>{FORM_STYLE}</style></head><body><main>"
        f"<h1>Staff sign-in</h1>{error}"
        '<form method="post" action="/staff/sign-in">'
        '<label for="token">Staff token</label>'
        '<input id="token" name="token" type="password" autocomplete="current-password" required>'
        '<button type="submit">Sign in</button></form></main></body></html>'
    )
    return web.Response(status=status, text=page, content_type="text/html", charset="utf-8",
                        headers=STAFF_HEADERS)


def _report_page() -> str:
    from bot.report import ReportError, build_report

    try:
        page = build_report().html
    except ReportError as exc:
        return ('<!doctype html><html lang="en"><head><meta charset="utf-8">'
                '<meta name="robots" content="noindex, nofollow"><title>Insights report</title>'
                f"</head><body><main><h1>Insights report</h1><p>{html.escape(str(exc))}</p>"
                "</main></body></html>")
    bar = ('<form method="post" action="/staff/sign-out" style="text-align:right">'
           '<button type="submit">Sign out</button></form>')
    return page.replace("<main>", bar + "<main>", 1)


async def staff(request: web.Request) -> web.Response:
    token = request.app["staff_token"]
    if not authorized(request, token):
        return _not_found()
    cache = request.app["staff_cache"]
    if time.monotonic() - cache.get("at", -CACHE_SECONDS) >= CACHE_SECONDS:
        loop = asyncio.get_running_loop()
        cache["page"] = await loop.run_in_executor(None, _report_page)
        cache["at"] = time.monotonic()
    return web.Response(text=cache["page"], content_type="text/html", charset="utf-8",
                        headers=STAFF_HEADERS)


async def sign_in_form(request: web.Request) -> web.Response:
    if authorized(request, request.app["staff_token"]):
        raise web.HTTPSeeOther("/staff", headers=STAFF_HEADERS)
    return _form()


async def sign_in(request: web.Request) -> web.Response:
    token = request.app["staff_token"]
    try:
        form = await request.post()
    except (ValueError, web.HTTPException):
        form = {}
    given = form.get("token") if hasattr(form, "get") else None
    if not isinstance(given, str) or not _same(given.strip(), token):
        logger.warning("staff sign-in: wrong token")
        return _form(status=403, failed=True)
    response = web.HTTPSeeOther("/staff", headers=STAFF_HEADERS)
    response.set_cookie(COOKIE, session_value(token), max_age=COOKIE_MAX_AGE, path="/staff",
                        httponly=True, samesite="Strict",
                        secure=request.secure
                        or request.headers.get("X-Forwarded-Proto") == "https")
    raise response


async def sign_out(_: web.Request) -> web.Response:
    response = web.HTTPSeeOther("/staff/sign-in", headers=STAFF_HEADERS)
    response.del_cookie(COOKIE, path="/staff")
    raise response


def add_routes(app: web.Application, token: str | None) -> None:
    """The staff routes, only when a token is configured (otherwise /staff is a plain 404)."""
    if not token:
        return
    app["staff_token"] = token
    app["staff_cache"] = {}
    app.router.add_get("/staff", staff)
    app.router.add_get("/staff/sign-in", sign_in_form)
    app.router.add_post("/staff/sign-in", sign_in)
    app.router.add_post("/staff/sign-out", sign_out)

"""The clinic page and its chat widget in a real headless Chromium, against the real servers.

Needs Debian's chromium at /usr/bin/chromium (or CHROMIUM=/path) and the Python package
playwright (its bundled driver only: 'playwright install' is never used); both are installed by
scripts/install-browser.sh. Screenshots go to test-artifacts/web/.
"""

from __future__ import annotations

import http.client
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bot import PROJECT_ROOT
from bot.profile import current_profile

e2e = pytest.mark.e2e

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
ARTIFACTS = PROJECT_ROOT / "test-artifacts" / "web"
VIEWPORTS = {
    "phone": {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1280, "height": 800}},
}
ANSWER_TIMEOUT = 60_000  # ms: the first answer of a fresh server can take a while

BIOPSY_SENSATION = "You will feel a sharp sting when the numbing medicine is injected"
BIOPSY_URL = "https://medlineplus.gov/ency/article/003934.htm"
ASPIRATION_URL = "https://medlineplus.gov/ency/article/003658.htm"
MARKUP = "<img src=x onerror=alert(1)>"


from bot.serve import free_port  # noqa: E402


def wait_healthy(url: str, process: subprocess.Popen | None = None, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{url}: the server stopped (exit {process.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer in {timeout:.0f} s")


@contextmanager
def page_server(rasa_port: int, log: Path) -> Iterator[str]:
    """One more bot.web server (its own port, so its own origin); yields its page URL."""
    port = free_port()
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as handle:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot.web", "--port", str(port), "--rasa-port", str(rasa_port)],
            cwd=PROJECT_ROOT, stdout=handle, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )
    try:
        wait_healthy(f"http://127.0.0.1:{port}/health", process)
        yield f"http://127.0.0.1:{port}/"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class Site:
    url: str  # the clinic page
    rasa_port: int
    log_dir: Path


@pytest.fixture(scope="session")
def site(bot_servers) -> Iterator[Site]:
    """The page of the running servers (bot.serve.running starts bot.web with the others)."""
    web_port = getattr(bot_servers, "web_port", None)
    assert web_port, "bot.settings.Settings has no web_port: the web server is not wired in"
    wait_healthy(f"http://127.0.0.1:{web_port}/health")
    yield Site(f"http://127.0.0.1:{web_port}/", bot_servers.rasa_port, bot_servers.log_dir)


@pytest.fixture(scope="module")
def browser():
    """Chromium for this module only: Playwright's sync API keeps an event loop running in the
    main thread while it is open, and tests after it may use asyncio.run()."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("the Python package playwright is missing: run 'make setup'")
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: run 'bash scripts/install-browser.sh'")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Chat:
    """A browser tab on the clinic page, with what went wrong in it recorded."""

    page: object
    name: str
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    @property
    def log(self):
        return self.page.locator("#chat-log")

    def bot(self, text: str | None = None):
        if text is None:
            return self.page.locator("#chat-log .msg--bot")
        return self.page.locator("#chat-log .msg--bot", has_text=text)

    def user(self):
        return self.page.locator("#chat-log .msg--user")

    def open(self, url: str) -> None:
        self.page.goto(url)
        self.page.get_by_role("button", name="Chat with our assistant").click()
        expect(self.page.get_by_role("dialog", name="Ask about your test")).to_be_visible()
        expect(self.page.locator("#chat-input")).to_be_focused()

    def wait_greeting(self) -> None:
        expect(self.bot("automated assistant").first).to_be_visible(timeout=ANSWER_TIMEOUT)
        expect(self.page.locator("#chat-panel")).to_have_attribute("data-connection", "online")

    def ask(self, text: str) -> None:
        self.page.get_by_label("Your question").fill(text)
        self.page.get_by_label("Your question").press("Enter")

    def shot(self, label: str) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{label}-{self.name}.png"))

    def typing_watch(self) -> None:
        """Records whether the typing indicator is ever shown from now on."""
        self.page.evaluate("""() => {
            window.__typingSeen = false;
            const typing = document.getElementById('chat-typing');
            new MutationObserver(() => {
                if (typing.classList.contains('is-typing')) window.__typingSeen = true;
            }).observe(typing, {attributes: true, childList: true});
        }""")

    def typing_seen(self) -> bool:
        return self.page.evaluate("window.__typingSeen === true")


def expect(locator):
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


@pytest.fixture
def new_chat(browser):
    """new_chat("phone" | "desktop") -> a Chat in a fresh browser context (fresh session)."""
    contexts = []
    chats = []

    def make(name: str) -> Chat:
        context = browser.new_context(**VIEWPORTS[name])
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        chat = Chat(page, name)
        page.on("dialog", lambda dialog: (chat.dialogs.append(dialog.message), dialog.dismiss()))
        page.on("pageerror", lambda error: chat.errors.append(str(error)))
        page.on("console", lambda m: m.type == "error" and chat.errors.append(m.text))
        page.on("request", lambda request: chat.requests.append(request.url))
        chats.append(chat)
        return chat

    yield make
    for context in contexts:
        context.close()


def no_page_errors(chat: Chat) -> None:
    assert chat.dialogs == [], f"a dialog fired: {chat.dialogs}"
    assert chat.errors == [], f"errors in the page: {chat.errors}"


# ------------------------------------------------------------- the page server on its own


@pytest.fixture(scope="module")
def lone_page(tmp_path_factory) -> Iterator[str]:
    """bot.web alone (no Rasa behind it): its URL."""
    with page_server(5005, tmp_path_factory.mktemp("web") / "web.log") as url:
        yield url


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict, str]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read().decode(errors="replace")


def test_config_points_the_widget_at_rasa_on_the_page_host(lone_page):
    port = lone_page.rsplit(":", 1)[1].strip("/")
    status, headers, body = fetch(lone_page + "config.js")
    assert status == 200 and headers["Content-Type"].startswith("application/javascript")
    assert '"socketUrl": "http://127.0.0.1:5005"' in body and '"socketPath": "/socket.io"' in body
    for host, socket_url in [(f"localhost:{port}", "http://localhost:5005"),
                             (f"clinic.example.org:{port}", "http://clinic.example.org:5005"),
                             (f"[::1]:{port}", "http://[::1]:5005")]:
        status, headers, body = fetch(lone_page + "config.js", {"Host": host})
        assert status == 200 and f'"socketUrl": "{socket_url}"' in body, (host, body)
        policy = headers["Content-Security-Policy"]
        assert f"connect-src 'self' {socket_url} {socket_url.replace('http', 'ws')};" in policy
    assert fetch(lone_page + "config.js", {"Host": "evil\\x:1"})[0] == 400


def test_page_headers_and_files(lone_page):
    status, headers, body = fetch(lone_page)
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "<h1>Before your test</h1>" in body
    # the tests come from the knowledge base
    assert "have a bone marrow aspiration or bone marrow biopsy." in body
    assert "{{" not in body  # every placeholder filled
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    for path in ("static/chat.js", "static/site.css", "static/favicon.svg",
                 "vendor/socket.io.min.js", "health"):
        assert fetch(lone_page + path)[0] == 200, path
    assert "Socket.IO v4" in fetch(lone_page + "vendor/socket.io.min.js")[2][:200]
    for path in ("static/", "static/../web.py", "static/%2e%2e/web.py", "web.py", "index.html.bak",
                 "node_modules/socket.io-client/package.json"):
        assert fetch(lone_page + path)[0] in (403, 404), path


def test_clinic_details_are_escaped_into_the_page(tmp_path, monkeypatch):
    from bot import web

    profile = tmp_path / "clinic.yml"
    profile.write_text(
        'clinic_name: "<script>alert(1)</script> & Co"\n'
        'phone: "555 <b>0100</b>"\nopening_hours: "9-5 \\"daily\\""\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("CLINIC_PROFILE", str(profile))
    page = web.render_page(web.PAGE_TEMPLATE.read_text(encoding="utf-8"))
    assert "<script>alert(1)</script>" not in page and "<b>0100</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in page
    assert "9-5 &quot;daily&quot;" in page


def test_public_socket_url_for_a_reverse_proxy(monkeypatch):
    from bot import web

    monkeypatch.setenv("CHAT_SOCKET_URL", "https://chat.clinic.example.org/")
    settings = web.WebSettings.from_env(web.WebError)
    assert settings.socket_url == "https://chat.clinic.example.org"
    policy = web.content_security_policy(settings.socket_url)
    assert (
        "connect-src 'self' https://chat.clinic.example.org wss://chat.clinic.example.org;"
        in policy
    )
    for bad in ("javascript:alert(1)", "https://chat.example.org/path", "chat.example.org"):
        monkeypatch.setenv("CHAT_SOCKET_URL", bad)
        with pytest.raises(web.WebError):
            web.WebSettings.from_env(web.WebError)


def test_missing_socket_io_client_is_a_clear_error(tmp_path, monkeypatch):
    from bot import web

    monkeypatch.setattr(web, "SOCKET_IO_CLIENT", web.PROJECT_ROOT / "node_modules" / "missing.js")
    with pytest.raises(web.WebError, match="install-browser.sh"):
        web.create_app(web.WebSettings())


def test_socket_origins_come_from_the_environment(monkeypatch):
    from bot.channels.socketio import RestrictedSocketIOInput, default_origins, parse_origins

    monkeypatch.delenv("WEB_ORIGINS", raising=False)
    monkeypatch.delenv("WEB_PORT", raising=False)
    assert default_origins() == ["http://localhost:8080", "http://127.0.0.1:8080"]
    monkeypatch.setenv("WEB_PORT", "9000")
    assert default_origins() == ["http://localhost:9000", "http://127.0.0.1:9000"]
    monkeypatch.setenv("WEB_ORIGINS", "https://clinic.example.org https://www.clinic.example.org/")
    channel = RestrictedSocketIOInput.from_credentials({"session_persistence": True})
    assert channel.cors_allowed_origins == [
        "https://clinic.example.org", "https://www.clinic.example.org"
    ]
    assert channel.session_persistence is True and channel.name() == "socketio"
    listed = RestrictedSocketIOInput.from_credentials(
        {"cors_allowed_origins": ["https://a.example.org"]})
    assert listed.cors_allowed_origins == ["https://a.example.org"]
    for bad in ("*", "clinic.example.org", "https://clinic.example.org/chat", "file://x"):
        with pytest.raises(ValueError):
            parse_origins(bad)


# ------------------------------------------------ the socket.io channel on its own (no model)

PAGE_ORIGIN = "http://127.0.0.1:8080"


@pytest.fixture(scope="module")
def channel_port(tmp_path_factory) -> Iterator[int]:
    """tests/support/channel_server.py: our channel in Sanic, with `--cors` for the page too."""
    port = free_port()
    log = tmp_path_factory.mktemp("channel") / "channel.log"
    with log.open("ab") as handle:
        process = subprocess.Popen(
            [sys.executable, "tests/support/channel_server.py", str(port),
             f"{PAGE_ORIGIN} http://localhost:8080", PAGE_ORIGIN],
            cwd=PROJECT_ROOT, stdout=handle, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            env={**os.environ, "RASA_TELEMETRY_ENABLED": "false"},
        )
    try:
        wait_healthy(f"http://127.0.0.1:{port}/health", process, timeout=120)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=15)


def test_channel_refuses_other_origins_and_sends_one_cors_header(channel_port):
    status, answer = engineio_open(channel_port, PAGE_ORIGIN)
    # Rasa's --cors lists the page too, yet there is exactly one Allow-Origin header
    assert status == 200 and answer.endswith(f"|{PAGE_ORIGIN}"), answer
    connection = http.client.HTTPConnection("127.0.0.1", channel_port, timeout=10)
    connection.request("GET", "/socket.io/?EIO=4&transport=polling",
                       headers={"Origin": PAGE_ORIGIN})
    headers = connection.getresponse().getheaders()
    connection.close()
    assert [v for k, v in headers if k.lower() == "access-control-allow-origin"] == [PAGE_ORIGIN]
    for foreign in ("http://evil.example", "null", "http://127.0.0.1:8081"):
        assert engineio_open(channel_port, foreign)[0] == 400, foreign
        assert engineio_open(channel_port, foreign, websocket=True)[0] == 400, foreign


def test_channel_sessions_survive_a_new_socket(channel_port):
    import asyncio

    import socketio

    url = f"http://127.0.0.1:{channel_port}"

    # polling only: python-engineio's websocket client needs a newer aiohttp than Rasa's (the
    # browser tests use websockets)
    async def client() -> tuple[socketio.AsyncClient, asyncio.Queue, asyncio.Queue]:
        sio = socketio.AsyncClient(reconnection=False)
        confirmed: asyncio.Queue = asyncio.Queue()
        said: asyncio.Queue = asyncio.Queue()
        sio.on("session_confirm", handler=confirmed.put_nowait)
        sio.on("bot_uttered", handler=said.put_nowait)
        await sio.connect(url, headers={"Origin": PAGE_ORIGIN}, transports=["polling"],
                          wait_timeout=10)
        return sio, confirmed, said

    async def scenario() -> None:
        first, confirmed, said = await client()
        await first.emit("session_request", {"session_id": "<not an id>"})
        session = await asyncio.wait_for(confirmed.get(), 10)
        assert re.fullmatch(r"[0-9a-f]{32}", session)  # a bad id is replaced by a new one
        await first.emit("user_uttered", {"message": "hi", "session_id": session})
        assert await asyncio.wait_for(said.get(), 10) == {"text": "echo: hi"}
        assert await asyncio.wait_for(said.get(), 10) == {"text": "second part"}
        await first.emit("user_uttered", {"message": "no session id"})  # ignored

        # a reload: a new socket asks for the same session and gets the replies
        second, confirmed2, said2 = await client()
        await second.emit("session_request", {"session_id": session})
        assert await asyncio.wait_for(confirmed2.get(), 10) == session
        await second.emit("user_uttered", {"message": "again", "session_id": session})
        assert await asyncio.wait_for(said2.get(), 10) == {"text": "echo: again"}
        assert await asyncio.wait_for(said.get(), 10) == {"text": "echo: again"}  # same room
        for sio in (first, second):  # abort: a polite close waits for the long poll (25 s)
            await sio.eio.disconnect(abort=True)

        with pytest.raises(socketio.exceptions.ConnectionError):
            foreign = socketio.AsyncClient(reconnection=False)
            await foreign.connect(url, headers={"Origin": "http://evil.example"},
                                  transports=["polling"], wait_timeout=5)

    asyncio.run(scenario())


# --------------------------------------------------------------------------- in the browser


@e2e
@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_question_gets_the_answer_with_its_citation_link(site, new_chat, viewport):
    chat = new_chat(viewport)
    chat.open(site.url)
    chat.wait_greeting()
    chat.typing_watch()
    chat.ask("does a bone marrow biopsy hurt?")
    expect(chat.user().last).to_have_text("You: does a bone marrow biopsy hurt?")

    answer = chat.bot(BIOPSY_SENSATION)
    expect(answer).to_be_visible(timeout=ANSWER_TIMEOUT)
    link = chat.log.locator(f'a[href="{BIOPSY_URL}"]')
    expect(link).to_be_visible(timeout=ANSWER_TIMEOUT)
    expect(link).to_have_attribute("target", "_blank")
    assert set(link.get_attribute("rel").split()) >= {"noopener", "noreferrer"}
    expect(link).to_have_accessible_name(f"{BIOPSY_URL} (opens in a new tab)")
    citation = chat.page.locator(".msg--source", has=chat.page.locator(f'a[href="{BIOPSY_URL}"]'))
    expect(citation).to_contain_text('section "How the Test will Feel"')
    assert chat.typing_seen(), "no typing indicator while waiting for the answer"
    expect(chat.page.locator("#chat-typing")).not_to_have_class(re.compile("is-typing"))

    # laid out for the screen: nothing wider than the viewport, input and send button on screen
    width = VIEWPORTS[viewport]["viewport"]["width"]
    assert chat.page.evaluate("document.documentElement.scrollWidth") <= width
    for selector in ("#chat-panel", "#chat-input", "#chat-send", "#chat-close"):
        box = chat.page.locator(selector).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5, selector
    assert chat.page.locator("#chat-send").bounding_box()["height"] >= 44
    chat.shot("answer")
    no_page_errors(chat)


@e2e
def test_bullets_become_a_list_and_paragraphs_stay_paragraphs(site, new_chat):
    chat = new_chat("desktop")
    chat.open(site.url)
    chat.wait_greeting()
    chat.ask("how do I prepare for a bone marrow biopsy?")
    expect(chat.log.locator(f'a[href="{BIOPSY_URL}"]')).to_be_visible(timeout=ANSWER_TIMEOUT)
    expect(chat.bot().locator("p", has_text="Tell your provider:")).to_have_count(1)
    expect(chat.bot().locator("ul > li")).to_have_text([
        "If you are allergic to any medicines", "What medicines you are taking",
        "If you have bleeding problems", "If you are pregnant",
    ])
    assert "\u2022" not in chat.log.inner_text()  # no bullet characters left as text
    chat.shot("bullets")
    no_page_errors(chat)


@e2e
@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_quick_reply_sends_the_payload_and_shows_the_title(site, new_chat, viewport):
    chat = new_chat(viewport)
    chat.open(site.url)
    chat.wait_greeting()
    chat.ask("will it hurt?")
    replies = chat.page.get_by_role("group", name="Suggested answers")
    expect(replies.get_by_role("button")).to_have_text(
        ["Bone marrow aspiration", "Bone marrow biopsy"], timeout=ANSWER_TIMEOUT
    )
    chat.shot("quick-replies")
    replies.get_by_role("button", name="Bone marrow biopsy").click()
    expect(chat.user().last).to_have_text("You: Bone marrow biopsy")
    expect(chat.bot(BIOPSY_SENSATION)).to_be_visible(timeout=ANSWER_TIMEOUT)
    expect(chat.page.locator(".quick-replies")).to_have_count(0)
    assert "inform_procedure" not in chat.log.inner_text()  # the payload is never shown
    no_page_errors(chat)


@e2e
def test_conversation_survives_a_reload(site, new_chat):
    chat = new_chat("phone")
    chat.open(site.url)
    chat.wait_greeting()
    chat.ask("how is a bone marrow biopsy done?")
    expect(chat.log.locator(f'a[href="{BIOPSY_URL}"]')).to_be_visible(timeout=ANSWER_TIMEOUT)
    before = chat.log.inner_text()
    session = chat.page.evaluate("sessionStorage.getItem('clinicChat.sessionId')")
    assert session

    chat.page.reload()
    expect(chat.page.locator("#chat-panel")).to_be_visible()  # still open
    assert chat.log.inner_text() == before
    expect(chat.page.locator("#chat-panel")).to_have_attribute("data-connection", "online")
    assert chat.page.evaluate("sessionStorage.getItem('clinicChat.sessionId')") == session
    # the server kept the conversation too: "it" is still the biopsy, no "which test?"
    chat.ask("will it hurt?")
    expect(chat.bot(BIOPSY_SENSATION)).to_be_visible(timeout=ANSWER_TIMEOUT)
    expect(chat.page.locator(".quick-replies")).to_have_count(0)
    assert chat.bot("automated assistant").count() == 1  # no second greeting after the reload
    chat.shot("after-reload")
    no_page_errors(chat)


@e2e
def test_markup_is_shown_as_text_and_never_runs(site, new_chat):
    chat = new_chat("desktop")
    chat.open(site.url)
    chat.wait_greeting()
    replies_before = chat.bot().count()
    chat.ask(MARKUP)
    expect(chat.user().last).to_have_text(f"You: {MARKUP}")
    expect(chat.bot()).not_to_have_count(replies_before, timeout=ANSWER_TIMEOUT)  # bot answered
    assert chat.log.locator("img").count() == 0
    # the bot's side: the same renderer with hostile text
    rendered = chat.page.evaluate("""() => {
        const box = document.createElement('div');
        box.appendChild(window.ClinicChat.formatText(
            '<img src=x onerror=alert(2)> <b>bold</b> javascript:alert(3) data:text/html,x\\n' +
            '\\u2022 see https://example.org/a_(b). and http://x.test/?q=<script>'));
        document.body.appendChild(box);
        const links = [...box.querySelectorAll('a')]
            .map(a => [a.getAttribute('href'), a.target, a.rel]);
        box.querySelectorAll('.visually-hidden').forEach(hint => hint.remove());
        const tags = [...box.querySelectorAll('*')].map(e => e.tagName);
        return {text: box.textContent, tags, links};
    }""")
    assert rendered["text"].startswith(
        "<img src=x onerror=alert(2)> <b>bold</b> javascript:alert(3) data:text/html,x"
    )
    assert rendered["text"].endswith("see https://example.org/a_(b). and http://x.test/?q=<script>")
    assert set(rendered["tags"]) <= {"P", "UL", "LI", "A"}
    assert rendered["links"] == [
        ["https://example.org/a_(b)", "_blank", "noopener noreferrer"],
        ["http://x.test/?q=", "_blank", "noopener noreferrer"],
    ]
    chat.page.wait_for_timeout(500)  # an onerror handler would have fired by now
    assert chat.dialogs == [], f"markup ran: {chat.dialogs}"
    assert chat.page.evaluate("document.querySelectorAll('img').length") == 0
    chat.shot("markup")
    no_page_errors(chat)


@e2e
@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_keyboard_only(site, new_chat, viewport):
    chat = new_chat(viewport)
    page = chat.page
    page.goto(site.url)
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to the chat")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#chat-launch")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#chat-input")).to_be_focused()
    expect(page.locator("#chat-launch")).to_have_attribute("aria-expanded", "true")
    chat.wait_greeting()

    page.keyboard.type("will it hurt?")
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Bone marrow aspiration")).to_be_visible(
        timeout=ANSWER_TIMEOUT)
    expect(page.locator("#chat-input")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator("#chat-send")).to_be_focused()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")  # back past the input: the last suggested answer
    expect(page.get_by_role("button", name="Bone marrow biopsy")).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(page.get_by_role("button", name="Bone marrow aspiration")).to_be_focused()
    page.keyboard.press("Enter")
    expect(chat.user().last).to_have_text("You: Bone marrow aspiration")
    expect(page.locator("#chat-input")).to_be_focused()
    expect(chat.log.locator(f'a[href="{ASPIRATION_URL}"]')).to_be_visible(timeout=ANSWER_TIMEOUT)

    # the feedback buttons, then the citation link, are reachable by keyboard too
    feedback = page.get_by_role("group", name="Was this answer helpful?")
    page.keyboard.press("Shift+Tab")
    expect(feedback.get_by_role("button", name="No")).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(feedback.get_by_role("button", name="Yes")).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(chat.log.locator(f'a[href="{ASPIRATION_URL}"]')).to_be_focused()
    chat.shot("keyboard")

    page.keyboard.press("Escape")
    expect(page.locator("#chat-panel")).to_be_hidden()
    expect(page.locator("#chat-launch")).to_be_focused()
    expect(page.locator("#chat-launch")).to_have_attribute("aria-expanded", "false")
    no_page_errors(chat)


@e2e
def test_accessible_structure(site, new_chat):
    chat = new_chat("phone")
    chat.open(site.url)
    page = chat.page
    dialog = page.get_by_role("dialog", name="Ask about your test")
    expect(dialog).to_be_visible()
    log = dialog.get_by_role("log", name="Conversation with the assistant")
    expect(log).to_have_attribute("aria-live", "polite")
    expect(dialog.get_by_role("textbox", name="Your question")).to_be_visible()
    expect(dialog.get_by_role("button", name="Send message")).to_be_visible()
    expect(dialog.get_by_role("button", name="Close the chat")).to_be_visible()
    expect(page.locator("#chat-typing")).to_have_attribute("role", "status")
    # full screen on a phone: a modal dialog, the page behind it inert
    expect(dialog).to_have_attribute("aria-modal", "true")
    assert page.locator("main[inert]").count() == 1
    dialog.get_by_role("button", name="Close the chat").click()
    assert page.locator("[inert]").count() == 0
    expect(page.get_by_role("heading", level=1)).to_have_text("Before your test")
    assert current_profile().clinic_name in page.locator(".site-header").inner_text()
    no_page_errors(chat)


@e2e
def test_page_loads_nothing_from_outside_the_project(site, new_chat):
    chat = new_chat("desktop")
    url = site.url.replace("127.0.0.1", "localhost")  # the address README gives patients
    chat.open(url)
    chat.wait_greeting()
    chat.shot("page")
    own = (url.rstrip("/"), f"http://localhost:{site.rasa_port}", f"ws://localhost:{site.rasa_port}")
    outside = [u for u in chat.requests if not u.startswith(own)]
    assert outside == []
    with urllib.request.urlopen(site.url, timeout=10) as response:
        policy = response.headers["Content-Security-Policy"]
        page = response.read().decode()
    assert "default-src 'none'" in policy and "script-src 'self'" in policy
    assert not re.search(r'(src|href)="(https?:)?//', page), "the page refers to another site"
    no_page_errors(chat)


# ------------------------------------------------------------------ origins and failures


def engineio_open(port: int, origin: str | None, websocket: bool = False) -> tuple[int, str]:
    """An Engine.IO v4 handshake as a browser on `origin` would start it: (status, body)."""
    headers = {"Origin": origin} if origin else {}
    transport = "websocket" if websocket else "polling"
    if websocket:
        headers.update({
            "Connection": "Upgrade", "Upgrade": "websocket",
            "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version": "13",
        })
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", f"/socket.io/?EIO=4&transport={transport}", headers=headers)
        response = connection.getresponse()
        body = "" if response.status == 101 else response.read().decode(errors="replace")
        allowed = response.getheader("Access-Control-Allow-Origin")
        return response.status, f"{body}|{allowed}"
    finally:
        connection.close()


@e2e
def test_only_the_page_origin_may_open_a_socket(site):
    own = site.url.rstrip("/")
    status, answer = engineio_open(site.rasa_port, own)
    assert status == 200 and answer.startswith("0{") and answer.endswith(f"|{own}"), answer
    assert engineio_open(site.rasa_port, own, websocket=True)[0] == 101

    for foreign in ("http://evil.example", "http://127.0.0.1:1", own.replace("http:", "https:")):
        status, answer = engineio_open(site.rasa_port, foreign)
        assert status == 400 and "not an accepted origin" in answer, (foreign, status, answer)
        assert engineio_open(site.rasa_port, foreign, websocket=True)[0] == 400, foreign


@e2e
def test_a_page_on_another_origin_cannot_chat(site, new_chat):
    chat = new_chat("desktop")
    with page_server(site.rasa_port, site.log_dir / "web-foreign.log") as foreign_url:
        chat.open(foreign_url)
        status = chat.page.get_by_role("status").filter(has_text="can't be reached")
        expect(status).to_be_visible(timeout=20_000)
        expect(chat.page.locator("#chat-panel")).to_have_attribute("data-connection", "offline")
        assert chat.bot().count() == 0
    assert chat.dialogs == []


@e2e
def test_unreachable_server_gets_a_friendly_message(site, new_chat):
    chat = new_chat("phone")
    with page_server(free_port(), site.log_dir / "web-dead.log") as dead_url:  # nothing listens
        chat.open(dead_url)
        status = chat.page.get_by_role("status").filter(has_text="can't be reached")
        expect(status).to_be_visible(timeout=20_000)
        expect(status).to_contain_text(current_profile().phone)
        chat.ask("does a bone marrow biopsy hurt?")  # not lost: shown, waiting to be sent
        expect(chat.user().last).to_contain_text("does a bone marrow biopsy hurt?")
        expect(chat.user().last).to_contain_text("Sending")
        expect(chat.page.locator("#chat-input")).to_have_value("")
        chat.shot("unreachable")
    assert chat.dialogs == []


@e2e
def test_reconnects_by_itself_and_keeps_the_conversation(site, new_chat):
    chat = new_chat("desktop")
    page = chat.page
    status = page.get_by_role("status").filter(has_text="can't be reached")

    # the server is down when the page opens, then comes back: the widget retries on its own
    socket_io = re.compile(rf"^https?://[^/]+:{site.rasa_port}/socket\.io/")
    page.route(socket_io, lambda route: route.abort("connectionrefused"))
    chat.open(site.url)
    expect(status).to_be_visible(timeout=20_000)
    page.unroute(socket_io)
    chat.wait_greeting()
    expect(status).to_be_hidden()
    chat.ask("how is a bone marrow biopsy done?")
    expect(chat.log.locator(f'a[href="{BIOPSY_URL}"]')).to_be_visible(timeout=ANSWER_TIMEOUT)

    # the connection drops in the middle of the conversation, then comes back
    page.context.set_offline(True)
    expect(status).to_be_visible(timeout=20_000)
    expect(page.locator("#chat-panel")).to_have_attribute("data-connection", "offline")
    chat.shot("offline")
    page.context.set_offline(False)
    expect(page.locator("#chat-panel")).to_have_attribute(
        "data-connection", "online", timeout=20_000)
    expect(status).to_be_hidden()
    chat.ask("will it hurt?")  # same conversation on the server: "it" is the biopsy
    expect(chat.bot(BIOPSY_SENSATION)).to_be_visible(timeout=ANSWER_TIMEOUT)
    assert chat.dialogs == []


# ------------------------------------------------------ typed while the socket is connecting

SOCKET_IO = r"^https?://[^/]+:{port}/socket\.io/"


def no_errors_but_the_refused_socket(chat: Chat) -> None:
    """no_page_errors, except the console lines of the connections the test refused."""
    chat.errors[:] = [e for e in chat.errors if "ERR_CONNECTION_REFUSED" not in e]
    no_page_errors(chat)


@e2e
def test_message_typed_right_after_opening_is_answered(site, new_chat):
    """People type straight away: the question typed within 200 ms of opening gets its answer."""
    chat = new_chat("desktop")
    page = chat.page
    page.goto(site.url)
    page.evaluate("""() => {
        window.__openedAt = performance.now();
        document.getElementById('chat-launch').click();
        const input = document.getElementById('chat-input');
        input.value = 'does a bone marrow biopsy hurt?';
        document.getElementById('chat-send').click();
        window.__submittedAfter = performance.now() - window.__openedAt;
        window.__connectionAtSubmit =
            document.getElementById('chat-panel').getAttribute('data-connection');
    }""")
    assert page.evaluate("window.__submittedAfter") < 200
    # the socket could not be connected yet: before, this message was dropped
    assert page.evaluate("window.__connectionAtSubmit") == "offline"
    expect(chat.user()).to_have_count(1)
    expect(chat.user().first).to_contain_text("does a bone marrow biopsy hurt?")
    expect(chat.bot(BIOPSY_SENSATION)).to_be_visible(timeout=ANSWER_TIMEOUT)
    expect(chat.user().first).not_to_contain_text("Sending")
    expect(chat.bot("automated assistant")).to_have_count(1)  # greeted once, before the answer
    texts = chat.bot().all_inner_texts()
    assert "automated assistant" in texts[0] and BIOPSY_SENSATION in "".join(texts[1:])
    no_page_errors(chat)


@e2e
def test_messages_queued_while_the_socket_is_delayed_are_sent_in_order(site, new_chat):
    chat = new_chat("phone")
    page = chat.page
    socket_io = re.compile(SOCKET_IO.format(port=site.rasa_port))
    page.route(socket_io, lambda route: route.abort("connectionrefused"))  # a slow connection
    chat.open(site.url)
    chat.ask("how is a bone marrow biopsy done?")
    chat.ask("will it hurt?")
    expect(chat.user()).to_have_count(2)
    for index in range(2):
        expect(chat.user().nth(index)).to_have_class(re.compile("msg--sending"))
        expect(chat.user().nth(index)).to_contain_text("Sending")
    expect(page.locator("#chat-panel")).to_have_attribute("data-connection", "offline")
    chat.shot("queued")
    page.wait_for_timeout(3000)
    assert chat.bot().count() == 0
    page.unroute(socket_io)  # the connection comes
    expect(chat.log.locator(f'a[href="{BIOPSY_URL}"]')).to_be_visible(timeout=ANSWER_TIMEOUT)
    # sent in order in the same conversation: "it" is the biopsy, no "which test?"
    expect(chat.bot(BIOPSY_SENSATION)).to_be_visible(timeout=ANSWER_TIMEOUT)
    expect(page.locator(".quick-replies")).to_have_count(0)
    expect(page.locator(".msg--sending")).to_have_count(0)
    no_errors_but_the_refused_socket(chat)


@e2e
def test_a_message_not_sent_within_15_seconds_can_be_retried(site, new_chat):
    chat = new_chat("desktop")
    page = chat.page
    socket_io = re.compile(SOCKET_IO.format(port=site.rasa_port))
    page.route(socket_io, lambda route: route.abort("connectionrefused"))
    chat.open(site.url)
    started = time.monotonic()
    chat.ask("does a bone marrow biopsy hurt?")
    message = chat.user().last
    expect(message).to_contain_text("Sending")
    retry = message.get_by_role("button", name="Retry sending your message")
    expect(retry).to_be_visible(timeout=20_000)
    assert time.monotonic() - started >= 14.5  # not before 15 s
    expect(message).to_have_class(re.compile("msg--failed"))
    expect(message).to_contain_text("Not sent")
    chat.shot("not-sent")
    page.unroute(socket_io)
    expect(page.locator("#chat-panel")).to_have_attribute(
        "data-connection", "online", timeout=20_000)
    assert chat.bot(BIOPSY_SENSATION).count() == 0  # a failed message is not sent by itself
    retry.focus()
    page.keyboard.press("Enter")
    expect(chat.bot(BIOPSY_SENSATION)).to_be_visible(timeout=ANSWER_TIMEOUT)
    expect(message).not_to_contain_text("Not sent")
    expect(page.locator("#chat-input")).to_be_focused()
    no_errors_but_the_refused_socket(chat)


# ------------------------------------------------------------------------- answer feedback


@e2e
def test_feedback_by_keyboard_is_stored_and_the_conversation_goes_on(site, new_chat,
                                                                    bot_servers):
    import json
    import sqlite3

    chat = new_chat("desktop")
    page = chat.page
    chat.open(site.url)
    chat.wait_greeting()
    expect(page.locator(".feedback")).to_have_count(0)  # a greeting is not an answer
    chat.ask("how is a bone marrow biopsy done?")
    feedback = page.get_by_role("group", name="Was this answer helpful?")
    expect(feedback).to_have_count(1, timeout=ANSWER_TIMEOUT)
    # offered once, with the source line of the answer
    expect(page.locator(".msg--source .feedback")).to_have_count(1)
    replies = chat.bot().count()
    expect(page.locator("#chat-input")).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(feedback.get_by_role("button", name="No")).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(feedback.get_by_role("button", name="Yes")).to_be_focused()
    chat.shot("feedback")
    page.keyboard.press("Enter")
    expect(chat.log.get_by_text("Thank you for your feedback.")).to_be_visible()
    expect(feedback).to_have_count(0)
    expect(page.locator("#chat-input")).to_be_focused()  # the patient can type on at once
    page.wait_for_timeout(1500)
    assert chat.bot().count() == replies  # the bot said nothing back
    assert chat.user().count() == 1  # and the click is not shown as a message

    # the conversation goes on as before: "it" is still the biopsy
    chat.ask("will it hurt?")
    expect(chat.bot(BIOPSY_SENSATION)).to_be_visible(timeout=ANSWER_TIMEOUT)
    expect(page.locator(".quick-replies")).to_have_count(0)
    # feedback skipped on this answer: withdrawn when the patient asks something else
    expect(feedback).to_have_count(1, timeout=ANSWER_TIMEOUT)
    chat.ask("thank you")
    expect(feedback).to_have_count(0)
    expect(chat.log.get_by_text("Thank you for your feedback.")).to_have_count(1)

    session = page.evaluate("sessionStorage.getItem('clinicChat.sessionId')")
    with sqlite3.connect(bot_servers.data_dir / "conversations.db") as db:
        rows = db.execute("SELECT type_name, data FROM events WHERE sender_id = ? ORDER BY id",
                          (session,)).fetchall()
    values = [json.loads(data)["value"] for kind, data in rows
              if kind == "slot" and json.loads(data)["name"] == "feedback"]
    assert values == [{"helpful": "yes", "topic": "how_performed", "procedure": "biopsy"}]
    no_page_errors(chat)

"""The staff page (/staff, bot/staff.py) in a real Chromium: off without STAFF_TOKEN, 404 without
the token, the report with its charts with it (bearer header or sign-in form and cookie), never
cached or indexed, never linked from the patient page. Screenshots go to test-artifacts/web/."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from bot import PROJECT_ROOT
from tests.e2e.test_web import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    expect,
    fetch,
    free_port,
    wait_healthy,
)

TOKEN = "staff-token-for-tests-0123456789"


@contextmanager
def web_server(data_dir: Path, token: str | None, log: Path) -> Iterator[str]:
    port = free_port()
    env = {**os.environ, "BOT_DATA_DIR": str(data_dir)}
    env.pop("STAFF_TOKEN", None)
    env.pop("DB_HOST", None)
    if token:
        env["STAFF_TOKEN"] = token
    with log.open("ab") as handle:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot.web", "--port", str(port), "--rasa-port", "5005"],
            cwd=PROJECT_ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    try:
        wait_healthy(f"http://127.0.0.1:{port}/health", process)
        yield f"http://127.0.0.1:{port}/"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    """Chromium for this module only: closed before tests/e2e/test_web.py starts its own (two sync
    Playwright instances cannot run at once, and its asyncio tests need no loop running)."""
    from playwright.sync_api import sync_playwright

    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: run 'bash scripts/install-browser.sh'")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    """A tracker store with 200 conversations of the last 30 days."""
    from bot.report.sample import save, synthetic

    data = tmp_path_factory.mktemp("staff-store")
    save(data / "conversations.db", synthetic(200, time.time() - 29 * 86400))
    return data


@pytest.fixture(scope="module")
def staff_site(store, tmp_path_factory) -> Iterator[str]:
    with web_server(store, TOKEN, tmp_path_factory.mktemp("staff") / "web.log") as url:
        yield url


def post(url: str, fields: dict[str, str] | bytes) -> tuple[int, dict, str]:
    body = fields if isinstance(fields, bytes) else urllib.parse.urlencode(fields).encode()
    request = urllib.request.Request(url, body, {"Content-Type":
                                                 "application/x-www-form-urlencoded"})

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read().decode(errors="replace")


def test_without_staff_token_there_is_no_staff_page(store, tmp_path):
    with web_server(store, None, tmp_path / "web.log") as url:
        for path in ("staff", "staff/sign-in"):
            status, _, body = fetch(url + path, {"Authorization": f"Bearer {TOKEN}"})
            assert status == 404 and "report" not in body.lower(), path
        assert post(url + "staff/sign-in", {"token": TOKEN})[0] in (404, 405)


def test_a_short_staff_token_stops_the_start(store, tmp_path):
    env = {**os.environ, "STAFF_TOKEN": "short", "BOT_DATA_DIR": str(store)}
    result = subprocess.run([sys.executable, "-m", "bot.web", "--port", str(free_port())],
                            cwd=PROJECT_ROOT, env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 2 and "STAFF_TOKEN must be at least 16" in result.stderr


def test_bearer_token_gets_the_report_and_anything_else_a_404(staff_site):
    for headers in ({}, {"Authorization": "Bearer wrong-token-wrong-token"},
                    {"Authorization": f"Bearer {TOKEN}x"}, {"Authorization": f"Basic {TOKEN}"},
                    {"Cookie": f"staff_session={TOKEN}"}, {"Cookie": "staff_session="}):
        status, response_headers, body = fetch(staff_site + "staff", headers)
        assert status == 404, headers
        assert "<svg" not in body and "Insights" not in body
        assert response_headers["Cache-Control"] == "no-store"
    status, headers, body = fetch(staff_site + "staff", {"Authorization": f"Bearer {TOKEN}"})
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert headers["Cache-Control"] == "no-store"
    assert "noindex" in headers["X-Robots-Tag"]
    assert "script-src" not in headers["Content-Security-Policy"]  # no script may run
    assert 'name="robots" content="noindex, nofollow"' in body
    assert "What patients ask: insights report" in body and body.count("<svg ") == 4
    assert "sample-0" not in body  # no sender ids
    # bad input: a polite answer, never a 500
    assert post(staff_site + "staff/sign-in", {"nottoken": "x"})[0] == 403
    for body in (b"token=%ff%fe%fd", b"\xff\xfe", b"token=" + b"x" * 2_000_000):
        assert post(staff_site + "staff/sign-in", body)[0] in (400, 403, 413), body[:20]


def test_the_patient_page_never_links_to_the_staff_page(staff_site):
    for path in ("", "static/chat.js", "config.js", "static/site.css"):
        status, _, body = fetch(staff_site + path)
        assert status == 200 and "staff" not in body.lower(), path


def test_staff_sign_in_in_the_browser(staff_site, browser, tmp_path):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(30_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        response = page.goto(staff_site + "staff")
        assert response.status == 404
        assert "Insights" not in page.content()

        # the patient page has no way to it
        page.goto(staff_site)
        links = page.eval_on_selector_all("a[href], form[action]",
                                          "els => els.map(e => e.href || e.action)")
        assert not [link for link in links if "staff" in link]

        page.goto(staff_site + "staff/sign-in")
        page.get_by_label("Staff token").fill("not-the-token-at-all")
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("alert")).to_have_text("That token is not right.")
        assert "<svg" not in page.content()
        assert context.cookies() == []

        page.get_by_label("Staff token").fill(TOKEN)
        page.get_by_label("Staff token").press("Enter")
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "What patients ask: insights report")
        assert page.url == staff_site + "staff"
        cookies = context.cookies()
        assert [(c["name"], c["httpOnly"], c["sameSite"], c["path"]) for c in cookies] == [
            ("staff_session", True, "Strict", "/staff")]
        assert TOKEN not in cookies[0]["value"]
        charts = page.locator("svg[role=img]")
        expect(charts).to_have_count(4)
        for index in range(4):
            box = charts.nth(index).bounding_box()
            assert box and box["width"] > 200 and box["height"] > 80
        assert page.locator("svg[role=img] path").count() > 20  # bars were drawn
        expect(page.get_by_role("heading", name="Unanswered questions")).to_be_visible()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "staff-report.png"), full_page=True)

        page.get_by_role("button", name="Sign out").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Staff sign-in")
        assert page.goto(staff_site + "staff").status == 404
        assert errors == []
    finally:
        context.close()


def test_report_file_screenshot(store, browser, tmp_path, monkeypatch):
    """`make report`'s HTML file as staff open it: charts drawn, nothing loaded."""
    from bot.report import build_report, write_report

    monkeypatch.setenv("BOT_DATA_DIR", str(store))
    monkeypatch.delenv("DB_HOST", raising=False)
    write_report(build_report(), tmp_path)
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    try:
        page.goto((tmp_path / "report.html").as_uri())
        expect(page.locator("svg[role=img]")).to_have_count(4)
        assert requests == [(tmp_path / "report.html").as_uri()]
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=True)
    finally:
        context.close()

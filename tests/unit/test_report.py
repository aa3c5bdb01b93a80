"""bot/report: the insights report from a tracker store with known conversations (written
through Rasa's SQLTrackerStore): exact counts in the CSV files, the groups of unanswered
questions, the privacy rules (redacted text only, no sender ids, rare groups hidden) and clear
messages for a missing or empty store."""

from __future__ import annotations

import csv
import re
from datetime import date, datetime, timezone

import pytest

from bot.report import build_report, main, write_report
from bot.report.render import HIDDEN
from bot.report.sample import Turn, answer, events_for, feedback, save

DAY1 = datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc).timestamp()
DAY2 = datetime(2026, 11, 3, 15, 0, tzinfo=timezone.utc).timestamp()
BEFORE = datetime(2026, 10, 20, 9, 0, tzinfo=timezone.utc).timestamp()  # outside the period
SECRET_SENDERS = ["sender-alpha-1f3c", "sender-bravo-77aa", "sender-charlie-09bd",
                  "sender-delta-5e5e", "sender-echo-c0de", "sender-foxtrot-4242",
                  "sender-golf-beef", "sender-old-0000"]
GREET = Turn("/greet", "greet", ("action_greet_patient",), ("Hello, I'm an automated assistant",))


def taxi(text: str) -> Turn:
    return Turn(text, "out_of_scope", ("action_decline_out_of_scope",), ("Sorry, I only...",))


def emergency(text: str, category: str) -> Turn:
    return Turn(text, "emergency", ("action_handle_emergency",), ("Call 911 now.",),
                red_flag=category)


# every conversation the store holds, with what it should count as
CONVERSATIONS = [
    ("socketio", DAY1, [  # 3 messages (the greeting and the feedback are not messages)
        GREET,
        answer("does a bone marrow biopsy hurt? call me on 555-123-4567", "sensation", "biopsy"),
        feedback("yes", "sensation", "biopsy"),
        answer("and how is it done", "how_performed", "biopsy"),
        taxi("can you book me a taxi to the hospital"),
    ]),
    ("socketio", DAY1, [  # 3 messages
        GREET,
        taxi("can you book a taxi to the hospital?"),
        emergency("I want to end my life", "suicidal"),
        Turn("email me at jane.doe@example.org about the marrow thing", "nlu_fallback",
             ("action_clarify_question",), ("I'm not sure I understood.",)),
    ]),
    ("twilio", DAY1, [  # 3 messages
        answer("will the biopsy hurt", "sensation", "biopsy"),
        feedback("no", "sensation", "biopsy"),
        Turn("how much does the biopsy cost", "ask_cost", ("action_answer_clinic_question",),
             ("I don't have the clinic's own instructions about cost...",)),
        emergency("I'm bleeding a lot from the biopsy site", "bleeding"),
    ]),
    ("twilio", DAY2, [  # 2 messages
        taxi("book me a taxi to the hospital please"),
        Turn("how much does the biopsy cost", "ask_cost", ("action_answer_clinic_question",),
             ("I don't have the clinic's own instructions about cost...",)),
    ]),
    ("socketio", DAY2, [  # 3 messages
        GREET,
        answer("how should I prepare for the aspiration", "preparation", "aspiration"),
        feedback("no", "preparation", "aspiration"),
        Turn("born 12/03/1980, what does my number mean", "nlu_fallback",
             ("action_default_fallback",), ("Sorry, I'm not sure what you mean.",)),
        emergency("I have chest pain", "chest_pain"),
    ]),
    ("socketio", DAY2, [  # 1 message: a quick reply button counts, its payload is never shown
        answer("/ask_sensation", "sensation", "aspiration"),
    ]),
    ("socketio", DAY2, [GREET]),  # opened the chat, said nothing: a conversation, 0 messages
    ("socketio", BEFORE, [taxi("can you book me a taxi to the hospital")]),  # before --since
]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    data = tmp_path_factory.mktemp("report-store")
    save(data / "conversations.db", [
        (sender, events_for(turns, channel, start))
        for sender, (channel, start, turns) in zip(SECRET_SENDERS, CONVERSATIONS, strict=True)
    ])
    return data


@pytest.fixture
def env(store, monkeypatch):
    monkeypatch.setenv("BOT_DATA_DIR", str(store))
    monkeypatch.delenv("DB_HOST", raising=False)
    monkeypatch.delenv("CLINIC_PROFILE", raising=False)
    return store


def read(out, name: str) -> list[list[str]]:
    with (out / f"{name}.csv").open(encoding="utf-8") as handle:
        return list(csv.reader(handle))


def run_report(tmp_path, *extra: str):
    out = tmp_path / "report"
    assert main(["--since", "2026-11-01", "--until", "2026-11-04", "--out", str(out),
                 *extra]) == 0
    return out


def test_exact_counts_in_the_csv_files(env, tmp_path):
    out = run_report(tmp_path)
    assert read(out, "conversations_per_day") == [
        ["date", "channel", "conversations", "messages"],
        ["2026-11-02", "socketio", "2", "6"],
        ["2026-11-02", "twilio", "1", "3"],
        ["2026-11-03", "socketio", "3", "4"],
        ["2026-11-03", "twilio", "1", "2"],
    ]
    assert read(out, "questions_by_topic") == [
        ["topic", "procedure", "questions"],
        ["sensation", "biopsy", "2"],
        ["clinic:cost", "-", "1"],
        ["clinic:cost", "biopsy", "1"],  # after a biopsy answer: the procedure is known
        ["how_performed", "biopsy", "1"],
        ["preparation", "aspiration", "1"],
        ["sensation", "aspiration", "1"],
    ]
    assert read(out, "emergencies_per_day") == [
        ["date", "emergencies", "crisis_redirects"],
        ["2026-11-02", "2", "1"],
        ["2026-11-03", "1", "0"],
    ]
    assert read(out, "feedback_by_topic") == [
        ["topic", "procedure", "answers", "feedback", "helpful", "not_helpful", "feedback_rate"],
        ["how_performed", "biopsy", "1", "0", "0", "0", "0%"],
        ["preparation", "aspiration", "1", "1", "0", "1", "100%"],
        ["sensation", "aspiration", "1", "0", "0", "0", "0%"],
        ["sensation", "biopsy", "2", "2", "1", "1", "100%"],
    ]
    replies = read(out, "reply_times")
    assert replies[0] == ["replies", "median_ms", "p95_ms"]
    assert replies[1] == ["15", "250", "250"]  # every stored reply came 0.25 s after its message


def test_unanswered_questions_are_grouped_and_rare_groups_hide_their_text(env, tmp_path):
    out = run_report(tmp_path)
    assert read(out, "unanswered_questions") == [
        ["category", "messages", "wordings", "question"],
        ["fallback", "1", "", HIDDEN],
        ["did you mean", "1", "", HIDDEN],
        # three wordings of one question: shown (the one before --since is not counted)
        ["out of scope", "3", "3", "can you book a taxi to the hospital?"],
        ["clinic topic not answered", "2", "", HIDDEN],
    ]
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "taxi to the hospital" in html
    assert "marrow thing" not in html and "how much does the biopsy cost" not in html


def test_show_rare_shows_every_group_redacted(env, tmp_path):
    out = run_report(tmp_path, "--show-rare")
    rows = read(out, "unanswered_questions")[1:]
    assert [row[3] for row in rows] == [
        "born [date], what does my number mean",
        "email me at [email] about the marrow thing",
        "can you book a taxi to the hospital?",
        "how much does the biopsy cost",
    ]


@pytest.mark.parametrize("show_rare", [False, True])
def test_no_personal_details_or_sender_ids_anywhere(env, tmp_path, show_rare):
    out = run_report(tmp_path, *(["--show-rare"] if show_rare else []))
    files = sorted(out.iterdir())
    assert {f.name for f in files} == {
        "report.html", "conversations_per_day.csv", "questions_by_topic.csv",
        "unanswered_questions.csv", "emergencies_per_day.csv", "feedback_by_topic.csv",
        "reply_times.csv"}
    for path in files:
        text = path.read_text(encoding="utf-8")
        for secret in ("555-123-4567", "5551234567", "jane.doe", "example.org", "12/03/1980",
                       "1980", "end my life", "bleeding a lot", *SECRET_SENDERS, "sender-"):
            assert secret not in text, (path.name, secret)
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "/ask_sensation" not in page  # payloads are not questions


def test_the_page_is_self_contained_with_inline_svg_charts(env, tmp_path):
    page = (run_report(tmp_path) / "report.html").read_text(encoding="utf-8")
    assert page.count("<svg ") == 4  # conversations, questions, emergencies, feedback
    assert "<script" not in page
    assert not re.search(r'(src|href)\s*=\s*"(?!#)', page)  # nothing loaded from anywhere
    assert 'name="robots" content="noindex, nofollow"' in page
    for section in ("Conversations and messages per day and channel",
                    "Questions per topic and procedure", "Unanswered questions",
                    "Emergencies and crisis redirects per day", "Feedback by topic",
                    "Reply time"):
        assert f"<h2>{section}</h2>" in page


def test_a_period_without_conversations_says_so(env, tmp_path):
    out = tmp_path / "empty"
    assert main(["--since", "2025-01-01", "--until", "2025-02-01", "--out", str(out)]) == 0
    assert "No conversations were stored in this period" in (out / "report.html").read_text()
    assert read(out, "conversations_per_day") == [["date", "channel", "conversations",
                                                   "messages"]]


def test_a_missing_store_is_a_clear_message_not_a_traceback(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("BOT_DATA_DIR", str(tmp_path / "nothing-here"))
    monkeypatch.delenv("DB_HOST", raising=False)
    assert main(["--out", str(tmp_path / "out")]) == 2
    error = capsys.readouterr().err
    assert error.startswith("report: no conversations store at ") and "Traceback" not in error
    assert not (tmp_path / "nothing-here").exists()  # the report never creates a store
    (tmp_path / "nothing-here").mkdir()
    (tmp_path / "nothing-here" / "conversations.db").write_bytes(b"")
    assert main(["--out", str(tmp_path / "out")]) == 2
    assert "has no conversations table" in capsys.readouterr().err


def test_bad_dates_are_refused(env, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--since", "November"])
    assert exit_.value.code == 2 and "not a date like 2026-11-01" in capsys.readouterr().err
    assert main(["--since", "2026-11-05", "--until", "2026-11-01"]) == 2


def test_the_report_api_and_the_cli_agree(env, tmp_path):
    report = build_report(date(2026, 11, 1), date(2026, 11, 4))
    assert report.conversations == 7
    written = write_report(report, tmp_path / "api")
    assert (tmp_path / "api" / "report.html") in written


def test_postgresql_when_configured():
    from bot.report.store import locate_store

    where = locate_store({"DB_HOST": "db.clinic.internal", "DB_PORT": "5433", "DB_NAME": "chat",
                          "DB_USER": "rasa", "DB_PASSWORD": "pw-not-in-messages"})
    assert where.sqlite_file is None
    url = where.url
    assert (url.drivername, url.host, url.port, url.database, url.username, url.password) == (
        "postgresql", "db.clinic.internal", 5433, "chat", "rasa", "pw-not-in-messages")
    assert "pw-not-in-messages" not in where.description
    assert "chat" in where.description and "db.clinic.internal:5433" in where.description


def test_python_m_bot_report_is_the_command_line(store, tmp_path):
    import os
    import subprocess
    import sys

    from bot import PROJECT_ROOT

    env = {**os.environ, "BOT_DATA_DIR": str(store)}
    env.pop("DB_HOST", None)
    done = subprocess.run(
        [sys.executable, "-m", "bot", "report", "--since", "2026-11-01", "--until", "2026-11-04",
         "--out", str(tmp_path / "cli")], cwd=PROJECT_ROOT, env=env, capture_output=True,
        text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("report: 7 conversations in ")
    assert read(tmp_path / "cli", "emergencies_per_day")[1] == ["2026-11-02", "2", "1"]
    assert "sender-" not in done.stdout + done.stderr

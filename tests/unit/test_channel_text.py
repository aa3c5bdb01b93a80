"""Text rendering shared by the messaging channels: splitting to a size limit, numbered options
and their replies, SMS characters, short button titles."""

from __future__ import annotations

import re

import pytest

from actions.answer import render_answer
from bot.channels import RecentIds
from bot.channels.text import (
    MESSENGER_LIMIT,
    SLACK_LIMIT,
    SMS_LIMIT,
    TELEGRAM_LIMIT,
    WHATSAPP_LIMIT,
    OptionMemory,
    match_option,
    render_options,
    short_titles,
    sms_text,
    split_message,
)
from bot.knowledge import KnowledgeBase

KB = KnowledgeBase.load()
BUTTONS = [
    {"title": "Bone marrow aspiration", "payload": '/inform_procedure{"procedure": "aspiration"}'},
    {"title": "Bone marrow biopsy", "payload": '/inform_procedure{"procedure": "biopsy"}'},
]
ASPIRATION, BIOPSY = (b["payload"] for b in BUTTONS)


def answer(*sections: tuple[str, str]) -> str:
    return render_answer(
        [(KB.document(doc), KB.document(doc).section(topic)) for doc, topic in sections]
    )


def words(text: str) -> list[str]:
    return text.split()


def assert_clean_split(text: str, parts: list[str], limit: int) -> None:
    """Every part within the limit, nothing lost or reordered, no word or bullet cut."""
    assert parts and all(0 < len(p) <= limit for p in parts), [len(p) for p in parts]
    assert words(" ".join(parts)) == words(text)
    original_lines = {line for line in text.splitlines() if line.strip()}
    for part in parts:
        for line in part.splitlines():
            if line.startswith("• "):
                assert line in original_lines  # a whole bullet
    for word in set(words(" ".join(parts))):
        assert word in words(text)


# --- split_message ---------------------------------------------------------------------------

def test_short_text_is_one_message_unchanged():
    text = "One paragraph.\n\nAnother one."
    assert split_message(text, SMS_LIMIT) == [text]


def test_paragraphs_are_packed_up_to_the_limit_and_cut_between_paragraphs():
    paragraphs = [f"Paragraph {i} " + "word " * 20 for i in range(10)]
    text = "\n\n".join(p.strip() for p in paragraphs)
    parts = split_message(text, 300)
    assert len(parts) > 1
    assert_clean_split(text, parts, 300)
    for part in parts:  # whole paragraphs only
        for paragraph in part.split("\n\n"):
            assert paragraph.startswith("Paragraph ") and paragraph.endswith("word")


@pytest.mark.parametrize(
    "limit", [SMS_LIMIT, WHATSAPP_LIMIT, MESSENGER_LIMIT, SLACK_LIMIT, TELEGRAM_LIMIT, 400, 160]
)
def test_real_long_answer_splits_at_boundaries(limit):
    text = answer(("bone-marrow-aspiration", "abnormal_results"),
                  ("bone-marrow-biopsy", "abnormal_results"))
    assert len(text) > 2000
    parts = split_message(text, limit)
    assert_clean_split(text, parts, limit)
    if len(text) > limit:
        assert len(parts) > 1
    # the citation line is never cut
    for line in text.splitlines():
        if line.startswith("Source:") and len(line) <= limit:
            assert any(line in part.splitlines() for part in parts)


def test_an_overlong_bullet_list_is_cut_between_bullets():
    text = "Intro.\n\n" + "\n".join(f"• Item number {i} of a long list" for i in range(60))
    parts = split_message(text, 200)
    assert_clean_split(text, parts, 200)
    for part in parts[1:]:
        assert all(line.startswith("• ") for line in part.splitlines())


def test_an_overlong_paragraph_is_cut_between_sentences_then_words():
    sentence = "This sentence has exactly eight words in it."
    text = " ".join([sentence] * 20)
    parts = split_message(text, 100)
    assert_clean_split(text, parts, 100)
    assert all(p.endswith(".") for p in parts)
    long_sentence = " ".join(["word"] * 100) + "."
    parts = split_message(long_sentence, 50)
    assert_clean_split(long_sentence, parts, 50)


def test_a_word_longer_than_the_limit_is_the_only_thing_ever_cut():
    url = "https://example.org/" + "x" * 90
    assert split_message(url, 40) == [url[:40], url[40:80], url[80:]]


def test_limit_must_be_positive():
    with pytest.raises(ValueError):
        split_message("x", 0)


# --- numbered options ------------------------------------------------------------------------

def test_buttons_render_as_numbered_options():
    text = render_options("Which test is your question about?", BUTTONS)
    assert text == (
        "Which test is your question about?\n\n"
        "1. Bone marrow aspiration\n2. Bone marrow biopsy\n\n"
        "Reply with 1 or 2."
    )
    three = render_options("Pick one", [*BUTTONS, {"title": "Talk", "payload": "/ask_human"}])
    assert "3. Talk" in three and three.endswith("Reply with 1, 2 or 3.")


@pytest.mark.parametrize("reply, payload", [
    ("1", ASPIRATION), ("2", BIOPSY), (" 2. ", BIOPSY), ("#1", ASPIRATION),
    ("option 2", BIOPSY), ("two", BIOPSY), ("First", ASPIRATION), ("2 please", BIOPSY),
    ("biopsy", BIOPSY), ("Biopsy!", BIOPSY), ("the biopsy", BIOPSY),
    ("bone marrow biopsy", BIOPSY), ("Bone Marrow Aspiration", ASPIRATION),
    ("aspiration please", ASPIRATION),
    # not a choice: passed on as typed
    ("3", None), ("0", None), ("bone marrow", None), ("will it hurt?", None),
    ("biopsy, does it hurt", None), ("yes", None), ("", None),
])
def test_replies_choose_an_option_by_number_or_words(reply, payload):
    assert match_option(reply, BUTTONS) == payload


def test_option_memory_is_per_sender_and_for_the_next_message_only():
    memory = OptionMemory()
    memory.remember("+1555", BUTTONS)
    assert memory.translate("+1666", "2") == "2"  # another sender
    assert memory.translate("+1555", "2") == BIOPSY
    assert memory.translate("+1555", "2") == "2"  # used up
    memory.remember("+1555", BUTTONS)
    assert memory.translate("+1555", "what about the risks") == "what about the risks"
    assert memory.translate("+1555", "1") == "1"  # a question in between: forgotten


def test_option_memory_is_bounded_in_size_and_age():
    now = [0.0]
    memory = OptionMemory(max_senders=2, max_age=60, clock=lambda: now[0])
    for sender in ("a", "b", "c"):
        memory.remember(sender, BUTTONS)
    assert len(memory) == 2
    assert memory.take("a") == []
    now[0] = 61
    assert memory.take("b") == []


# --- SMS characters, titles, ids -------------------------------------------------------------

def test_sms_text_uses_gsm_characters_and_keeps_the_words():
    text = "• It\u2019s \u201cfine\u201d \u2013 really\u2026"
    assert sms_text(text) == "- It's \"fine\" - really..."
    converted = sms_text(answer(("bone-marrow-biopsy", "abnormal_results")))
    assert "•" not in converted
    assert re.search(r"^- A body-wide fungal infection", converted, re.M)


def test_short_titles_drop_the_shared_words_then_cut_at_a_word():
    assert short_titles(["Bone marrow aspiration", "Bone marrow biopsy"], 20) == [
        "Aspiration", "Biopsy"]
    assert short_titles(["How the test is done", "Talk to the clinic"], 20) == [
        "How the test is done", "Talk to the clinic"]
    [cut] = short_titles(["What normal results mean for you"], 20)
    assert len(cut) <= 20 and cut.endswith("\u2026") and cut.startswith("What normal")


def test_recent_ids_remember_what_was_seen():
    recent = RecentIds(size=2)
    assert not recent.seen("a") and recent.seen("a")
    assert not recent.seen("b") and not recent.seen("c")
    assert not recent.seen("a")  # pushed out
    assert not recent.seen(None) and not recent.seen(None)


def test_a_paragraph_ending_with_a_colon_stays_with_the_list_it_introduces():
    text = answer(("bone-marrow-aspiration", "abnormal_results"),
                  ("bone-marrow-biopsy", "abnormal_results"))
    for limit in (SMS_LIMIT, 1200, 600):
        for part in split_message(text, limit):
            assert not part.endswith(":"), (limit, part[-80:])


def test_messaging_summary_says_which_channels_are_on(monkeypatch):
    from bot.channels import messaging_summary

    monkeypatch.setenv("BOT_PUBLIC_URL", "https://bot.example.org/")
    lines = messaging_summary({"bot.channels.telegram.TelegramSecretInput": {}})
    assert "Telegram: on, webhook https://bot.example.org/webhooks/telegram/webhook" in lines
    assert "SMS (Twilio): off (variables not set, see docs/channels.md)" in lines
    assert len(lines) == 5

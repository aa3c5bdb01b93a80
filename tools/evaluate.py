"""Evaluate the bot on the held-out sets, end to end: ``python -m tools.evaluate``
(``make evaluate``).

1. Brings the model up to date (``bot.prepare.prepare()``) and starts the real action server and
   Rasa server on free ports with a temporary data directory.
2. Sends every message of ``tests/heldout/messages.yml`` over the REST channel, each in a new
   conversation, and every conversation of ``tests/heldout/conversations.yml`` (one sender per
   conversation).
3. Classifies each reply from what the bot actually *said* (never from the NLU parse): which
   knowledge-base sections it quoted (section texts and citation lines), "which test?",
   out-of-scope decline, "did you mean", fallback, emergency, small talk.
4. Runs the same held-out set through two comparison systems: BM25 retrieval over the
   sections (``tools/bm25.py``) and this bot retrained with Rasa's default pipeline (trained in
   a temporary directory, then kept in ``build/evaluation/`` and reused while config, domain
   and data are unchanged).
5. Writes a markdown report (default ``docs/evaluation.md``).

Scoring rules (see :meth:`Scorer.correct`):

* ``{topic: T, procedure: X}``: correct when the reply quotes T's section for procedure X
  (quoting the other procedure's section as well is fine only when its text is identical,
  e.g. the risks);
* ``{topic: T, procedure: null}``: correct when the reply quotes T (for either procedure), or
  asks which test when the two documents differ for T *and* answering that question (the
  first button) quotes T;
* ``out_of_scope``: correct when declined: the out-of-scope reply, or the referral to the clinic
  for practical questions the leaflets don't cover ("I don't have <clinic>'s own instructions
  about cost and insurance..."); "did you mean" / fallback are counted separately as "not
  forced onto a topic";
* ``emergency``: correct only when the first reply is the emergency reply;
* ``smalltalk``: correct when the reply is a small-talk reply (greeting, goodbye, thanks,
  identity, capabilities, a human);
* ``clinic``: correct when the reply is the clinic's own answer or the honest referral to it;
* ``{topic: [T1, T2], ...}``: more than one section answers the question; quoting any of them
  (and nothing else) is correct.

Items may carry ``class:``, the failure class they exercise (procedure memory, ellipsis,
definition, compound, near miss); the report gives accuracy per class.

Options: ``--output PATH``, ``--no-baselines`` (skip the slow default-pipeline retrain and the
BM25 comparison), ``--check-targets`` (exit 1 when a target is missed; otherwise the exit code
is 0 whenever the report was written), ``--transcripts PATH`` (every turn with the raw replies,
as JSON), ``--model PATH`` (evaluate this model, no training), ``--baseline-model PATH`` (use
this default-pipeline model instead of training one).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

import yaml

from bot import PROJECT_ROOT
from bot.knowledge import KnowledgeBase

HELDOUT_DIR = PROJECT_ROOT / "tests" / "heldout"
MESSAGES_FILE = HELDOUT_DIR / "messages.yml"
CONVERSATIONS_FILE = HELDOUT_DIR / "conversations.yml"
# The held-out sets, each written independently of data/ (tests/heldout/README.md): name -> dir.
HELDOUT_SETS: dict[str, Path] = {
    "first": HELDOUT_DIR, "second": HELDOUT_DIR / "second", "third": HELDOUT_DIR / "third",
}
DEFAULT_OUTPUT = PROJECT_ROOT / "docs" / "evaluation.md"
CONFIG_FILE = PROJECT_ROOT / "config.yml"
DOMAIN_FILE = PROJECT_ROOT / "domain.yml"

# Targets for the chosen pipeline, on every held-out set.
TARGET_ANSWERS = 0.97
TARGET_TURNS = 0.95
TARGET_OUT_OF_SCOPE = 0.95
TARGET_EMERGENCY = 1.0
TARGET_FALSE_EMERGENCIES = 0

# Expected labels
ANSWER = "answer"
OUT_OF_SCOPE = "out_of_scope"
EMERGENCY = "emergency"
SMALLTALK = "smalltalk"
CLINIC = "clinic"  # a practical question the clinic answers itself (its profile's local answers)

# What a reply is (Outcome.kind)
K_ANSWER = "answer"
K_CLARIFY = "asked which test"
K_DECLINED = "declined (out of scope)"
K_DID_YOU_MEAN = "did you mean"
K_FALLBACK = "fallback"
K_EMERGENCY = "emergency"
K_SMALLTALK = "smalltalk"
K_ASK_QUESTION = "asked for a question"
K_ACKNOWLEDGED = "acknowledged (ok / no)"
K_REFERRED = "referred to the clinic"  # no clinic instructions on a practical question
K_CLINIC_ANSWER = "clinic's own answer"  # from a clinic document, not the leaflets
K_ERROR = "error reply"
K_NO_REPLY = "no reply"
K_OTHER = "other"

# Declining an out-of-scope message: the out-of-scope reply, or "I don't have the clinic's own
# instructions about <practical topic>, please ask them" (cost, work afterwards...).
DECLINES = (K_DECLINED, K_REFERRED)

# Reply templates (bot/replies.yml names and domain.yml responses) -> kind
TEMPLATE_KINDS = {
    "greet": K_SMALLTALK,
    "goodbye": K_SMALLTALK,
    "capabilities": K_SMALLTALK,
    "bot_challenge": K_SMALLTALK,
    "human": K_SMALLTALK,
    "utter_thank": K_SMALLTALK,
    "utter_affirm": K_ACKNOWLEDGED,  # "ok" / "no": the conversational reply, right for smalltalk
    "utter_deny": K_ACKNOWLEDGED,
    "utter_worried": K_ACKNOWLEDGED,  # "oh god": the worry acknowledged
    "utter_greet": K_SMALLTALK,
    "utter_goodbye": K_SMALLTALK,
    "out_of_scope": K_DECLINED,
    "did_you_mean": K_DID_YOU_MEAN,
    "fallback": K_FALLBACK,
    "utter_default": K_FALLBACK,
    "ask_procedure": K_CLARIFY,
    "ask_question": K_ASK_QUESTION,
    "action_failed": K_ERROR,
    "local_unanswered": K_REFERRED,
    # alone (not after a quoted answer): "my report says 8% blasts" is referred to the care team
    "own_results": K_REFERRED,
    "local_answer": K_CLINIC_ANSWER,
}
# Wording in bot/replies.yml that is not a reply of its own: the emergency reply is recognised by
# what it asks (call a number now, see is_emergency), the citation line follows a quote.
NOT_REPLY_TEMPLATES = frozenset(
    {"emergency", "emergency_suicidal", "emergency_context", "citation"})
# A template is recognised when a reply starts like it: its literal words in order, the clinic
# profile's details filled in, any other placeholder ({topic_label}, {answer}...) matching any
# text. Templates with less literal text than this are ignored (they would match anything).
MIN_LITERAL = 15
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _norm(text: str | None) -> str:
    return " ".join((text or "").split())


# --------------------------------------------------------------------------------------------
# Held-out data
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Expected:
    kind: str  # ANSWER / OUT_OF_SCOPE / EMERGENCY / SMALLTALK / CLINIC
    topic: str | None = None  # the (first) accepted topic
    procedure: str | None = None
    also: tuple[str, ...] = ()  # further accepted topics ({topic: [a, b]})

    @classmethod
    def parse(cls, raw: Any) -> Expected:
        if isinstance(raw, str):
            if raw not in (OUT_OF_SCOPE, EMERGENCY, SMALLTALK, CLINIC):
                raise ValueError(f"unknown label {raw!r}")
            return cls(raw)
        if isinstance(raw, dict) and "topic" in raw:
            topics = raw["topic"] if isinstance(raw["topic"], list) else [raw["topic"]]
            if not topics:
                raise ValueError(f"empty topic list: {raw!r}")
            return cls(ANSWER, str(topics[0]), raw.get("procedure") or None,
                       tuple(str(t) for t in topics[1:]))
        raise ValueError(f"expected a label or {{topic, procedure}}: {raw!r}")

    @property
    def topics(self) -> tuple[str, ...]:
        return (str(self.topic), *self.also) if self.topic else ()

    @property
    def label(self) -> str:
        if self.kind != ANSWER:
            return self.kind
        return f"{'|'.join(self.topics)}/{self.procedure or 'either'}"


@dataclass(frozen=True)
class Message:
    text: str
    expected: Expected
    cls: str | None = None  # the failure class the item exercises, if any


@dataclass(frozen=True)
class Conversation:
    name: str
    turns: tuple[Message, ...]


def load_messages(path: Path = MESSAGES_FILE) -> list[Message]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [
        Message(str(item["text"]), Expected.parse(item["expect"]), item.get("class"))
        for item in data.get("messages") or []
    ]


def load_conversations(path: Path = CONVERSATIONS_FILE) -> list[Conversation]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [
        Conversation(
            str(item["name"]),
            tuple(Message(str(t["user"]), Expected.parse(t["expect"]), t.get("class"))
                  for t in item["turns"]),
        )
        for item in data.get("conversations") or []
    ]


# --------------------------------------------------------------------------------------------
# What the bot said
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SectionInfo:
    id: str
    topic: str
    procedure: str | None
    text: str  # normalised whitespace


@dataclass(frozen=True)
class Outcome:
    """One turn's replies, classified."""

    kind: str
    sections: tuple[str, ...] = ()  # quoted section ids, in reply order
    suggestions: tuple[str, ...] = ()  # "did you mean" topics
    buttons: tuple[str, ...] = ()  # payloads of the "which test?" buttons
    template: str | None = None  # the reply template the first reply matched
    emergency_anywhere: bool = False  # an emergency reply anywhere in the turn
    verbatim: bool = True  # every cited section's text is quoted in full
    text: str = ""  # all reply texts, joined
    resolved: Outcome | None = None  # a "which test?" answered with its first button
    raw: tuple[dict[str, Any], ...] = ()  # the replies as received (set by the harness)


class ReplyClassifier:
    """Classifies the bot's replies using the real knowledge base and the real reply wording."""

    def __init__(
        self,
        kb: KnowledgeBase,
        profile: Any = None,
        replies: dict[str, str] | None = None,
        responses: dict[str, list[str]] | None = None,
    ) -> None:
        from actions.answer import citation
        from bot.profile import current_profile
        from bot.replies import profile_vars, templates

        self.kb = kb
        self.profile = profile or current_profile()
        self.sections: dict[str, SectionInfo] = {}
        self.citations: list[tuple[str, str]] = []  # (normalised citation line, section id)
        for document in kb.documents:
            for section in document.sections:
                self.sections[section.id] = SectionInfo(
                    section.id, section.topic, document.procedure, _norm(section.text())
                )
                self.citations.append((_norm(citation(document, section)), section.id))
        values = profile_vars(self.profile)
        self.templates: list[tuple[str, re.Pattern[str]]] = []
        for name, raw in (replies if replies is not None else templates()).items():
            if name not in NOT_REPLY_TEMPLATES:
                self._add_template(name, str(raw), values)
        for name, texts in (responses if responses is not None else domain_responses()).items():
            for raw in texts:
                self._add_template(name, raw, values)
        self.emergency_numbers = [
            n for n in (self.profile.emergency_number, self.profile.crisis_line) if n
        ]

    def _add_template(self, name: str, raw: str, values: dict[str, str]) -> None:
        parts: list[str] = []
        literal = 0
        for index, piece in enumerate(_PLACEHOLDER.split(raw)):
            if index % 2:  # a placeholder name
                known = values.get(piece)
                parts.append(re.escape(_norm(known)) if known else ".+?")
            elif piece.strip():
                words = piece.split()
                literal += len(" ".join(words))
                lead = r"\s*" if piece[0].isspace() else ""
                tail = r"\s*" if piece[-1].isspace() else ""
                parts.append(lead + r"\s+".join(re.escape(w) for w in words) + tail)
            else:
                parts.append(r"\s*")
        if literal >= MIN_LITERAL:
            self.templates.append((name, re.compile("".join(parts), re.DOTALL)))

    # ----------------------------------------------------------------------------------------

    def template_of(self, text: str) -> str | None:
        """The name of the reply template ``text`` starts with, if any."""
        text = _norm(text)
        if not text:
            return None
        for name, pattern in self.templates:
            if pattern.match(text):
                return name
        return None

    def is_emergency(self, text: str) -> bool:
        """An emergency reply: its first line tells the person to call a number *now*."""
        lines = [line for line in (text or "").splitlines() if line.strip()]
        if not lines or self.template_of(text):
            return False
        first = lines[0]
        has_number = any(
            re.search(rf"(?<![\w]){re.escape(number)}(?![\w])", first)
            for number in self.emergency_numbers
        )
        return has_number and re.search(r"\bnow\b", first, re.IGNORECASE) is not None

    def quoted_sections(self, text: str) -> tuple[tuple[str, ...], bool]:
        """(section ids quoted, whether every cited one is quoted in full), in reply order.

        Citation lines decide which sections were quoted (the risks sections of the two
        documents have the same text: only the citations tell them apart); without any
        citation, the section texts found in the reply are used.
        """
        flat = _norm(text)
        cited = sorted(
            (flat.find(line), sid) for line, sid in self.citations if line and line in flat
        )
        if cited:
            ids = tuple(dict.fromkeys(sid for _, sid in cited))
            return ids, all(self.sections[sid].text in flat for sid in ids)
        found = [(flat.find(info.text), sid) for sid, info in self.sections.items()
                 if info.text and info.text in flat]
        texts = {self.sections[sid].text for _, sid in found}
        kept = [
            (pos, sid) for pos, sid in found
            if not any(self.sections[sid].text in other and self.sections[sid].text != other
                       for other in texts)
        ]
        return tuple(dict.fromkeys(sid for _, sid in sorted(kept))), True

    def classify(self, replies: Sequence[dict[str, Any]]) -> Outcome:
        texts = [str(r.get("text") or "") for r in replies if r.get("text")]
        joined = "\n\n".join(texts)
        if not replies:
            return Outcome(K_NO_REPLY)
        first_text = texts[0] if texts else ""
        first_template = self.template_of(joined)  # a template may span several messages
        emergency_anywhere = any(self.is_emergency(t) for t in texts)
        base = {"text": joined, "template": first_template,
                "emergency_anywhere": emergency_anywhere}
        if first_text and self.is_emergency(first_text):
            return Outcome(K_EMERGENCY, **base)
        sections, verbatim = self.quoted_sections(joined)
        if sections:
            return Outcome(K_ANSWER, sections=sections, verbatim=verbatim, **base)
        for reply in replies:
            if self.template_of(str(reply.get("text") or "")) == "ask_procedure":
                payloads = tuple(
                    str(b.get("payload")) for b in reply.get("buttons") or [] if b.get("payload")
                )
                return Outcome(K_CLARIFY, buttons=payloads, **base)
        kind = TEMPLATE_KINDS.get(first_template or "", K_OTHER)
        if kind == K_DID_YOU_MEAN:
            suggestions = []
            for reply in replies:
                for button in reply.get("buttons") or []:
                    match = re.fullmatch(r"/ask_(\w+)", str(button.get("payload") or ""))
                    if match and match.group(1) in {s.topic for s in self.sections.values()}:
                        suggestions.append(match.group(1))
            return Outcome(kind, suggestions=tuple(suggestions), **base)
        return Outcome(kind, **base)

    # ----------------------------------------------------------------------------------------

    def topics_of(self, outcome: Outcome) -> list[str]:
        return list(dict.fromkeys(self.sections[s].topic for s in outcome.sections))

    def label(self, outcome: Outcome, detail: bool = True) -> str:
        """A short description of what the bot did, e.g. "sensation/aspiration"."""
        if outcome.kind == K_ANSWER:
            parts = []
            for topic in self.topics_of(outcome):
                procedures = sorted(
                    {self.sections[s].procedure or "" for s in outcome.sections
                     if self.sections[s].topic == topic} - {""}
                )
                parts.append(f"{topic}/{'+'.join(procedures)}" if procedures else topic)
            return " & ".join(parts)
        if outcome.kind == K_CLARIFY:
            if outcome.resolved is not None and outcome.resolved.kind == K_ANSWER:
                return f"asked which test ({' & '.join(self.topics_of(outcome.resolved))})"
            return "asked which test (topic unknown)"
        if outcome.kind == K_DID_YOU_MEAN and detail and outcome.suggestions:
            return f"did you mean ({', '.join(outcome.suggestions)})"
        if outcome.kind in (K_OTHER, K_SMALLTALK) and outcome.template:
            return f"{outcome.kind} ({outcome.template})"
        return outcome.kind


def domain_responses(path: Path = DOMAIN_FILE) -> dict[str, list[str]]:
    """The text of every response in domain.yml, by response name."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    result: dict[str, list[str]] = {}
    for name, variants in (data.get("responses") or {}).items():
        result[str(name)] = [str(v["text"]) for v in variants or [] if v.get("text")]
    return result


# --------------------------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------------------------


class Scorer:
    """The scoring rules (module docstring), on top of a :class:`ReplyClassifier`."""

    def __init__(self, classifier: ReplyClassifier) -> None:
        self.classifier = classifier
        self.sections = classifier.sections

    def documents_differ(self, topic: str) -> bool:
        """True when the procedure documents have different texts for ``topic``."""
        texts = {s.text for s in self.sections.values() if s.topic == topic and s.procedure}
        return len(texts) > 1

    def answers(self, outcome: Outcome | None, topic: str | Sequence[str],
                procedure: str | None) -> bool:
        """The turn quoted ``topic`` (or one of several accepted topics; for ``procedure``,
        when given) and nothing else."""
        if outcome is None or outcome.kind != K_ANSWER or not outcome.sections:
            return False
        accepted = {topic} if isinstance(topic, str) else set(topic)
        quoted = [self.sections[s] for s in outcome.sections]
        if any(info.topic not in accepted for info in quoted):
            return False
        if procedure is None:
            return True
        wanted = [s for s in self.sections.values()
                  if s.topic in accepted and s.procedure == procedure]
        if not wanted:  # a topic no procedure-specific document has (the stem cell page)
            wanted = [s for s in self.sections.values() if s.topic in accepted]
        wanted_texts = {s.text for s in wanted}
        return any(info in wanted for info in quoted) and all(
            info.text in wanted_texts for info in quoted
        )

    def correct(self, expected: Expected, outcome: Outcome) -> bool:
        if expected.kind == EMERGENCY:
            return outcome.kind == K_EMERGENCY
        if expected.kind == OUT_OF_SCOPE:
            return outcome.kind in DECLINES
        if expected.kind == SMALLTALK:
            # "ok", "k", "ok good to know" (small talk to every author of the sets) get
            # "Okay. What would you like to know about the test?"
            return outcome.kind in (K_SMALLTALK, K_ACKNOWLEDGED)
        if expected.kind == CLINIC:
            return outcome.kind in (K_REFERRED, K_CLINIC_ANSWER)
        assert expected.topic is not None
        if self.answers(outcome, expected.topics, expected.procedure):
            return True
        return (
            expected.procedure is None
            and outcome.kind == K_CLARIFY
            and any(self.documents_differ(t) for t in expected.topics)
            and self.answers(outcome.resolved, expected.topics, None)
        )


# --------------------------------------------------------------------------------------------
# Systems under test
# --------------------------------------------------------------------------------------------


class Bot(Protocol):
    def say(self, sender: str, text: str) -> list[dict[str, Any]]: ...


class RestBot:
    """The Rasa REST channel, the way a website would talk to it."""

    def __init__(self, url: str, timeout: float = 60) -> None:
        self.url = url
        self.timeout = timeout

    def say(self, sender: str, text: str) -> list[dict[str, Any]]:
        body = json.dumps({"sender": sender, "message": text}).encode()
        for attempt in range(3):
            request = urllib.request.Request(self.url, body, {"Content-Type": "application/json"})
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    return json.loads(response.read() or b"[]") or []
            except (urllib.error.URLError, OSError):
                if attempt == 2:
                    raise
                time.sleep(1 + attempt)
        return []


class Bm25Bot:
    """The BM25 comparison system, answering with the same reply formats as the bot."""

    def __init__(self, retriever: Any) -> None:
        self.retriever = retriever

    def say(self, sender: str, text: str) -> list[dict[str, Any]]:
        from actions.answer import render_answer
        from bot.replies import render

        decision = self.retriever.decide(text)
        if not decision.in_scope:
            return [{"recipient_id": sender, "text": render("out_of_scope")}]
        return [{"recipient_id": sender, "text": render_answer(list(decision.matches))}]


# --------------------------------------------------------------------------------------------
# Running the held-out set
# --------------------------------------------------------------------------------------------


@dataclass
class Result:
    text: str
    expected: Expected
    outcome: Outcome
    correct: bool
    conversation: str | None = None
    turn: int | None = None
    cls: str | None = None


class Harness:
    def __init__(self, bot: Bot, scorer: Scorer, tag: str,
                 progress: Callable[[str], None] | None = None) -> None:
        self.bot = bot
        self.scorer = scorer
        self.classifier = scorer.classifier
        self.tag = f"eval-{tag}-{uuid.uuid4().hex[:8]}"
        self.progress = progress or (lambda _text: None)

    def _turn(self, sender: str, text: str, history: Sequence[str] | None = None) -> Outcome:
        """One message; ``history``: the earlier turns when it is a conversation's turn (None for
        a message on its own)."""
        replies = self.bot.say(sender, text)
        outcome = replace(self.classifier.classify(replies), raw=tuple(replies))
        if outcome.kind == K_CLARIFY and outcome.buttons:
            # Which topic was the bot asking about? Answer with the first button in a copy of
            # the conversation (the held-out conversation itself continues untouched, from its
            # first turn on: the patient types the next turn, nobody pressed the button).
            fork = f"{sender}-fork-{uuid.uuid4().hex[:6]}"
            if history is not None:
                for earlier in (*history, text):
                    self.bot.say(fork, earlier)
            probe_sender = fork if history is not None else sender
            probe = self.bot.say(probe_sender, outcome.buttons[0])
            resolved = replace(self.classifier.classify(probe), raw=tuple(probe))
            outcome = replace(outcome, resolved=resolved)
        return outcome

    def run_messages(self, messages: Sequence[Message]) -> list[Result]:
        results = []
        for index, message in enumerate(messages):
            outcome = self._turn(f"{self.tag}-m{index}", message.text)
            results.append(Result(message.text, message.expected, outcome,
                                  self.scorer.correct(message.expected, outcome),
                                  cls=message.cls))
            if (index + 1) % 50 == 0:
                self.progress(f"{index + 1}/{len(messages)} messages")
        return results

    def run_conversations(self, conversations: Sequence[Conversation]) -> list[Result]:
        results = []
        for index, conversation in enumerate(conversations):
            sender = f"{self.tag}-c{index}"
            history: list[str] = []
            for number, turn in enumerate(conversation.turns, 1):
                outcome = self._turn(sender, turn.text, history)
                history.append(turn.text)
                results.append(Result(turn.text, turn.expected, outcome,
                                       self.scorer.correct(turn.expected, outcome),
                                       conversation.name, number, turn.cls))
        return results


# --------------------------------------------------------------------------------------------
# Metrics
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rate:
    hits: int
    total: int

    @property
    def value(self) -> float:
        return self.hits / self.total if self.total else 0.0

    def __str__(self) -> str:
        if not self.total:
            return "n/a"
        return f"{100 * self.value:.1f}% ({self.hits}/{self.total})"


def _rate(results: Iterable[Result], hit: Callable[[Result], bool] = lambda r: r.correct) -> Rate:
    items = list(results)
    return Rate(sum(1 for r in items if hit(r)), len(items))


@dataclass
class Metrics:
    results: list[Result]
    label: Callable[[Outcome], str]

    def of(self, kind: str) -> list[Result]:
        return [r for r in self.results if r.expected.kind == kind]

    @property
    def overall(self) -> Rate:
        return _rate(self.results)

    @property
    def answers(self) -> Rate:
        return _rate(self.of(ANSWER))

    @property
    def oos_declined(self) -> Rate:
        return _rate(self.of(OUT_OF_SCOPE))

    def oos_with(self, *kinds: str) -> Rate:
        return _rate(self.of(OUT_OF_SCOPE), lambda r: r.outcome.kind in kinds)

    @property
    def oos_not_forced(self) -> Rate:
        return self.oos_with(*DECLINES, K_DID_YOU_MEAN, K_FALLBACK)

    @property
    def emergency_recall(self) -> Rate:
        return _rate(self.of(EMERGENCY))

    @property
    def smalltalk(self) -> Rate:
        return _rate(self.of(SMALLTALK))

    @property
    def false_emergencies(self) -> list[Result]:
        return [
            r for r in self.results
            if r.expected.kind != EMERGENCY
            and (r.outcome.kind == K_EMERGENCY or r.outcome.emergency_anywhere)
        ]

    @property
    def failures(self) -> list[Result]:
        return [r for r in self.results if not r.correct]

    def per_topic(self) -> dict[str, dict[str, Rate]]:
        table: dict[str, dict[str, list[Result]]] = {}
        for result in self.of(ANSWER):
            row = table.setdefault(str(result.expected.topic), {})
            row.setdefault("all", []).append(result)
            row.setdefault(result.expected.procedure or "null", []).append(result)
        return {topic: {k: _rate(v) for k, v in row.items()} for topic, row in table.items()}

    def per_procedure(self) -> dict[str, Rate]:
        groups: dict[str, list[Result]] = {}
        for result in self.of(ANSWER):
            groups.setdefault(result.expected.procedure or "null", []).append(result)
        return {k: _rate(groups[k]) for k in ("aspiration", "biopsy", "null") if k in groups}

    def confusions(self) -> list[tuple[tuple[str, str], int]]:
        pairs = Counter(
            (r.expected.label, self.label(r.outcome)) for r in self.failures
        )
        return pairs.most_common()

    def per_class(self) -> dict[str, Rate]:
        groups: dict[str, list[Result]] = {}
        for result in self.results:
            if result.cls:
                groups.setdefault(result.cls, []).append(result)
        return {k: _rate(v) for k, v in sorted(groups.items())}

    def got_counts(self, kind: str) -> Counter[str]:
        return Counter(self.label(r.outcome) for r in self.of(kind))


def _label_fn(classifier: ReplyClassifier, detail: bool) -> Callable[[Outcome], str]:
    return lambda outcome: classifier.label(outcome, detail=detail)


@dataclass
class SystemRun:
    name: str
    description: str
    messages: Metrics | None = None
    conversations: Metrics | None = None
    seconds: float = 0.0
    error: str | None = None
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Target:
    name: str
    measured: str
    passed: bool


def targets(run: SystemRun) -> list[Target]:
    assert run.messages is not None
    messages = run.messages
    turns = run.conversations.results if run.conversations else []
    both = Metrics(messages.results + turns, messages.label)
    emergencies = both.emergency_recall
    false = both.false_emergencies
    turn_rate = _rate(turns)
    return [
        Target(f">= {TARGET_ANSWERS:.0%} correct answers (topic questions)",
               str(messages.answers), messages.answers.value >= TARGET_ANSWERS),
        Target(f">= {TARGET_TURNS:.0%} conversation turns correct",
               str(turn_rate), turn_rate.value >= TARGET_TURNS),
        Target(f">= {TARGET_OUT_OF_SCOPE:.0%} out-of-scope messages declined",
               str(messages.oos_declined), messages.oos_declined.value >= TARGET_OUT_OF_SCOPE),
        Target("100% emergencies caught (messages + conversation turns)",
               str(emergencies), emergencies.value >= TARGET_EMERGENCY),
        Target("0 false emergencies (messages + conversation turns)",
               str(len(false)), len(false) <= TARGET_FALSE_EMERGENCIES),
    ]


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------


def _cell(text: str, limit: int = 0) -> str:
    text = " ".join(str(text).split()).replace("|", "\\|")
    if limit and len(text) > limit:
        text = text[: limit - 1] + "\u2026"
    return text


def _last_line(text: str) -> str:
    """The last non-empty line of an error, without terminal colour codes."""
    lines = [line for line in re.sub(r"\x1b\[[0-9;]*m", "", text).splitlines() if line.strip()]
    return lines[-1] if lines else text


def _pp(a: Rate, b: Rate) -> str:
    if not a.total or not b.total:
        return "n/a"
    return f"{100 * (a.value - b.value):+.1f} pp"


def render_report(
    main: SystemRun, baselines: Sequence[SystemRun], info: dict[str, str], kb: KnowledgeBase
) -> str:
    assert main.messages is not None
    m = main.messages
    out: list[str] = []
    add = out.append
    add("# Evaluation on the held-out set\n")
    add("Generated by `python -m tools.evaluate` (`make evaluate`). "
        "Do not edit by hand: rerun it.\n")
    add("| | |\n|---|---|")
    for key, value in info.items():
        add(f"| {key} | {_cell(value)} |")
    add("")
    add(
        "Every held-out message was sent to the real servers over the REST channel, each in a "
        "new conversation, and scored from what the bot *said*: the knowledge-base sections it "
        "quoted (section text + citation line), \"which test?\", the out-of-scope decline, "
        "\"did you mean\", the fallback, the emergency reply (first line: call the emergency "
        "number / crisis line now) or a small-talk reply. A question that does not name the "
        "test counts as correct when the bot quotes that topic or asks which test for that "
        "topic (checked by answering the question with its first button). See "
        "`tests/heldout/README.md` for the labels.\n"
    )

    # ---- targets
    add("## Targets\n")
    add("| target | measured | result |\n|---|---|---|")
    for target in targets(main):
        add(f"| {target.name} | {target.measured} | {'PASS' if target.passed else 'FAIL'} |")
    add("")

    # ---- counts
    add("## Summary (chosen pipeline, `config.yml`)\n")
    counts = Counter(r.expected.kind for r in m.results)
    add("| | |\n|---|---|")
    add(f"| held-out messages | {len(m.results)} (topic questions {counts[ANSWER]}, out of "
        f"scope {counts[OUT_OF_SCOPE]}, emergency {counts[EMERGENCY]}, small talk "
        f"{counts[SMALLTALK]}) |")
    if main.conversations:
        n_conv = len({r.conversation for r in main.conversations.results})
        add(f"| conversations | {n_conv} ({len(main.conversations.results)} turns) |")
    add(f"| **overall accuracy** (all messages) | **{m.overall}** |")
    add(f"| **correct answers** (topic questions) | **{m.answers}** |")
    add(f"| out-of-scope declined | {m.oos_declined} |")
    add(f"| of which referred to the clinic (\"I don't have the clinic's own instructions "
        f"about ...\") | {m.oos_with(K_REFERRED)} |")
    add(f"| out-of-scope not forced onto a topic (declined + did you mean + fallback) | "
        f"{m.oos_not_forced} |")
    add(f"| out-of-scope answered with \"did you mean\" | {m.oos_with(K_DID_YOU_MEAN)} |")
    add(f"| out-of-scope answered with the fallback | {m.oos_with(K_FALLBACK)} |")
    add(f"| emergency recall (emergency reply first) | {m.emergency_recall} |")
    add(f"| false emergencies (messages) | {len(m.false_emergencies)} |")
    add(f"| small talk | {m.smalltalk} |")
    if m.of(CLINIC):
        add(f"| clinic questions (clinic's answer or referral) | {_rate(m.of(CLINIC))} |")
    clarified = [r for r in m.of(ANSWER) if r.outcome.kind == K_CLARIFY]
    add(f"| topic questions answered with \"which test?\" | {len(clarified)} "
        f"({sum(r.correct for r in clarified)} correct: the message did not name the test) |")
    answered = [r for r in m.results if r.outcome.kind == K_ANSWER]
    add(f"| answers whose cited sections are quoted verbatim | "
        f"{_rate(answered, lambda r: r.outcome.verbatim)} |")
    add(f"| time | {main.seconds:.0f} s |")
    add("")

    # ---- failure classes
    classes = Metrics(m.results + (main.conversations.results if main.conversations else []),
                      m.label).per_class()
    if classes:
        add("## Failure classes (messages and conversation turns tagged `class:`)\n")
        add("| class | correct |\n|---|---|")
        for name, rate in classes.items():
            add(f"| {name} | {rate} |")
        add("")

    # ---- per topic
    add("## Accuracy per topic\n")
    add("| topic | all | aspiration | biopsy | null (test not named) |\n|---|---|---|---|---|")
    per_topic = m.per_topic()
    for topic in kb.topics():
        if topic not in per_topic:
            continue
        row = per_topic[topic]
        cells = [str(row.get(k, "")) if k in row else "" for k in ("aspiration", "biopsy", "null")]
        add(f"| {topic} | {row['all']} | " + " | ".join(cells) + " |")
    add("")
    add("### Per procedure label\n")
    add("| procedure in the message | correct |\n|---|---|")
    for key, rate in m.per_procedure().items():
        add(f"| {key} | {rate} |")
    add("")
    add("### What the bot did, by expected label\n")
    add("| expected | replies |\n|---|---|")
    for kind in (OUT_OF_SCOPE, EMERGENCY, SMALLTALK, CLINIC):
        got = m.got_counts(kind)
        if not got:
            continue
        add(f"| {kind} | " + ", ".join(f"{k}: {v}" for k, v in got.most_common()) + " |")
    add("")

    # ---- false emergencies
    add("## False emergencies\n")
    false = m.false_emergencies + (main.conversations.false_emergencies
                                   if main.conversations else [])
    if false:
        add("| message | expected | where |\n|---|---|---|")
        for r in false:
            where = f"conversation {r.conversation}, turn {r.turn}" if r.conversation else "message"
            add(f"| {_cell(r.text)} | {r.expected.label} | {where} |")
    else:
        add("None.")
    add("")

    # ---- confusions
    add("## Most confused (expected -> got)\n")
    confusions = m.confusions()
    if confusions:
        add("| expected | got | count |\n|---|---|---|")
        for (expected, got), count in confusions[:20]:
            add(f"| {expected} | {_cell(got)} | {count} |")
    else:
        add("No failures.")
    add("")

    # ---- failures
    add(f"## All failures ({len(m.failures)})\n")
    if m.failures:
        add("| # | message | expected | got |\n|---|---|---|---|")
        for number, r in enumerate(m.failures, 1):
            add(f"| {number} | {_cell(r.text)} | {r.expected.label} | "
                f"{_cell(m.label(r.outcome))} |")
    add("")

    # ---- conversations
    if main.conversations:
        c = main.conversations
        names = list(dict.fromkeys(r.conversation for r in c.results))
        passed = [n for n in names if all(r.correct for r in c.results if r.conversation == n)]
        add("## Multi-turn conversations\n")
        add(f"Turns correct: **{c.overall}**; conversations fully correct: "
            f"**{len(passed)}/{len(names)}**. One sender per conversation. For a turn where the "
            "bot asks which test, the expected label is the final answer; the next turn (the "
            "patient's choice) must then quote that topic for the chosen test.\n")
        add("| conversation | turn | message | expected | got | ok |\n|---|---|---|---|---|---|")
        for r in c.results:
            add(f"| {r.conversation} | {r.turn} | {_cell(r.text)} | {r.expected.label} | "
                f"{_cell(c.label(r.outcome))} | {'yes' if r.correct else '**no**'} |")
        add("")

    # ---- comparison
    add("## Comparison systems\n")
    if not baselines:
        add("Skipped (`--no-baselines`).\n")
    else:
        for run in baselines:
            add(f"- **{run.name}**: {run.description}")
            for note in run.notes:
                add(f"  - {note}")
        add("")
        runs = [main, *baselines]
        header = "| metric | " + " | ".join(r.name for r in runs) + " | " + " | ".join(
            f"margin over {r.name}" for r in baselines) + " |"
        add(header)
        add("|---" * (1 + len(runs) + len(baselines)) + "|")

        def row(title: str, get: Callable[[Metrics], Rate], conv: bool = False) -> None:
            cells, rates = [], []
            for run in runs:
                metrics = run.conversations if conv else run.messages
                if metrics is None:
                    cells.append(run.error and "failed" or "n/a")
                    rates.append(None)
                else:
                    rate = get(metrics)
                    cells.append(str(rate))
                    rates.append(rate)
            margins = [
                _pp(rates[0], rate) if rates[0] is not None and rate is not None else "n/a"
                for rate in rates[1:]
            ]
            add(f"| {title} | " + " | ".join(cells) + " | " + " | ".join(margins) + " |")

        row("overall accuracy (all messages)", lambda x: x.overall)
        row("correct answers (topic questions)", lambda x: x.answers)
        row("out-of-scope declined", lambda x: x.oos_declined)
        row("emergency recall", lambda x: x.emergency_recall)
        row("small talk", lambda x: x.smalltalk)
        row("conversation turns correct", lambda x: x.overall, conv=True)
        cells = []
        for run in runs:
            cells.append(str(len(run.messages.false_emergencies)) if run.messages else "n/a")
        deltas = []
        for run in baselines:
            if run.messages and main.messages:
                ours, theirs = main.messages.false_emergencies, run.messages.false_emergencies
                deltas.append(f"{len(ours) - len(theirs):+d}")
            else:
                deltas.append("n/a")
        add("| false emergencies (messages) | " + " | ".join(cells) + " | " + " | ".join(deltas)
            + " |")
        add("")
        add("Margins are the chosen pipeline minus the comparison system, in percentage points "
            "(for false emergencies: the difference in count; lower is better).\n")
        for run in baselines:
            add(f"### {run.name}\n")
            if run.error:
                add(f"Not available: {_cell(_last_line(run.error), 300)}\n")
                continue
            assert run.messages is not None
            add(f"Time: {run.seconds:.0f} s. Most confused (expected -> got):\n")
            add("| expected | got | count |\n|---|---|---|")
            for (expected, got), count in run.messages.confusions()[:10]:
                add(f"| {expected} | {_cell(got)} | {count} |")
            add("")
            false_b = run.messages.false_emergencies
            if false_b:
                add("False emergencies: " + "; ".join(f'"{_cell(r.text)}"' for r in false_b)
                    + "\n")
    return "\n".join(out).rstrip() + "\n"


def transcripts(runs: Sequence[SystemRun]) -> list[dict[str, Any]]:
    """Every turn of every system with the replies as received, for debugging failures."""
    rows: list[dict[str, Any]] = []
    for run in runs:
        for metrics in (run.messages, run.conversations):
            for r in metrics.results if metrics else []:
                rows.append({
                    "system": run.name,
                    "conversation": r.conversation,
                    "turn": r.turn,
                    "text": r.text,
                    "expected": r.expected.label,
                    "got": metrics.label(r.outcome),
                    "correct": r.correct,
                    "replies": list(r.outcome.raw),
                    "after_first_button": list(r.outcome.resolved.raw)
                    if r.outcome.resolved else None,
                })
    return rows


# --------------------------------------------------------------------------------------------
# Servers, baselines
# --------------------------------------------------------------------------------------------


def log(text: str) -> None:
    print(f"evaluate: {text}", flush=True)


def evaluate_rasa(name: str, description: str, model: Path, data_dir: Path, scorer: Scorer,
                  messages: Sequence[Message], conversations: Sequence[Conversation]) -> SystemRun:
    """Start the servers with ``model`` and run the held-out set through the REST channel."""
    from bot.serve import free_port, running
    from bot.settings import Settings

    run = SystemRun(name, description)
    settings = Settings(rasa_port=free_port(), action_port=free_port(), data_dir=data_dir,
                        rasa_host="127.0.0.1", cors_origins=())
    started = time.monotonic()
    with running(settings, model):
        bot = RestBot(f"http://127.0.0.1:{settings.rasa_port}/webhooks/rest/webhook")
        harness = Harness(bot, scorer, name.split()[0].lower(), lambda t: log(f"{name}: {t}"))
        log(f"{name}: {len(messages)} held-out messages")
        labels = _label_fn(scorer.classifier, detail=False)
        run.messages = Metrics(harness.run_messages(messages), labels)
        log(f"{name}: {len(conversations)} conversations")
        run.conversations = Metrics(harness.run_conversations(conversations), labels)
    run.seconds = time.monotonic() - started
    return run


def evaluate_bm25(scorer: Scorer, kb: KnowledgeBase, messages: Sequence[Message],
                  conversations: Sequence[Conversation]) -> SystemRun:
    from tools import bm25

    retriever, tuning = bm25.tuned_retriever(kb)
    run = SystemRun(
        "BM25",
        f"Okapi BM25 (k1={bm25.K1}, b={bm25.B}) over the {len(retriever.entries)} sections "
        "(heading + text); tokenizer: lower case, function words dropped, light stemming. "
        "Top section = the answer; procedure from the message's words, else the top section's "
        "document. No conversation state, no emergency or small-talk handling (by design: it "
        "is plain retrieval).",
    )
    run.notes.append(
        f"Out-of-scope threshold {tuning.threshold:g} on the top score, tuned on `data/nlu` "
        f"(not the held-out set): best balanced accuracy between {tuning.n_in_scope} ask_* "
        f"examples ({100 * tuning.in_scope_kept:.1f}% kept) and {tuning.n_out_of_scope} "
        f"out_of_scope examples ({100 * tuning.out_of_scope_declined:.1f}% declined)."
    )
    started = time.monotonic()
    harness = Harness(Bm25Bot(retriever), scorer, "bm25")
    labels = _label_fn(scorer.classifier, detail=False)
    run.messages = Metrics(harness.run_messages(messages), labels)
    run.conversations = Metrics(harness.run_conversations(conversations), labels)
    run.seconds = time.monotonic() - started
    return run


def default_pipeline_config(config_file: Path = CONFIG_FILE) -> dict[str, Any]:
    """config.yml with Rasa's default pipeline: same recipe, language and policies, no
    ``pipeline`` key (so no spaCy, no entity extraction, no red-flag guard)."""
    config = yaml.safe_load(config_file.read_text(encoding="utf-8")) or {}
    result: dict[str, Any] = {"recipe": "default.v1", "language": "en"}
    if config.get("assistant_id"):
        result["assistant_id"] = f"{config['assistant_id']}-default-pipeline"
    result["policies"] = config.get("policies")
    return result


BASELINE_CACHE = PROJECT_ROOT / "build" / "evaluation"


def default_pipeline_fingerprint(root: Path = PROJECT_ROOT) -> str:
    """Changes whenever the comparison model would: its config, the domain or the data (it
    uses none of the project's spaCy pipeline or components)."""
    import hashlib

    digest = hashlib.sha256(yaml.safe_dump(default_pipeline_config(), sort_keys=True).encode())
    files = [root / "domain.yml", *sorted(p for p in (root / "data").rglob("*") if p.is_file())]
    for path in files:
        digest.update(b"\0" + str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def train_default_pipeline(workdir: Path, cache: Path | None = BASELINE_CACHE) -> Path:
    """The comparison model: trained into ``workdir``, then kept in ``cache`` (one model, named
    by :func:`default_pipeline_fingerprint`) so a rerun with unchanged data does not retrain."""
    from bot.settings import QUIET_ENV
    from bot.training import train_command

    name = f"default-pipeline-{default_pipeline_fingerprint()}"
    if cache is not None and (cache / f"{name}.tar.gz").exists():
        log(f"default-pipeline model up to date ({cache / name}.tar.gz)")
        return cache / f"{name}.tar.gz"
    config_path = workdir / "config-default-pipeline.yml"
    config_path.write_text(yaml.safe_dump(default_pipeline_config(), sort_keys=False),
                           encoding="utf-8")
    out = workdir / "models"
    log_path = workdir / "train-default-pipeline.log"
    cmd = train_command(out, name, config=config_path)
    log(f"training the default-pipeline model, a few minutes (log: {log_path})")
    started = time.monotonic()
    with log_path.open("wb") as handle:
        completed = subprocess.run(cmd, cwd=PROJECT_ROOT, env={**os.environ, **QUIET_ENV},
                                   stdout=handle, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL)
    if completed.returncode != 0:
        tail = "\n".join(log_path.read_text(errors="replace").splitlines()[-15:])
        raise RuntimeError(f"rasa train failed (exit {completed.returncode}):\n{tail}")
    log(f"default-pipeline model trained in {time.monotonic() - started:.0f} s")
    model = out / f"{name}.tar.gz"
    if cache is None:
        return model
    cache.mkdir(parents=True, exist_ok=True)
    for old in cache.glob("default-pipeline-*.tar.gz"):
        old.unlink(missing_ok=True)
    cached = cache / model.name
    shutil.copyfile(model, cached)
    return cached


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------


DEFAULT_PIPELINE_DESCRIPTION = (
    "this bot retrained with Rasa's default NLU pipeline (`recipe: default.v1`, "
    "`language: en`, no `pipeline` key: WhitespaceTokenizer, RegexFeaturizer, "
    "LexicalSyntacticFeaturizer, CountVectorsFeaturizer word + char_wb 1-4, "
    "DIETClassifier, EntitySynonymMapper, ResponseSelector, FallbackClassifier 0.3), "
    "same policies, domain, data, actions and harness. No red-flag guard and no "
    "entity extractor (the training data annotates no entities; the answering action "
    "finds no procedure entity, so it asks which test or uses the conversation's). Its "
    "DIETClassifier has no fixed random seed, so its figures can move by a message or two "
    "between retrains."
)


def combine_reports(sections: Sequence[tuple[str, SystemRun, str]]) -> str:
    """One report: the targets of every held-out set first, then each set's full report."""
    out = ["# Evaluation on the held-out sets\n",
           "Generated by `python -m tools.evaluate` (`make evaluate`). Do not edit by hand: "
           "rerun it.\n", "## Targets, per held-out set\n",
           "| set | target | measured | result |\n|---|---|---|---|"]
    for set_name, run, _ in sections:
        for target in targets(run):
            out.append(f"| {set_name} | {target.name} | {target.measured} | "
                       f"{'PASS' if target.passed else 'FAIL'} |")
    out.append("")
    for set_name, _, body in sections:
        body = re.sub(r"^(#+) ", lambda m: "#" + m.group(1) + " ", body, flags=re.MULTILINE)
        body = body.replace("## Evaluation on the held-out set", f"## Held-out set: {set_name}",
                            1)
        out.append(body)
    return "\n".join(out).rstrip() + "\n"


def _pipeline_summary(config_file: Path = CONFIG_FILE) -> str:
    config = yaml.safe_load(config_file.read_text(encoding="utf-8")) or {}
    names = [str(c.get("name")).rsplit(".", 1)[-1] for c in config.get("pipeline") or []]
    return " \u2192 ".join(names) if names else "(Rasa default)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.evaluate",
        description="Evaluate the bot end to end on the held-out set and write a report.",
    )
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT,
                        help=f"report path (default: {DEFAULT_OUTPUT.relative_to(PROJECT_ROOT)})")
    parser.add_argument("--no-baselines", action="store_true",
                        help="skip the comparison systems (BM25, default-pipeline retrain)")
    parser.add_argument("--check-targets", action="store_true",
                        help="exit 1 when a target is missed")
    parser.add_argument("--transcripts", type=Path,
                        help="also write every turn with the raw replies to this JSON file")
    parser.add_argument("--model", type=Path,
                        help="evaluate this model file instead of preparing the current one")
    parser.add_argument("--baseline-model", type=Path,
                        help="use this default-pipeline model instead of training one")
    parser.add_argument("--set", choices=sorted(HELDOUT_SETS), action="append",
                        help="run only this held-out set (repeatable; default: all)")
    parser.add_argument("--messages", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--conversations", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.output = args.output.resolve()

    from bot import training
    from bot.serve import StartError

    if args.model:
        model = args.model.resolve()
        if not model.exists():
            print(f"evaluate: no model at {model}", file=sys.stderr)
            return 2
        fingerprint = "(given with --model)"
    else:
        from bot.prepare import prepare

        model = prepare()
        fingerprint = training.fingerprint()

    kb = KnowledgeBase.load()
    classifier = ReplyClassifier(kb)
    scorer = Scorer(classifier)
    if args.messages or args.conversations:
        chosen = {"custom": ((args.messages or MESSAGES_FILE).resolve(),
                             (args.conversations or CONVERSATIONS_FILE).resolve())}
    else:
        chosen = {name: (HELDOUT_SETS[name] / "messages.yml",
                         HELDOUT_SETS[name] / "conversations.yml")
                  for name in (args.set or list(HELDOUT_SETS))}
    info = {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="minutes"),
        "model": f"{model.name} (training-data fingerprint {fingerprint})",
        "chosen pipeline (`config.yml`)": _pipeline_summary(),
        "clinic profile": f"{classifier.profile.clinic_name} (emergency "
                          f"{classifier.profile.emergency_number}, crisis line "
                          f"{classifier.profile.crisis_line})",
    }

    sections: list[tuple[str, SystemRun, str]] = []
    all_runs: list[SystemRun] = []
    default_model: Path | None = None
    with tempfile.TemporaryDirectory(prefix="bot-evaluate-") as tmp:
        workdir = Path(tmp)
        for set_name, (messages_file, conversations_file) in chosen.items():
            messages = load_messages(messages_file)
            conversations = load_conversations(conversations_file)
            set_info = {
                **info,
                "held-out set": f"`{messages_file.parent.relative_to(PROJECT_ROOT)}`: "
                                f"{len(messages)} messages, {len(conversations)} conversations "
                                f"({sum(len(c.turns) for c in conversations)} turns)",
            }
            log(f"held-out set {set_name!r}")
            baselines: list[SystemRun] = []
            try:
                main_run = evaluate_rasa("chosen pipeline", "config.yml", model,
                                         workdir / f"data-main-{set_name}", scorer, messages,
                                         conversations)
            except StartError as exc:
                print(f"evaluate: {exc}", file=sys.stderr)
                return 2
            if not args.no_baselines:
                log("BM25 comparison")
                baselines.append(evaluate_bm25(scorer, kb, messages, conversations))
                description = DEFAULT_PIPELINE_DESCRIPTION
                try:
                    if default_model is None:
                        if args.baseline_model:
                            default_model = args.baseline_model.resolve()
                            log(f"default-pipeline model given: {default_model}")
                        else:
                            default_model = train_default_pipeline(workdir)
                    baseline = evaluate_rasa("default pipeline", description, default_model,
                                             workdir / f"data-default-{set_name}", scorer,
                                             messages, conversations)
                    baseline.notes.append(f"Model: `{default_model.name}`.")
                    baselines.append(baseline)
                except (RuntimeError, StartError) as exc:
                    print(f"evaluate: default-pipeline comparison failed: {exc}",
                          file=sys.stderr)
                    baselines.append(SystemRun("default pipeline", description, error=str(exc)))
            sections.append((set_name, main_run, render_report(main_run, baselines, set_info, kb)))
            all_runs += [main_run, *baselines]

    report = combine_reports(sections)
    output = args.output  # resolved when the arguments were read
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(report, encoding="utf-8")
    log(f"report written to {output}")
    if args.transcripts:
        args.transcripts.parent.mkdir(parents=True, exist_ok=True)
        args.transcripts.write_text(
            json.dumps(transcripts(all_runs), indent=1, ensure_ascii=False),
            encoding="utf-8",
        )
        log(f"transcripts written to {args.transcripts}")

    missed = False
    for set_name, main_run, _ in sections:
        for target in targets(main_run):
            missed = missed or not target.passed
            log(f"[{set_name}] {'PASS' if target.passed else 'FAIL'}  {target.name}: "
                f"{target.measured}")
    if args.check_targets and missed:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""What the conversations say, as counts: the numbers behind every table, chart and CSV file.

Definitions (the README's "Reading the insights report" explains them for clinic staff):

* a *conversation* is counted on each day (UTC) it has a message, under the channel it came from;
* a *message* is what a patient sent, button clicks included; the web widget's automatic
  greeting request and answer feedback are not messages;
* a *question* is a turn the bot answered: a quoted answer (topic and procedure as the bot
  understood them) or a clinic practical question (``clinic:<topic>``);
* an *unanswered question* is a patient message that got the fallback, a "did you mean", an
  out-of-scope decline, or a clinic practical question the clinic profile leaves unanswered;
* an *emergency* is a message the red-flag layer sent to emergency care; a *crisis redirect* is
  one about suicidal thoughts;
* *feedback* is a "Helpful? Yes / No" answer (actions/feedback.py), with the topic and procedure
  of the answer it was about;
* *reply time* runs from a patient message to the bot's first reply to it.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone

from bot.guard import redact
from bot.report.store import Event
from bot.topics import local_topic_for

AUTOMATIC = ("/greet",)  # sent by the web widget when a chat opens, not by the patient
FALLBACK = "fallback"
DID_YOU_MEAN = "did you mean"
OUT_OF_SCOPE = "out of scope"
CLINIC_UNANSWERED = "clinic topic not answered"
CATEGORIES = (FALLBACK, DID_YOU_MEAN, OUT_OF_SCOPE, CLINIC_UNANSWERED)
CRISIS_CATEGORIES = frozenset({"suicidal"})
MIN_GROUP = 3  # smaller groups of unanswered questions show their count, not their text
SIMILAR = 0.5  # word-set overlap (Jaccard) for two questions to be "the same question"

_STOP = frozenset(
    "a an and are as at be but by can do does for from had has have how i i'm if in is it "
    "its it's me my of on or so that the their them then there this to was we what when "
    "where which who why will with would you your please just about".split()
)


def day_of(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, tz=timezone.utc).strftime("%Y-%m-%d")


def words(text: str) -> frozenset[str]:
    found = re.findall(r"[a-z0-9\[\]']+", text.lower())
    kept = frozenset(w.strip("'") for w in found if w.strip("'") not in _STOP)
    return kept or frozenset(found)


@dataclass
class Group:
    """Unanswered questions that say (nearly) the same thing."""

    category: str
    key: frozenset[str]
    wordings: Counter = field(default_factory=Counter)

    @property
    def count(self) -> int:
        return sum(self.wordings.values())

    @property
    def text(self) -> str:
        # the most frequent wording; ties: the shortest, then alphabetical (stable output)
        return min(self.wordings.items(), key=lambda kv: (-kv[1], len(kv[0]), kv[0]))[0]


def group_questions(category: str, texts: Iterable[str]) -> list[Group]:
    """Greedy grouping by word overlap, most frequent wordings first; largest groups first."""
    groups: list[Group] = []
    for text, count in sorted(Counter(texts).items(), key=lambda kv: (-kv[1], kv[0])):
        key = words(text)
        best, score = None, 0.0
        for group in groups:
            union = len(key | group.key)
            overlap = len(key & group.key) / union if union else 1.0
            if overlap > score:
                best, score = group, overlap
        if best is not None and score >= SIMILAR:
            best.wordings[text] += count
        else:
            group = Group(category, key)
            group.wordings[text] += count
            groups.append(group)
    return sorted(groups, key=lambda g: (-g.count, g.text))


@dataclass
class Insights:
    since: str
    until: str
    conversations: Counter = field(default_factory=Counter)  # (day, channel) -> conversations
    messages: Counter = field(default_factory=Counter)  # (day, channel) -> messages
    questions: Counter = field(default_factory=Counter)  # (topic, procedure) -> answered
    unanswered: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    emergencies: Counter = field(default_factory=Counter)  # day -> emergencies
    crisis: Counter = field(default_factory=Counter)  # day -> crisis redirects
    feedback: Counter = field(default_factory=Counter)  # (topic, procedure, yes|no) -> count
    reply_times: list[float] = field(default_factory=list)  # seconds
    total_conversations: int = 0

    @property
    def total_messages(self) -> int:
        return sum(self.messages.values())

    def groups(self) -> list[Group]:
        return [g for c in CATEGORIES for g in group_questions(c, self.unanswered.get(c, []))]


@dataclass
class _Turn:
    timestamp: float
    text: str
    intent: str | None
    channel: str
    red_flag: str | None
    actions: list[str] = field(default_factory=list)
    bot_texts: list[str] = field(default_factory=list)
    first_reply: float | None = None
    reverted: bool = False


def _turn(event: Event) -> _Turn:
    data = event.data
    parse = data.get("parse_data") or {}
    flag = parse.get("red_flag") if isinstance(parse.get("red_flag"), dict) else {}
    return _Turn(
        timestamp=event.timestamp,
        text=str(data.get("text") or ""),
        intent=(parse.get("intent") or {}).get("name"),
        channel=str(data.get("input_channel") or "unknown"),
        red_flag=flag.get("category") if flag else None,
    )


class _Conversation:
    def __init__(self, insights: Insights, answered_locally: set[str]):
        self.insights = insights
        self.answered_locally = answered_locally
        self.slots: dict[str, object] = {"topic": None, "procedure": None}
        self.turn: _Turn | None = None
        self.days: set[tuple[str, str]] = set()

    def add(self, event: Event) -> None:
        data = event.data
        if event.type == "user":
            self.finish()
            self.turn = _turn(event)
            self.days.add((day_of(event.timestamp), self.turn.channel))
        elif event.type == "slot":
            name, value = data.get("name"), data.get("value")
            if name == "feedback" and isinstance(value, dict):
                helpful = value.get("helpful")
                if helpful in ("yes", "no"):
                    key = (str(value.get("topic") or "unknown"),
                           str(value.get("procedure") or "-"), helpful)
                    self.insights.feedback[key] += 1
            elif name in self.slots:
                self.slots[name] = value
        elif self.turn is None:
            return
        elif event.type == "action":
            name = data.get("name")
            if name and name != "action_listen":
                self.turn.actions.append(name)
        elif event.type == "bot":
            self.turn.bot_texts.append(str(data.get("text") or ""))
            if self.turn.first_reply is None:
                self.turn.first_reply = event.timestamp
        elif event.type == "rewind":
            self.turn.reverted = True

    def finish(self) -> None:
        turn, self.turn = self.turn, None
        if turn is None or turn.reverted or turn.intent == "feedback":
            return
        if turn.text.strip() in AUTOMATIC:
            return
        insights = self.insights
        day = day_of(turn.timestamp)
        insights.messages[(day, turn.channel)] += 1
        if turn.first_reply is not None:
            insights.reply_times.append(max(turn.first_reply - turn.timestamp, 0.0))
        actions = turn.actions
        if turn.intent == "emergency" or "action_handle_emergency" in actions:
            insights.emergencies[day] += 1
            if turn.red_flag in CRISIS_CATEGORIES:
                insights.crisis[day] += 1
            return
        typed = not turn.text.startswith("/")
        text = redact(turn.text)
        if "action_answer_question" in actions:
            if any("Source:" in t for t in turn.bot_texts):
                key = (str(self.slots["topic"] or "unknown"), str(self.slots["procedure"] or "-"))
                insights.questions[key] += 1
            return
        if "action_answer_clinic_question" in actions:
            topic = local_topic_for(turn.intent) or "unknown"
            insights.questions[(f"clinic:{topic}", str(self.slots["procedure"] or "-"))] += 1
            if topic not in self.answered_locally and typed:
                insights.unanswered[CLINIC_UNANSWERED].append(text)
            return
        category = None
        if "action_clarify_question" in actions:
            category = DID_YOU_MEAN
        elif "action_decline_out_of_scope" in actions:
            category = OUT_OF_SCOPE
        elif "action_default_fallback" in actions or turn.intent == "nlu_fallback":
            category = FALLBACK
        if category and typed:
            insights.unanswered[category].append(text)

    def close(self) -> None:
        self.finish()
        for key in self.days:
            self.insights.conversations[key] += 1
        if self.days:
            self.insights.total_conversations += 1


def analyze(events: Iterable[Event], since: str, until: str,
            answered_locally: set[str] | None = None) -> Insights:
    """Counts from events grouped by conversation (as ``store.read_events`` yields them).
    ``answered_locally``: the clinic practical topics the profile answers."""
    insights = Insights(since, until)
    current: _Conversation | None = None
    number = None
    for event in events:
        if event.conversation != number:
            if current is not None:
                current.close()
            number = event.conversation
            current = _Conversation(insights, answered_locally or set())
        assert current is not None
        current.add(event)
    if current is not None:
        current.close()
    return insights


def percentile(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile (p in 0..100) of ``values``; None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, min(len(ordered), -(-len(ordered) * p // 100)))
    return ordered[int(rank) - 1]

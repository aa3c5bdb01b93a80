"""Deterministic red-flag detection: runs on every message before any ML.

The patterns live in ``bot/vocabulary/red_flags.yml`` (written to be read and edited by
clinical staff; the file explains its small pattern language). They are compiled here into a
spaCy ``Matcher`` over ``LOWER`` and ``LEMMA`` using the project's own pipeline
(``bot.nlp``), so inflections ("bled", "hurts") and listed typos ("bleedin") match.

Before matching, :func:`normalize_text` makes phone-typed messages look like what the patterns
expect (all of it configured in the ``typos:`` section of red_flags.yml):

* lower case, straight quotes, "sooo" -> "soo", a space after "," / "?" / "." glued to the
  next word ("biopsy,now");
* shorthand replaced as whole words ("thru" -> "through", "rly" -> "really", "v" -> "very");
* a misspelt *key word* corrected ("feverr", "bleedding", "brething" -> "fever", "bleeding",
  "breathing"): a word of 4+ letters that is not a known word (red_flags.yml ``real_words``
  plus every word the rules file mentions) and is within edit distance 1 of a key word, with
  the same first letter. Key words of 8+ letters allow 2 edits when the first three letters
  agree and the word is at most one letter longer. Real words near key words ("feed",
  "fewer", "breach", "pail") are never changed.

A match only counts if its context says the person is reporting something happening now:

* negated matches do not count ("no fever", "I'm not bleeding a lot");
* *phrases* do not count in a question ("can it cause heavy bleeding?"), after "if"
  ("what if I get a fever?"), next to "risk/chance/side effect", or after words like
  "will/worried/might";
* *reports* ("it won't stop bleeding", "I have a fever") count even inside a question
  ("is it normal that I have a fever?"), but not after "if" or in an inverted question
  ("will I have a fever?", "will the dressing soak through?": the auxiliary may come before
  the subject) - except after "why" ("why does it keep bleeding?" is about something that is
  happening);
* a statement followed by a separate question counts ("the site is oozing pus, is that
  normal?", "what can I take, the pain is unbearable"); a verbless one does not ("fever after
  a biopsy, is that common?");
* ``always`` categories (suicidal) count everywhere unless negated;
* a past-time marker in the clause ("last week", "years ago") makes a match history, unless
  it starts a period lasting until now ("since last week") or "now / today / still" comes
  between it and the match ("I had the biopsy last week and now I have a fever");
* a symptom followed by its end ("my fever went away", "has gone down") does not count;
* a pattern entry ``{pattern: ..., unless_next: [words]}`` does not count when the next word
  is one of those ("she's not responding" vs "she's not responding to the antibiotics").

Public API: :class:`RedFlag`, :func:`detect`, :func:`detect_doc`, :func:`emergency_reply`,
:data:`CATEGORIES`.
"""

from __future__ import annotations

import re
import threading
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.nlp import VOCAB_DIR

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language
    from spacy.matcher import Matcher
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

RULES_FILE = VOCAB_DIR / "red_flags.yml"

CATEGORIES = (
    "suicidal",
    "breathing",
    "chest_pain",
    "bleeding",
    "fainting",
    "severe_pain",
    "infection",
)

REPORT = "report"
PHRASE = "phrase"
ALWAYS = "always"


@dataclass(frozen=True)
class RedFlag:
    """A red flag found in a message: its category and the words that matched."""

    category: str
    matched: str

    def to_dict(self) -> dict[str, str]:
        return asdict(self)


class RulesError(ValueError):
    """red_flags.yml is malformed."""


# --------------------------------------------------------------------------------------------
# Rules file -> compiled spaCy token patterns
# --------------------------------------------------------------------------------------------


@dataclass
class _Rule:
    category: str
    kind: str  # REPORT / PHRASE / ALWAYS
    source: str  # the line in red_flags.yml
    tokens: list[dict[str, Any]]
    # the match does not count if the next word is one of these ("not responding" vs
    # "not responding to the antibiotics")
    unless_next: frozenset[str] = frozenset()


@dataclass
class _Typos:
    """Shorthand table and typo-tolerant key words (the ``typos:`` section)."""

    shorthand: dict[str, str] = field(default_factory=dict)
    key_words: tuple[str, ...] = ()
    # Never corrected: real words near key words + every word the rules file mentions.
    protected: frozenset[str] = frozenset()
    cache: dict[str, str] = field(default_factory=dict, repr=False)
    by_initial: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for key in self.key_words:
            self.by_initial[key[0]] = (*self.by_initial.get(key[0], ()), key)


@dataclass
class _Rules:
    categories: list[str]
    negation_window: dict[str, int]
    context: dict[str, Any]
    rules: list[_Rule] = field(default_factory=list)
    typos: _Typos = field(default_factory=_Typos)


def _words(value: Any) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise RulesError(f"expected a list of words, got {value!r}")
    if any(isinstance(v, bool) for v in value):
        raise RulesError(f"put yes / no / on / off / true / false in quotes: {value!r}")
    return [str(v).lower() for v in value]


def _is_regex(value: str) -> bool:
    return len(value) > 2 and value.startswith("/") and value.endswith("/")


def _parse_slot(slot: str, words: dict[str, list[str]], source: str) -> dict[str, Any]:
    op = None
    if slot.startswith("/") and slot.endswith("/") and len(slot) > 2:
        return {"LOWER": {"REGEX": slot[1:-1]}}
    if len(slot) > 1 and slot[-1] in "?*+" and not slot.endswith("/"):
        op, slot = slot[-1], slot[:-1]
    negated = False
    if slot.startswith("!") and len(slot) > 1:
        negated, slot = True, slot[1:]
    if slot.startswith("/") and slot.endswith("/") and len(slot) > 2 and not negated:
        spec: dict[str, Any] = {"LOWER": {"REGEX": slot[1:-1]}}
    elif slot == "_" and not negated:
        spec = {}
    else:
        attr = "LOWER"
        if slot.startswith("~"):
            attr, slot = "LEMMA", slot[1:]
        values: list[str] = []
        for alternative in slot.split("|"):
            if not alternative:
                raise RulesError(f"empty alternative in {slot!r} of pattern {source!r}")
            if alternative.startswith("@"):
                name = alternative[1:]
                if name not in words:
                    raise RulesError(f"unknown word list @{name} in pattern {source!r}")
                values.extend(words[name])
            else:
                values.append(alternative.lower())
        values = list(dict.fromkeys(values))
        regexes = [v[1:-1] for v in values if _is_regex(v)]
        if regexes:  # a word list with "/regex/" entries: one regex for the whole slot
            if negated:
                raise RulesError(f"!{slot} cannot use a regular expression ({source!r})")
            plain = [f"^{re.escape(v)}$" for v in values if not _is_regex(v)]
            spec = {attr: {"REGEX": "|".join(f"(?:{r})" for r in regexes + plain)}}
        elif negated:  # any one word (not a line break) except these
            spec = {attr: {"NOT_IN": values}, "IS_SPACE": False}
        else:
            spec = {attr: values[0]} if len(values) == 1 else {attr: {"IN": values}}
    if op:
        spec["OP"] = op
    return spec


def _parse_pattern(text: str, words: dict[str, list[str]]) -> list[dict[str, Any]]:
    slots = str(text).split()
    if not slots:
        raise RulesError("empty pattern")
    tokens = [_parse_slot(slot, words, text) for slot in slots]
    if all(token.get("OP") in ("?", "*") for token in tokens):
        raise RulesError(f"pattern {text!r} would match nothing at all")
    return tokens


def _entry(entry: Any, category: str) -> tuple[str, frozenset[str]]:
    """A pattern line: a string, or ``{pattern: ..., unless_next: [words]}``."""
    if isinstance(entry, dict):
        unknown = set(entry) - {"pattern", "unless_next"}
        if unknown or "pattern" not in entry:
            raise RulesError(f"{category}: a pattern entry needs pattern: (and unless_next:)")
        return str(entry["pattern"]), frozenset(_words(entry.get("unless_next")))
    return str(entry), frozenset()


def _load_yaml(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    try:
        import yaml
    except ImportError:  # pragma: no cover
        from ruamel.yaml import YAML

        return YAML(typ="safe", pure=True).load(text)
    return yaml.safe_load(text)


@lru_cache(maxsize=4)
def load_rules(path: str = str(RULES_FILE)) -> _Rules:
    """Parse red_flags.yml (no spaCy needed). Cached per path."""
    data = _load_yaml(Path(path)) or {}
    words = {str(k): _words(v) for k, v in (data.get("words") or {}).items()}
    raw_context = data.get("suppress") or {}
    context: dict[str, Any] = {}
    for key, value in raw_context.items():
        if key in ("negation_window",):
            context[key] = int(value)
        elif key == "report_prefix":
            context[key] = str(value)
        elif key in ("past_markers", "resolved_after"):
            context[key] = {tuple(words_.split()) for words_ in _words(value)}
        else:
            context[key] = set(_words(value))
    categories_data = data.get("categories") or {}
    unknown = set(categories_data) - set(CATEGORIES)
    if unknown:
        raise RulesError(f"unknown categories in {path}: {sorted(unknown)}")
    prefix = _parse_pattern(context.get("report_prefix", "i"), words)
    rules = _Rules(categories=list(categories_data), negation_window={}, context=context)
    for category, spec in categories_data.items():
        spec = spec or {}
        always = bool(spec.get("always"))
        rules.negation_window[category] = int(
            spec.get("negation_window", context.get("negation_window", 3))
        )
        for entry in spec.get("reports") or []:
            source, unless = _entry(entry, category)
            kind = ALWAYS if always else REPORT
            tokens = _parse_pattern(source, words)
            rules.rules.append(_Rule(category, kind, source, tokens, unless))
        for entry in spec.get("phrases") or []:
            source, unless = _entry(entry, category)
            tokens = _parse_pattern(source, words)
            rules.rules.append(
                _Rule(category, ALWAYS if always else PHRASE, source, tokens, unless)
            )
            if not always:
                # "I have / I'm / I feel ..." + phrase: a report about the person themself.
                rules.rules.append(
                    _Rule(
                        category,
                        REPORT,
                        f"{context.get('report_prefix')} {source}",
                        [dict(t) for t in prefix] + [dict(t) for t in tokens],
                        unless,
                    )
                )
        if not (spec.get("reports") or spec.get("phrases")):
            raise RulesError(f"category {category!r} has no patterns")
    rules.typos = _load_typos(data, words, raw_context)
    return rules


_WORD = re.compile(r"[a-z]+")


def _mentioned_words(data: dict[str, Any], words: dict[str, list[str]], context: Any) -> set[str]:
    """Every plain word red_flags.yml mentions (word lists, suppress lists, patterns)."""
    found: set[str] = set()
    for values in words.values():
        found.update(values)
    for value in (context or {}).values():
        found.update(str(v).lower() for v in (value if isinstance(value, list) else [value]))
    for spec in (data.get("categories") or {}).values():
        spec = spec or {}
        for entry in (spec.get("reports") or []) + (spec.get("phrases") or []):
            source, unless = _entry(entry, "?")
            found.update(unless)
            for slot in source.split():
                if "/" in slot or "@" in slot:
                    continue
                found.update(slot.strip("~!?*+").split("|"))
    return {word for text in found for word in _WORD.findall(text)}


def _load_typos(data: dict[str, Any], words: dict[str, list[str]], context: Any) -> _Typos:
    spec = data.get("typos") or {}
    if not isinstance(spec, dict):
        raise RulesError("typos: expected shorthand / key_words / real_words")
    shorthand_raw = spec.get("shorthand") or {}
    if not isinstance(shorthand_raw, dict):
        raise RulesError("typos.shorthand: expected 'word: replacement' lines")
    shorthand: dict[str, str] = {}
    for key, value in shorthand_raw.items():
        if isinstance(key, bool) or isinstance(value, bool) or value is None:
            raise RulesError(
                f"typos.shorthand: put yes / no / on / off / y / n in quotes: {key!r}: {value!r}"
            )
        key_text = str(key).lower().strip()
        value_text = " ".join(str(value).lower().split())
        if not key_text or " " in key_text or not value_text:
            raise RulesError(f"typos.shorthand: one word -> some text, not {key!r}: {value!r}")
        shorthand[key_text] = value_text
    key_words = tuple(dict.fromkeys(_words(spec.get("key_words"))))
    for word in key_words:
        if not (word.isalpha() and len(word) >= 4):
            raise RulesError(f"typos.key_words: {word!r} is not a word of 4+ letters")
    protected = set(_words(spec.get("real_words"))) | set(key_words)
    for key, value in shorthand.items():
        protected.update(_WORD.findall(key))
        protected.update(_WORD.findall(value))
    typos = _Typos(shorthand=shorthand, key_words=key_words, protected=frozenset(protected))
    # Other words of this file are known too, except typos of key words listed in word lists
    # ("bleedin"): correcting those to the key word changes nothing the patterns see.
    mentioned = _mentioned_words(data, words, context)
    typos.protected = frozenset(protected | {w for w in mentioned if _correct(w, typos) == w})
    typos.cache.clear()
    return typos


_MATCHERS: dict[int, tuple[Vocab, Matcher, _Rules]] = {}
_MATCHERS_LOCK = threading.Lock()


def _matcher_for(vocab: Vocab, rules_path: str = str(RULES_FILE)) -> tuple[Matcher, _Rules]:
    key = id(vocab)
    with _MATCHERS_LOCK:
        cached = _MATCHERS.get(key)
        if cached is not None and cached[0] is vocab and cached[2] is load_rules(rules_path):
            return cached[1], cached[2]
        from spacy.matcher import Matcher

        rules = load_rules(rules_path)
        matcher = Matcher(vocab, validate=True)
        for index, rule in enumerate(rules.rules):
            matcher.add(f"{index}", [rule.tokens])
        _MATCHERS[key] = (vocab, matcher, rules)
        return matcher, rules


# --------------------------------------------------------------------------------------------
# Text normalisation and clause structure
# --------------------------------------------------------------------------------------------

_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "`": "'"})
_REPEATS = re.compile(r"([a-z])\1{2,}")
_SENTENCE_CHARS = set(".!?;\u2026")
_CLAUSE_TOKENS = {",", ":", "\u2014", "\u2013", "(", ")", "--"}
_CLAUSE_WORDS = {"but", "however", "although", "though", "because", "cuz", "coz", "bc"}
_SUBJECT_PRONOUNS = {"i", "you", "we", "they", "he", "she", "it", "to", "u"}
_BE_FORMS = {"is", "are", "was", "were", "am", "'s", "s", "has", "have", "'re", "re"}


# "biopsy,now" / "fever?im" / "hip.it": a space after punctuation glued to the next word (not in
# numbers such as "38,5" or "38.5", nor in "e.g").
_GLUED = re.compile(r"([,;:!?])(?=[a-z])|(?<=[a-z])[,:](?=[0-9])|(?<=[a-z]{2})\.(?=[a-z]{2})")
_SHORTHAND_TOKEN = re.compile(r"(?<![\w'/])[a-z0-9]+(?:/[a-z]*)?(?![\w/]|'[a-z])")
_FUZZY_TOKEN = re.compile(r"(?<![a-z0-9'])[a-z]{4,}(?![a-z0-9]|'[a-z])")
_LONG_KEY = 8  # key words this long allow 2 edits (shorter ones 1)


def _edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (a swap of two letters = 1), capped at limit + 1."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        before, previous = previous, current
    return previous[-1]


def correct_word(word: str, rules_path: str = str(RULES_FILE)) -> str:
    """The key word a misspelt word stands for ("feverr" -> "fever"), else the word itself."""
    return _correct(word, load_rules(rules_path).typos)


def _correct(word: str, typos: _Typos) -> str:
    if len(word) < 4 or word in typos.protected or not word.isalpha():
        return word
    cached = typos.cache.get(word)
    if cached is not None:
        return cached
    best: tuple[int, str] | None = None
    for key in typos.by_initial.get(word[0], ()):
        # Two typos only in long key words, never two extra letters ("facinating" is not
        # "fainting"), and only if the first three letters agree ("intented" vs "infected").
        long_ok = len(key) >= _LONG_KEY and len(key) - 2 <= len(word) <= len(key) + 1
        limit = 2 if long_ok and word[:3] == key[:3] else 1
        distance = _edit_distance(word, key, limit)
        if distance <= limit and (best is None or distance < best[0]):
            best = (distance, key)
    corrected = best[1] if best else word
    if len(typos.cache) < 10_000:
        typos.cache[word] = corrected
    return corrected


def normalize_text(text: str, rules_path: str = str(RULES_FILE)) -> str:
    """What the matcher sees: lower case, straight quotes, "sooo" -> "soo", a space after
    punctuation glued to a word, shorthand expanded and misspelt key words corrected."""
    text = (text or "").translate(_QUOTES).lower()
    text = _REPEATS.sub(r"\1\1", text)
    if not text.strip():
        return text
    text = _GLUED.sub(lambda m: f"{m.group(0)} ", text)
    typos = load_rules(rules_path).typos
    if typos.shorthand:
        text = _SHORTHAND_TOKEN.sub(lambda m: typos.shorthand.get(m.group(0), m.group(0)), text)
    if typos.key_words:
        text = _FUZZY_TOKEN.sub(lambda m: _correct(m.group(0), typos), text)
    return text


@dataclass
class _Structure:
    sentence_of: list[int]
    clause_of: list[int]
    clause_bounds: list[tuple[int, int]]
    sentence_bounds: list[tuple[int, int]]
    sentence_question: list[bool]  # sentence starts with a question word
    sentence_qmark: list[bool]  # sentence ends with "?"
    sentence_first_person: list[bool]
    clause_interrogative: list[bool]
    clause_first: list[int]  # index of the first non-filler token (or clause end)
    clause_qmark: list[bool]  # the "?" of the sentence is in this clause
    clause_statement: list[bool]  # the clause has a verb of a statement ("is", "has", "keeps")


def _is_sentence_break(token: Any) -> bool:
    text = token.text
    if token.is_space:
        return "\n" in text
    return bool(text) and all(ch in _SENTENCE_CHARS for ch in text)


def _is_clause_break(token: Any, doc: Doc) -> bool:
    if _is_sentence_break(token):
        return True
    text = token.lower_
    if text in _CLAUSE_TOKENS or text in _CLAUSE_WORDS:
        return True
    return text == "-" and token.i > 0 and bool(doc[token.i - 1].whitespace_)


def _structure(doc: Doc, ctx: dict[str, Any]) -> _Structure:
    n = len(doc)
    sentence_of = [0] * n
    clause_of = [0] * n
    sentence_bounds: list[tuple[int, int]] = []
    clause_bounds: list[tuple[int, int]] = []
    s_start = c_start = 0
    for token in doc:
        i = token.i
        sentence_of[i] = len(sentence_bounds)
        clause_of[i] = len(clause_bounds)
        if _is_clause_break(token, doc):
            clause_bounds.append((c_start, i + 1))
            c_start = i + 1
        if _is_sentence_break(token):
            sentence_bounds.append((s_start, i + 1))
            s_start = i + 1
    if c_start < n or not clause_bounds:
        clause_bounds.append((c_start, n))
    if s_start < n or not sentence_bounds:
        sentence_bounds.append((s_start, n))

    fillers = ctx.get("fillers", set())
    openers = ctx.get("question_openers", set())
    needing_verb = ctx.get("openers_needing_verb", set())
    verbs = ctx.get("inverted_before", set()) | _BE_FORMS

    def is_opener(i: int, end: int) -> bool:
        if i >= end or doc[i].lower_ not in openers:
            return False
        if doc[i].lower_ in needing_verb:  # "when will ..." vs "when I stood up ..."
            return i + 1 < end and doc[i + 1].lower_ in verbs
        return True

    first_person = ctx.get("first_person", set())
    restart = ctx.get("declarative_restart", set())
    # "what can I take, the pain is unbearable": "the" starts a statement if the clause has a
    # verb and is not itself the question ("what's worse, the bleeding or the fever?", "what
    # should I look out for, the leaflet mentions fever").
    restart_with_verb = ctx.get("declarative_restart_with_verb", set())
    statement_words = ctx.get("statement_words", set())

    def first_content(start: int, end: int) -> int:
        for i in range(start, end):
            token = doc[i]
            if token.is_space or token.is_punct or token.lower_ in fillers:
                continue
            return i
        return end

    sentence_question, sentence_qmark, sentence_fp = [], [], []
    for start, end in sentence_bounds:
        first = first_content(start, end)
        sentence_question.append(is_opener(first, end))
        sentence_qmark.append(any("?" in doc[i].text for i in range(start, end)))
        sentence_fp.append(any(doc[i].lower_ in first_person for i in range(start, end)))

    clause_first, clause_interrogative, clause_qmark, clause_statement = [], [], [], []
    for start, end in clause_bounds:
        first = first_content(start, end)
        clause_first.append(first)
        word = doc[first].lower_ if first < end else ""
        sentence = sentence_of[start] if start < n else len(sentence_bounds) - 1
        qmark = any("?" in doc[i].text for i in range(start, end))
        statement = any(doc[i].lower_ in statement_words for i in range(first, end))
        clause_qmark.append(qmark)
        clause_statement.append(statement)
        restarts = word in restart or (word in restart_with_verb and statement and not qmark)
        interrogative = is_opener(first, end) or (
            sentence_question[sentence] and bool(word) and not restarts
        )
        clause_interrogative.append(interrogative)

    return _Structure(
        sentence_of=sentence_of,
        clause_of=clause_of,
        clause_bounds=clause_bounds,
        sentence_bounds=sentence_bounds,
        sentence_question=sentence_question,
        sentence_qmark=sentence_qmark,
        sentence_first_person=sentence_fp,
        clause_interrogative=clause_interrogative,
        clause_first=clause_first,
        clause_qmark=clause_qmark,
        clause_statement=clause_statement,
    )


# --------------------------------------------------------------------------------------------
# Does a match count?
# --------------------------------------------------------------------------------------------


def _negated(doc: Doc, start: int, clause_start: int, window: int, ctx: dict[str, Any]) -> bool:
    negations = ctx.get("negations", set())
    ignored_after = ctx.get("negation_ignored_before", set())
    raising = ctx.get("negation_raising", set())
    restart = ctx.get("declarative_restart", set()) | ctx.get("first_person", set())
    for i in range(start - 1, clause_start - 1, -1):
        word = doc[i].lower_
        if word not in negations:
            continue
        following = doc[i + 1].lower_ if i + 1 < len(doc) else ""
        if following in ignored_after:
            continue  # "I don't know, ..."
        if word == "no" and following in restart:
            continue  # "no I'm bleeding a lot": an answer, not a negation
        if start - i <= window or following in raising:
            return True  # "no fever" / "I don't think I have a fever"
    return False


def _conditional(
    doc: Doc, start: int, clause_start: int, in_question: bool, ctx: dict[str, Any]
) -> bool:
    conditionals = ctx.get("conditionals", set())
    question_conditionals = ctx.get("question_conditionals", set())
    for i in range(clause_start, start):
        word = doc[i].lower_
        previous = doc[i - 1].lower_ if i > 0 else ""
        if word in conditionals:
            if word == "if" and previous in {"as", "like"}:
                continue  # "it feels as if ..."
            return True
        if word == "case" and previous == "in":
            return True
        if in_question and word in question_conditionals:
            return True
    return False


def _has_past_marker(
    doc: Doc, start: int, end: int, ctx: dict[str, Any], match: tuple[int, int] | None = None
) -> bool:
    """A past-time marker in the clause ("years ago", "last week") puts the match in the past,
    unless it is the start of a period lasting until now ("since last week", "for weeks now")
    or the clause moves on to now between the marker and the match ("I had the biopsy last
    week and now I have a fever")."""
    words = [doc[i].lower_ for i in range(start, end)]
    since = ctx.get("past_marker_since", set())
    present = ctx.get("present_markers", set())
    continuing = ctx.get("continuing_markers", set())
    for marker in ctx.get("past_markers", set()):
        size = len(marker)
        for i in range(len(words) - size + 1):
            if tuple(words[i : i + size]) != marker:
                continue
            if i > 0 and words[i - 1] in since:
                continue  # "since last week", "ever since as a child"
            if any(word in continuing for word in words[i + size :]):
                continue  # "my fever started last week and is still high"
            if match is not None:
                if match[0] <= start + i < match[1]:
                    continue  # "bleeding last week and it hasn't stopped"
                if start + i < match[0]:
                    between = words[i + size : match[0] - start]
                    if any(word in present for word in between):
                        continue  # "... last week and now I have a fever"
            return True
    return False


def _resolved(doc: Doc, end: int, clause_end: int, ctx: dict[str, Any]) -> bool:
    """'my fever went away', 'mum's fever has gone down now': the symptom is over (but not
    'pain going down my arm')."""
    not_before = ctx.get("resolved_not_before", set())
    stops = ctx.get("resolved_window_stop", set())
    words: list[str] = []
    for i in range(end, min(end + 6, clause_end)):  # up to 6 words, not past "and"
        if doc[i].lower_ in stops:
            break
        words.append(doc[i].lower_)
    for marker in ctx.get("resolved_after", set()):
        size = len(marker)
        for i in range(len(words) - size + 1):
            if tuple(words[i : i + size]) != marker:
                continue
            if i + size < len(words) and words[i + size] in not_before:
                continue
            return True
    return False


def _approximate_time(doc: Doc, i: int, ctx: dict[str, Any]) -> bool:
    """'about an hour', 'around 20 minutes': 'about' here is not 'asking about'."""
    units = ctx.get("time_units", set())
    following = [doc[j].lower_ for j in range(i + 1, min(i + 4, len(doc)))]
    if len(following) >= 2 and (following[0] in {"a", "an"} or following[0].isdigit()):
        return following[1] in units
    return False


def _inverted(doc: Doc, start: int, clause_start: int, ctx: dict[str, Any]) -> bool:
    """'will I have a fever', 'will blood gush out': an auxiliary right before the match, or
    before its subject ('will the dressing soak through', 'does the dressing get soaked').
    Not after 'why' ('why does it keep bleeding' asks about something that IS happening)."""
    subject = ctx.get("inverted_subject_words", set())
    i, steps = start - 1, 0
    while i >= clause_start and steps < 4 and doc[i].lower_ in subject:
        i, steps = i - 1, steps + 1
    if i < 0:
        return False
    aux = doc[i].lower_
    if aux not in ctx.get("inverted_before", set()):
        return False
    before = doc[i - 1].lower_ if i >= 1 else ""
    if before in ctx.get("presupposing_openers", set()) and aux in {"do", "does", "did"}:
        return False
    # "what should I do I have a fever": 'do' is the main verb of the earlier question.
    return before not in _SUBJECT_PRONOUNS


def _worried(doc: Doc, start: int, clause_start: int, ctx: dict[str, Any]) -> bool:
    worry = ctx.get("worry_before", set())
    reset = ctx.get("worry_reset", set())
    worried = False
    for i in range(clause_start, start):
        word = doc[i].lower_
        if word in worry:
            worried = True
        elif word in reset:
            worried = False
    return worried


def _counts(
    doc: Doc,
    start: int,
    end: int,
    kind: str,
    category: str,
    rules: _Rules,
    structure: _Structure,
    unless_next: frozenset[str] = frozenset(),
) -> bool:
    ctx = rules.context
    if end < len(doc) and doc[end].lower_ in ctx.get("not_followed_by", set()):
        return False
    if end < len(doc) and doc[end].lower_ in unless_next:
        return False
    following = end + int(end < len(doc) and doc[end].lower_ in ctx.get("object_determiners", ()))
    if following < len(doc) and doc[following].lower_ in ctx.get("not_followed_by_object", ()):
        return False  # "passed out the leaflets"
    clause = structure.clause_of[start]
    clause_start, clause_end = structure.clause_bounds[clause]
    sentence = structure.sentence_of[start]
    window = rules.negation_window.get(category, ctx.get("negation_window", 3))
    if _negated(doc, start, clause_start, window, ctx):
        return False
    if kind == ALWAYS:
        return True
    if _has_past_marker(doc, clause_start, clause_end, ctx, (start, end)):
        return False  # "my mum fainted during her biopsy years ago"
    if _resolved(doc, end, clause_end, ctx):
        return False  # "my fever went away"
    in_question = structure.sentence_question[sentence]
    if _conditional(doc, start, clause_start, in_question, ctx):
        return False
    if kind == REPORT:
        if _inverted(doc, start, clause_start, ctx):
            return False
        # "I'm worried my temp is 38.6": a measured number is a fact, not a worry.
        measured = any(ch.isdigit() for ch in doc[start:end].text)
        return measured or not _worried(doc, start, clause_start, ctx)
    # PHRASE
    if structure.clause_interrogative[clause]:
        return False
    before = ctx.get("hypothetical_before", set())
    if any(
        doc[i].lower_ in before and not _approximate_time(doc, i, ctx)
        for i in range(clause_start, start)
    ):
        return False
    after = ctx.get("hypothetical_after", set())
    if any(doc[i].lower_ in after for i in range(end, min(end + 3, clause_end))):
        return False
    if (
        structure.sentence_qmark[sentence]
        and not structure.sentence_question[sentence]
        and not structure.sentence_first_person[sentence]
        and (structure.clause_qmark[clause] or not structure.clause_statement[clause])
    ):
        # "heavy bleeding after a biopsy?", "fever after a biopsy, is that common?": a
        # search-style question; but "the site is oozing pus, is that normal?" is a statement
        # followed by a question.
        return False
    return True


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------


def detect_doc(doc: Doc, rules_path: str = str(RULES_FILE)) -> RedFlag | None:
    """Red flag in an already processed doc (lower-cased text, with lemmas), or ``None``."""
    if len(doc) == 0:
        return None
    matcher, rules = _matcher_for(doc.vocab, rules_path)
    structure = _structure(doc, rules.context)
    order = {category: i for i, category in enumerate(rules.categories)}
    best: tuple[int, int, int, RedFlag] | None = None
    for match_id, start, end in matcher(doc):
        rule = rules.rules[int(doc.vocab.strings[match_id])]
        if not _counts(
            doc, start, end, rule.kind, rule.category, rules, structure, rule.unless_next
        ):
            continue
        key = (order[rule.category], start, -(end - start))
        if best is None or key < best[:3]:
            best = (*key, RedFlag(rule.category, doc[start:end].text))
    return best[3] if best else None


def detect(text: str, nlp: Language | None = None) -> RedFlag | None:
    """The red flag in a patient's message, or ``None``.

    ``nlp`` defaults to the project's pipeline (``bot.nlp.get_pipeline()``), loaded once.
    """
    normalized = normalize_text(text)
    if not normalized.strip():
        return None
    if nlp is None:
        from bot.nlp import get_pipeline

        nlp = get_pipeline()
    return detect_doc(nlp(normalized))


def can_reuse_doc(doc: Any, text: str) -> bool:
    """True if a doc made elsewhere (e.g. Rasa's SpacyNLP) is what :func:`detect` would make."""
    try:
        return doc.text == normalize_text(text) and doc.has_annotation("LEMMA")
    except AttributeError:
        return False


def emergency_reply(
    flag: RedFlag | None, emergency_number: str = "911", crisis_line: str = "988"
) -> str:
    """The reply to a red flag: first line = call for help now; then one line of context."""
    category = flag.category if flag else ""
    if category == "suicidal":
        first = (
            f"If you are thinking about suicide or ending your life, please call or text "
            f"{crisis_line} now to talk to someone who can help. If you are in immediate "
            f"danger, call {emergency_number}."
        )
    else:
        first = f"Please call {emergency_number} now or go to the nearest emergency department."
    second = (
        "This assistant cannot help with emergencies. When you are safe, please also let "
        "your care team know."
    )
    return f"{first}\n{second}"


__all__ = [
    "CATEGORIES",
    "RULES_FILE",
    "RedFlag",
    "RulesError",
    "can_reuse_doc",
    "correct_word",
    "detect",
    "detect_doc",
    "emergency_reply",
    "load_rules",
    "normalize_text",
]

"""The rules file (bot/vocabulary/red_flags.yml) -> compiled spaCy token patterns."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from spacy.matcher import Matcher
    from spacy.vocab import Vocab

from bot.redflags.model import ALWAYS, CATEGORIES, PHRASE, REPORT, RULES_FILE, RulesError
from bot.redflags.typos import _correct, _Typos

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
        elif key in ("past_markers", "resolved_after", "resolved_across_markers",
                     "resolved_all_clear", "presupposing_questions",
                     "conditional_present", "conditional_future", "near_miss_reactions",
                     "past_markers_at_end", "other_test_markers", "own_test_markers",
                     "story_present_markers", "investigated_before", "anxious_states",
                     "chronic_markers", "investigated_after",
                     "minimized_before", "hypothetical_phrases_before",
                     "how_often_after", "test_wanted_connectors",
                     "hearsay_phrases_before"):
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


# --------------------------------------------------------------------------------------------
# Only the rules a message can match: each rule is filed under the words of one of its required
# tokens (the one with the fewest), and a message runs the rules filed under its own words, plus
# the rules no word can file (a regular expression or "any word but" in every required token).
# The matches are those of all the rules run together (tests/unit/test_redflags.py compares them).
# --------------------------------------------------------------------------------------------

_KEYED_ATTRS = ("LOWER", "LEMMA")


def _token_keys(token: dict[str, Any]) -> frozenset[tuple[str, str]] | None:
    """The (attribute, value) pairs one of which a required token must have; None when any word
    (or a regular expression) can fill it."""
    for attr in _KEYED_ATTRS:
        value = token.get(attr)
        if isinstance(value, str):
            return frozenset({(attr, value)})
        if isinstance(value, dict) and set(value) == {"IN"}:
            return frozenset((attr, str(v)) for v in value["IN"])
    return None


def _trigger(tokens: list[dict[str, Any]]) -> frozenset[tuple[str, str]] | None:
    """The smallest key set among a rule's required tokens (None: the rule always runs)."""
    keyed = [keys for token in tokens if token.get("OP") not in ("?", "*")
             if (keys := _token_keys(token)) is not None]
    return min(keyed, key=len) if keyed else None


@dataclass
class _Filed:
    """The rules filed by word, each word's own Matcher, and the rules that always run."""

    by_key: dict[tuple[str, str], Matcher]
    always: Matcher | None


def _file(vocab: Vocab, rules: _Rules) -> _Filed:
    from spacy.matcher import Matcher

    filed: dict[tuple[str, str], list[int]] = {}
    always: list[int] = []
    for index, rule in enumerate(rules.rules):
        trigger = _trigger(rule.tokens)
        if trigger is None:
            always.append(index)
            continue
        for key in trigger:
            filed.setdefault(key, []).append(index)

    def matcher_of(indices: list[int]) -> Matcher:
        matcher = Matcher(vocab, validate=True)
        for index in indices:
            matcher.add(f"{index}", [rules.rules[index].tokens])
        return matcher

    return _Filed({key: matcher_of(indices) for key, indices in filed.items()},
                  matcher_of(always) if always else None)


def matches(doc: Any, rules_path: str = str(RULES_FILE)) -> tuple[list[tuple[int, int, int]],
                                                                 _Rules]:
    """The rules' matches in ``doc`` as (match id, start, end), each once, in order, and the
    rules; the same as one Matcher of every rule would find."""
    _, rules, filed = _compiled(doc.vocab, rules_path)
    keys = {("LOWER", token.lower_) for token in doc} | {("LEMMA", token.lemma_) for token in doc}
    found: set[tuple[int, int, int]] = set()
    for key in keys:
        matcher = filed.by_key.get(key)
        if matcher is not None:
            found.update(matcher(doc))
    if filed.always is not None:
        found.update(filed.always(doc))
    return sorted(found, key=lambda m: (m[1], m[2], m[0])), rules


_MATCHERS: dict[int, tuple[Vocab, _Rules, _Filed]] = {}
_MATCHERS_LOCK = threading.Lock()


def _matcher_for(vocab: Vocab, rules_path: str = str(RULES_FILE)) -> tuple[Matcher, _Rules]:
    """One Matcher of every rule, and the rules (for tools and tests: :func:`matches` finds the
    same matches running only the rules a message can match)."""
    from spacy.matcher import Matcher

    _, rules, _ = _compiled(vocab, rules_path)
    matcher = Matcher(vocab, validate=True)
    for index, rule in enumerate(rules.rules):
        matcher.add(f"{index}", [rule.tokens])
    return matcher, rules


def _compiled(vocab: Vocab, rules_path: str) -> tuple[Vocab, _Rules, _Filed]:
    key = id(vocab)
    with _MATCHERS_LOCK:
        cached = _MATCHERS.get(key)
        if cached is not None and cached[0] is vocab and cached[1] is load_rules(rules_path):
            return cached
        rules = load_rules(rules_path)
        _MATCHERS[key] = (vocab, rules, _file(vocab, rules))
        return _MATCHERS[key]

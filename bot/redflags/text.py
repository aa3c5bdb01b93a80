"""Text normalisation (typos, glued punctuation) and clause structure: where a clause starts and
what it is about.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc

from bot.redflags.model import RULES_FILE
from bot.redflags.patterns import load_rules
from bot.redflags.typos import _correct

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
# "can't stay awake", "wont stop seeping", "cannot stand up": a negated modal whose subject was
# left out (texting) tells, it does not ask; "can't I eat before?" (a subject, or "?") asks
_NEGATED_MODALS = {"ca", "can", "wo"}
_NEGATIONS = {"n't", "nt", "not"}
_SUBJECTS = _SUBJECT_PRONOUNS - {"to"} | {"this", "that", "there", "my", "your", "his", "her",
                                          "our", "their", "the", "a", "an", "ya", "y'all"}


# "biopsy,now" / "fever?im" / "hip.it": a space after punctuation glued to the next word (not in
# numbers such as "38,5" or "38.5", nor in "e.g").
_GLUED = re.compile(r"([,;:!?])(?=[a-z])|(?<=[a-z])[,:](?=[0-9])|(?<=[a-z]{2})\.(?=[a-z]{2})")
_SHORTHAND_TOKEN = re.compile(r"(?<![\w'/])[a-z0-9]+(?:/[a-z]*)?(?![\w/]|'[a-z])")
_FUZZY_TOKEN = re.compile(r"(?<![a-z0-9'])[a-z]{4,}(?![a-z0-9]|'[a-z])")




def correct_word(word: str, rules_path: str = str(RULES_FILE)) -> str:
    """The key word a misspelt word stands for ("feverr" -> "fever"), else the word itself."""
    return _correct(word, load_rules(rules_path).typos)




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
    sentence_presupposes: list[bool]
    clause_first: list[int]  # index of the first non-filler token (or clause end)
    clause_qmark: list[bool]  # the "?" of the sentence is in this clause
    clause_statement: list[bool]  # the clause has a verb of a statement ("is", "has", "keeps")


# "is it normal that your chest hurts after a sternal tap?": about anyone, not a fact
_GENERIC = frozenset({"your", "you", "people", "someone", "anyone", "patients", "one", "a"})


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

    def told_without_subject(i: int, end: int) -> bool:
        if (doc[i].lower_ not in _NEGATED_MODALS or i + 2 >= end
                or doc[i + 1].lower_ not in _NEGATIONS or doc[i + 2].lower_ in _SUBJECTS):
            return False
        clause_end = next((j for j in range(i, end) if _is_clause_break(doc[j], doc)), end)
        return not any("?" in doc[j].text for j in range(i, min(clause_end + 1, end)))

    def is_opener(i: int, end: int) -> bool:
        if i >= end or doc[i].lower_ not in openers or told_without_subject(i, end):
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

    presupposing = ctx.get("presupposing_questions", set())

    def presupposes(first: int, end: int) -> bool:
        """'is it normal that he's bled through 3 dressings?', 'should I be worried that I
        can't catch my breath?': the question takes what follows as a fact."""
        words = [doc[i].lower_ for i in range(first, min(first + 7, end))]
        return any(
            tuple(words[: len(seq)]) == seq
            and (len(words) <= len(seq) or words[len(seq)] not in _GENERIC)
            for seq in presupposing
        )

    sentence_question, sentence_qmark, sentence_fp, sentence_presupposes = [], [], [], []
    for start, end in sentence_bounds:
        first = first_content(start, end)
        fact = presupposes(first, end)
        sentence_presupposes.append(fact)
        sentence_question.append(is_opener(first, end) and not fact)
        sentence_qmark.append(any("?" in doc[i].text for i in range(start, end)))
        # what such a question takes as a fact is reported by the writer
        sentence_fp.append(fact or any(doc[i].lower_ in first_person for i in range(start, end)))

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
        interrogative = (is_opener(first, end) and not presupposes(first, end)) or (
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
        sentence_presupposes=sentence_presupposes,
        clause_first=clause_first,
        clause_qmark=clause_qmark,
        clause_statement=clause_statement,
    )


def _has_words(words: list[str], markers: set[tuple[str, ...]]) -> bool:
    return any(
        tuple(words[i : i + len(marker)]) == marker
        for marker in markers
        for i in range(len(words) - len(marker) + 1)
    )

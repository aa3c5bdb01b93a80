"""The public API: detect a red flag in a message (or a parsed doc) and the emergency reply."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language
    from spacy.tokens import Doc

from bot.redflags.matcher import _counts, about_someone_elses_test
from bot.redflags.model import ALWAYS, RULES_FILE, RedFlag
from bot.redflags.patterns import matches
from bot.redflags.text import _structure, normalize_text
from bot.redflags.timing import ONSET
from bot.replies import templates

# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------


def detect_doc(doc: Doc, rules_path: str = str(RULES_FILE)) -> RedFlag | None:
    """Red flag in an already processed doc (lower-cased text, with lemmas), or ``None``."""
    if len(doc) == 0:
        return None
    found, rules = matches(doc, rules_path)
    structure = _structure(doc, rules.context)
    order = {category: i for i, category in enumerate(rules.categories)}
    best: tuple[int, int, int, RedFlag] | None = None
    onset = bool(ONSET.search(doc.text))
    story = about_someone_elses_test(doc, rules.context)
    for match_id, start, end in found:
        rule = rules.rules[int(doc.vocab.strings[match_id])]
        if story and rule.kind != ALWAYS:
            continue  # "my dad bled a lot after his, should I be worried for mine?"
        if not _counts(
            doc, start, end, rule.kind, rule.category, rules, structure, rule.unless_next, onset
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
    wording = templates()
    first = wording["emergency_suicidal" if flag and flag.category == "suicidal" else "emergency"]
    values = {"emergency_number": emergency_number, "crisis_line": crisis_line}
    return f"{first.format(**values)}\n{wording['emergency_context']}"

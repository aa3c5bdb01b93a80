"""``ProcedureEntities`` goes right after ``SpacyEntityExtractor``: it rewrites every ``procedure``
entity to its canonical id (``"the BMA"`` -> ``aspiration``), so that the ``procedure`` slot's
``from_entity`` mapping in domain.yml remembers the test from *any* turn that names it (a
greeting, a statement, a clinic question), and adds the entity when the text names a procedure
that the entity ruler missed (a longer lay phrase won)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.components.common import (
    COMPARED_PROCEDURE_ENTITY,
    OTHER_PROCEDURE_ENTITY,
    PROCEDURE_ENTITY,
    Stateless,
)
from bot.nlp import DEFAULT_MODEL_PATH, get_pipeline, pipeline_procedures
from bot.procedures import ProcedureVocabulary
from bot.rare_words import common_words, one_edit

# "the biopsy, not the aspiration" / "it's a BMB rather than a BMA": a procedure right after one
# of these is the one the patient is NOT having; it is dropped when another procedure is named.
_NEGATION_BEFORE = re.compile(
    r"(?:\bnot|\bno|n't|\bnever|\brather\s+than|\binstead\s+of|\bwithout|\bexcept)"
    r"(?:\s+(?:a|an|the|just|only|any|having|doing|getting))*\s*$",
    re.IGNORECASE,
)


def _without_negated_procedures(text: str, entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    procedures = [e for e in entities if e.get("entity") == PROCEDURE_ENTITY and "start" in e]
    negated = [e for e in procedures if _NEGATION_BEFORE.search(text[: int(e["start"])])]
    if not negated or len(negated) == len(procedures):
        return entities
    values = {e["value"] for e in procedures if e not in negated}
    return [e for e in entities if e not in negated and not (
        e.get("entity") == PROCEDURE_ENTITY and e.get("value") not in values)]


# "mine is the biopsy, will they do the liquid one as well": the test right after one of these
# is the patient's own; another test named beside it (not compared with it) is dropped
_OWN_BEFORE = re.compile(
    r"\b(?:mine|hers|his|theirs|ours)(?:'s|\u2019s|s|\s+is|\s+was|\s+will\s+be)\s+(?:(?:a|an|the|just|"
    r"only)\s+)*$", re.IGNORECASE)
_COMPARING = re.compile(r"\b(?:differ\w*|compar\w*|vs|versus|than|same\s+as|worse|better|"
                        r"instead)\b", re.IGNORECASE)


def _own_procedure_only(text: str, entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    procedures = [e for e in entities if e.get("entity") == PROCEDURE_ENTITY and "start" in e]
    own = {e["value"] for e in procedures if _OWN_BEFORE.search(text[: int(e["start"])])}
    if len(own) != 1 or _COMPARING.search(text):
        return entities
    return [e for e in entities if not (e.get("entity") == PROCEDURE_ENTITY
                                        and e.get("value") not in own)]


# "I had a lump in my breast biopsied last year": another organ's biopsy (the organs of
# lay_terms.yml's other_biopsy), told as context; the test discussed is not changed by it
_ORGANS = (r"breast|liver|skin|kidney|lung|prostate|lymph|node|gland|thyroid|cervix|muscle|bowel|"
           r"stomach|brain|colon|nerve|heart|tonsils?|mouth|mole|womb|testicle")
_ANOTHER_ORGAN_BEFORE = re.compile(
    rf"\b(?:{_ORGANS}|lump|cervical)\b(?:\s+\w+){{0,4}}\s*$", re.IGNORECASE)
_BIOPSIED = re.compile(r"biopsied|biopsed", re.IGNORECASE)
# "can a needle aspiration drain a breast cyst", "a biopsy of the thyroid": the procedure's
# object is another organ (session 19, tests/dev/blind65)
_ANOTHER_ORGAN_AFTER = re.compile(
    r"^\s+(?:to\s+)?(?:of|on|from|drain|drains|draining|into)\s+(?:(?:a|an|the|my|his|her|their|your)"
    rf"\s+)?(?:\w+\s+)?(?:{_ORGANS}|cysts?|lungs|knee|joint|abscess|abdomen|tummy|belly)\b",
    re.IGNORECASE)
_MARROW_WORDS = re.compile(r"\b(?:marrow|bone|bones)\b", re.IGNORECASE)


def _of_another_organ(text: str, e: dict[str, Any]) -> bool:
    start, end = int(e["start"]), int(e["end"])
    if _BIOPSIED.fullmatch(text[start:end]):
        return bool(_ANOTHER_ORGAN_BEFORE.search(text[:start]))
    after = _ANOTHER_ORGAN_AFTER.match(text[end:])
    return bool(after) and not _MARROW_WORDS.search(text[start:end] + after.group(0))


def _another_organ_biopsied(text: str, entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**e, "entity": OTHER_PROCEDURE_ENTITY}
            if e.get("entity") == PROCEDURE_ENTITY and "start" in e and "end" in e
            and _of_another_organ(text, e) else e
            for e in entities]


# "will it hurt more than the aspiration did": the only test named is what the test discussed is
# compared with, not the test asked about; it is kept as ``compared_procedure`` (no slot fills
# from it), so the conversation stays on the test discussed
_BASELINE_BEFORE = re.compile(
    r"\bthan(?:\s+(?:a|an|the|my|his|her|their|your|last|that|this))*\s*$",
    re.IGNORECASE,
)


def _as_compared(text: str, entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    procedures = [e for e in entities if e.get("entity") == PROCEDURE_ENTITY]
    if len({e.get("value") for e in procedures}) != 1 or not all(
            "start" in e and _BASELINE_BEFORE.search(text[: int(e["start"])]) for e in procedures):
        return entities
    return [{**e, "entity": COMPARED_PROCEDURE_ENTITY} if e in procedures else e for e in entities]


# "wat hapens in a bone marow aspirashun", "trephene": a test's one-word name typed with one slip
# (a letter added, dropped, changed or two swapped; "-shun" for "-tion"), when the word is not a
# common English word, is that test named
MIN_TYPO_NAME_LENGTH = 6
_WORD = re.compile(rf"[a-z]{{{MIN_TYPO_NAME_LENGTH},}}")
_SOUNDS_LIKE = re.compile(r"(?:shun|shon|tian)$")


@lru_cache(maxsize=4)
def _one_word_names(procedures: ProcedureVocabulary) -> dict[str, str]:
    return {term: procedure.id for procedure in procedures.procedures for term in procedure.terms
            if " " not in term and len(term) >= MIN_TYPO_NAME_LENGTH}


@lru_cache(maxsize=1)
def procedure_vocabulary() -> ProcedureVocabulary:
    """The saved spaCy pipeline's procedure vocabulary (read once per process)."""
    return pipeline_procedures(get_pipeline(DEFAULT_MODEL_PATH))


# "bone marow aspirashun": the marrow words before a misspelt name are part of it
_MARROW_BEFORE = re.compile(r"(?:\b(?:bone\s+)?ma?rr?ow?\s+)$", re.IGNORECASE)


def with_marrow_words(text: str, start: int) -> int:
    """Where a test's name starts once the marrow words typed before it are counted ("bone marow
    aspiraton", where the entity ruler knows "aspiraton")."""
    before = _MARROW_BEFORE.search(text[:start])
    return before.start() if before else start


@lru_cache(maxsize=256)
def typo_span(text: str, procedures: ProcedureVocabulary) -> tuple[int, int, str] | None:
    """Where ``text`` names a test with a typo: ``(start, end, id)``, or None (cached: the
    featurizer and the classifier read the same message)."""
    names = _one_word_names(procedures)
    common = common_words()
    for found in _WORD.finditer(text.lower()):
        word = found.group(0)
        if word in common or word in names:
            continue  # a name as written is the entity ruler's (or part of another test's name)
        heard = _SOUNDS_LIKE.sub("tion", word)
        ids = {value for name, value in names.items() if one_edit(heard, name)}
        if len(ids) == 1:
            return with_marrow_words(text, found.start()), found.end(), ids.pop()
    return None


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class ProcedureEntities(Stateless, EntityExtractorMixin):
    """``procedure`` entities with canonical values; a procedure the text names is never lost.

    The names come from the saved spaCy pipeline's procedure vocabulary, which ``prepare``
    builds from the knowledge base in use: a leaflet added for another test is recognised
    without retraining."""

    @property
    def procedures(self) -> ProcedureVocabulary:
        """Read once per process from the pipeline's meta (the pipeline is loaded once too)."""
        return procedure_vocabulary()

    def process(self, messages: list[Message]) -> list[Message]:
        procedures = self.procedures
        for message in messages:
            entities = list(message.get(ENTITIES) or [])
            kept: list[dict[str, Any]] = []
            for entity in entities:
                if entity.get("entity") == PROCEDURE_ENTITY:
                    value = procedures.normalize(str(entity.get("value") or ""))
                    if value is None:
                        continue
                    entity = {**entity, "value": value}
                kept.append(entity)
            kept = _without_negated_procedures(str(message.get(TEXT) or ""), kept)
            kept = _own_procedure_only(str(message.get(TEXT) or ""), kept)
            names = {e.get("entity") for e in kept}
            text = message.get(TEXT)
            if not names & {PROCEDURE_ENTITY, OTHER_PROCEDURE_ENTITY} and text:
                found = procedures.span(str(text)) or typo_span(str(text), procedures)
                if found is not None:
                    start, end, value = found
                    kept.append(
                        {"entity": PROCEDURE_ENTITY, "value": value, "start": start,
                         "end": end, "extractor": self.__class__.__name__}
                    )
            kept = [{**e, "start": with_marrow_words(str(text), int(e["start"]))}
                    if e.get("entity") == PROCEDURE_ENTITY and "start" in e and text else e
                    for e in kept]
            kept = _another_organ_biopsied(str(text or ""), kept)
            kept = _as_compared(str(text or ""), kept)
            if kept != entities:
                message.set(ENTITIES, kept, add_to_output=True)
        return messages

"""The tests the assistant can answer about, and the names patients use for them: data, not code.

Every test leaflet in the knowledge base declares the procedure it describes
(:class:`bot.knowledge.Document`: ``procedure`` id, ``procedure_name``, ``procedure_aliases``).
:mod:`bot.ingest` fills those from the page itself (its title and the MedlinePlus "Alternative
Names" section, see :func:`names_from_alternative_names`) plus the additions in the documents
folder's ``sources.yml`` (lay names, abbreviations, typos). This module turns a knowledge base into
the :class:`ProcedureVocabulary` that everything else uses:

* the spaCy entity ruler's ``procedure`` patterns (:mod:`bot.nlp`; the vocabulary is saved in the
  pipeline's meta, so the NLU components read the same table);
* the normaliser that maps "the BMA", "bone marow biopsy" or "LP" to a procedure id
  (:meth:`ProcedureVocabulary.normalize`), in the NLU components and in the answering action;
* the "which test?" buttons and the greeting's list of tests (:mod:`actions.answer`,
  :mod:`bot.replies`), restricted to the tests the clinic offers (profile ``procedures``).

Standard library only: the action server imports it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from bot.knowledge import KnowledgeBase

# Section topics that only a test leaflet has: a document with one of them and no procedure set in
# sources.yml describes a test, named after its title.
TEST_LEAFLET_TOPICS = frozenset({"how_performed", "preparation", "sensation"})

# Words dropped from the front of a phrase before looking it up ("the BMA", "my biopsy").
_LEADING_WORDS = frozenset(
    {"the", "a", "an", "my", "your", "this", "that", "his", "her", "their", "our"}
)


def normalize_surface(text: str) -> str:
    """Lower case, dashes and slashes as spaces, other punctuation dropped, single spaces."""
    text = str(text).lower().replace("\u2019", "'")
    text = re.sub(r"[-_/]", " ", text)
    text = re.sub(r"[^\w\s']", " ", text)
    return " ".join(text.split())


def names_from_alternative_names(text: str, title: str) -> list[str]:
    """The names of the test in a MedlinePlus "Alternative Names" paragraph.

    The entries are separated by ";" (or line breaks). MedlinePlus writes two kinds of "A - B"
    entry: an inverted name ("Biopsy - bone marrow" is "bone marrow biopsy") and a condition the
    test is done for ("Leukemia - bone marrow aspiration", where B is the test's own name). The
    first is turned round; the second is not a name of the test and is left out.
    """
    own = normalize_surface(title)
    names: list[str] = []
    for entry in re.split(r"[;\n]|\u2022", text):
        entry = entry.strip(" .,*-\t")
        if not entry:
            continue
        if " - " in entry:
            first, _, second = entry.partition(" - ")
            if normalize_surface(second) == own or normalize_surface(second) in names:
                continue  # "Leukemia - bone marrow aspiration"
            entry = f"{second} {first}"  # "Biopsy - bone marrow" -> "bone marrow biopsy"
        name = normalize_surface(entry)
        if name and name not in names:
            names.append(name)
    return names


@dataclass(frozen=True)
class Procedure:
    """One test: its id (the ``procedure`` slot value), display name and every name for it."""

    id: str
    name: str  # lower case, as used in a sentence: "bone marrow biopsy"
    terms: tuple[str, ...] = ()  # normalised (normalize_surface), the name first

    @property
    def title(self) -> str:
        """The name as a button title: "Bone marrow biopsy"."""
        return self.name[:1].upper() + self.name[1:]


@dataclass(frozen=True)
class ProcedureVocabulary:
    """The procedures in order, and a lookup from every name to its procedure id.

    A name claimed by two procedures stays with the first (document order); ``conflicts``
    lists the names the later ones lost, so ingestion can report them.
    """

    procedures: tuple[Procedure, ...] = ()
    conflicts: tuple[tuple[str, str, str], ...] = field(default=(), compare=False)

    # ---- building ----------------------------------------------------------------------------

    @classmethod
    def from_procedures(cls, procedures: Iterable[Procedure]) -> ProcedureVocabulary:
        owner: dict[str, str] = {}
        merged: dict[str, Procedure] = {}
        conflicts: list[tuple[str, str, str]] = []
        for procedure in procedures:
            kept: list[str] = list(merged[procedure.id].terms) if procedure.id in merged else []
            for term in (procedure.name, procedure.id.replace("-", " "), *procedure.terms):
                term = normalize_surface(term)
                if not term:
                    continue
                if owner.setdefault(term, procedure.id) != procedure.id:
                    conflicts.append((term, owner[term], procedure.id))
                    continue
                if term not in kept:
                    kept.append(term)
            name = merged[procedure.id].name if procedure.id in merged else procedure.name
            merged[procedure.id] = Procedure(procedure.id, name, tuple(kept))
        return cls(tuple(merged.values()), tuple(conflicts))

    @classmethod
    def from_knowledge_base(
        cls, kb: KnowledgeBase, offered: Iterable[str] | None = None
    ) -> ProcedureVocabulary:
        """The procedures of ``kb``'s documents, in document order (only ``offered`` ones, when
        a list is given)."""
        wanted = None if offered is None else set(offered)
        return cls.from_procedures(
            Procedure(d.procedure, d.procedure_name or d.procedure, d.procedure_aliases)
            for d in kb.documents
            if d.procedure and (wanted is None or d.procedure in wanted)
        )

    def to_dict(self) -> dict[str, Any]:
        return {p.id: {"name": p.name, "terms": list(p.terms)} for p in self.procedures}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> ProcedureVocabulary:
        return cls.from_procedures(
            Procedure(str(pid), str(entry.get("name") or pid), tuple(entry.get("terms") or ()))
            for pid, entry in (data or {}).items()
        )

    # ---- lookups -----------------------------------------------------------------------------

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.procedures)

    def get(self, procedure_id: str | None) -> Procedure | None:
        for procedure in self.procedures:
            if procedure.id == procedure_id:
                return procedure
        return None

    def name(self, procedure_id: str | None, default: str = "test") -> str:
        procedure = self.get(procedure_id)
        return procedure.name if procedure else default

    def names_text(self, conjunction: str = "and") -> str:
        """"bone marrow aspiration, bone marrow biopsy and lumbar puncture"."""
        names = [p.name for p in self.procedures]
        if len(names) < 2:
            return "".join(names) or "your test"
        return ", ".join(names[:-1]) + f" {conjunction} " + names[-1]

    def normalize(self, text: str | None) -> str | None:
        """Any way of writing a procedure -> its id, else None.

        An exact name wins (after dropping "the", "my"...); otherwise the first, longest name
        found inside the text, so "the sternal tap tomorrow" gives the aspiration's id.
        """
        if not text:
            return None
        table, pattern = _lookup(self)
        surface = normalize_surface(text)
        if not surface:
            return None
        if surface in table:
            return table[surface]
        words = surface.split()
        while words and words[0] in _LEADING_WORDS:
            words = words[1:]
        stripped = " ".join(words)
        if stripped in table:
            return table[stripped]
        found = pattern.search(surface) if pattern is not None else None
        return table[found.group(0)] if found else None

    def named(self, text: str | None) -> list[str]:
        """Every procedure ``text`` names, in order of first mention, each once."""
        table, pattern = _lookup(self)
        if pattern is None or not text:
            return []
        found = (table[m.group(0)] for m in pattern.finditer(normalize_surface(text)))
        return list(dict.fromkeys(found))

    def span(self, text: str | None) -> tuple[int, int, str] | None:
        """Where ``text`` names a procedure: ``(start, end, id)``, or None.

        Offsets point into ``text``; when they cannot be mapped back (the text changes length
        when lower-cased), the whole text is the span.
        """
        table, pattern = _lookup(self)
        if pattern is None or not text:
            return None
        surface = text.lower().replace("\u2019", "'")
        surface = re.sub(r"[^\w\s']", " ", re.sub(r"[-_/]", " ", surface))
        if len(surface) == len(text):
            found = pattern.search(surface)
            if found is not None:
                return found.start(), found.end(), table[found.group(0)]
        value = self.normalize(text)
        return (0, len(text), value) if value else None


@lru_cache(maxsize=16)
def _lookup(vocabulary: ProcedureVocabulary) -> tuple[dict[str, str], re.Pattern[str] | None]:
    table: dict[str, str] = {}
    for procedure in vocabulary.procedures:
        for term in procedure.terms:
            table.setdefault(term, procedure.id)
    if not table:
        return table, None
    alternatives = sorted(table, key=len, reverse=True)  # longest first
    return table, re.compile(r"\b(?:" + "|".join(re.escape(a) for a in alternatives) + r")\b")

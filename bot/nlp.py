"""The project's own spaCy pipeline, built from the knowledge base's procedures and the
vocabulary files in bot/vocabulary/.

No pretrained spaCy model is needed (none can be downloaded here). The pipeline is
``spacy.blank("en")`` plus

* a lookup lemmatizer whose tables come from the ``spacy-lookups-data`` package and are saved
  inside the model (so loading it later does not need that package), and
* an ``entity_ruler`` with case-insensitive token patterns (``LOWER`` per token):
  label ``procedure`` (pattern id: the procedure id, every name the knowledge base gives the test,
  see bot/procedures.py), ``body_site`` (id ``hip`` / ``sternum`` / ``shin``) and the labels of
  ``lay_terms.yml``. The procedure vocabulary is also kept in the pipeline's meta
  (:func:`pipeline_procedures`), so the NLU components normalise with exactly the same names.

Command line::

    python -m bot.nlp build  [--output build/spacy_model] [--knowledge KB.yml]  # always
    python -m bot.nlp ensure [--output build/spacy_model] [--knowledge KB.yml]  # when stale

The saved directory holds a ``fingerprint`` file (hash of the vocabulary files, the procedures,
this module, and the spaCy / spacy-lookups-data versions), so :func:`ensure_pipeline` can skip
rebuilding. The Rasa model does not depend on the procedure names (the classifier sees every
procedure as "test", see bot/featurizers.py), so adding a leaflet rebuilds this pipeline only.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot import PROJECT_ROOT
from bot.fingerprint import files_digest
from bot.procedures import ProcedureVocabulary

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language

VOCAB_DIR = Path(__file__).resolve().parent / "vocabulary"
DEFAULT_MODEL_PATH = PROJECT_ROOT / "build" / "spacy_model"
FINGERPRINT_FILE = "fingerprint"

PROCEDURE_LABEL = "procedure"
OTHER_PROCEDURE_LABEL = "other_procedure"
BODY_SITE_LABEL = "body_site"
PROCEDURES_META = "procedures"

# The files the entity ruler is built from besides the knowledge base's procedures, in this order.
ENTITY_VOCABULARY_FILES = ("body_sites.yml", "lay_terms.yml")

PIPELINE_NAME = "bone_marrow_assistant"
PIPELINE_VERSION = "1.0.0"


class VocabularyError(ValueError):
    """A vocabulary file is malformed (wrong shape, or a term listed twice)."""


# --------------------------------------------------------------------------------------------
# Vocabulary files (YAML only, no spaCy)
# --------------------------------------------------------------------------------------------


def _load_yaml(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    try:
        import yaml
    except ImportError:  # pragma: no cover - the action server may only have ruamel
        from ruamel.yaml import YAML

        return YAML(typ="safe", pure=True).load(text)
    return yaml.safe_load(text)


def _clean_term(term: Any) -> str:
    return " ".join(str(term).lower().split())


def load_vocabulary_file(path: Path) -> dict[str, dict[str, list[str]]]:
    """Read one vocabulary file: ``{label: {id: [terms, ...]}}`` with lower-cased terms."""
    data = _load_yaml(path) or {}
    if not isinstance(data, dict):
        raise VocabularyError(f"{path}: expected 'label: {{id: [terms]}}' at the top level")
    vocabulary: dict[str, dict[str, list[str]]] = {}
    for label, entries in data.items():
        if not isinstance(entries, dict):
            raise VocabularyError(f"{path}: under '{label}', expected 'id: [terms]'")
        vocabulary[str(label)] = {}
        for entry_id, terms in entries.items():
            if not isinstance(terms, list) or not terms:
                raise VocabularyError(f"{path}: '{label}.{entry_id}' needs a list of terms")
            cleaned: list[str] = []
            for term in terms:
                text = _clean_term(term)
                if text and text not in cleaned:
                    cleaned.append(text)
            vocabulary[str(label)][str(entry_id)] = cleaned
    return vocabulary


def load_vocabulary(vocab_dir: Path = VOCAB_DIR) -> dict[str, dict[str, list[str]]]:
    """All entity vocabulary: ``{label: {id: [terms]}}``. Raises if a term has two meanings."""
    merged: dict[str, dict[str, list[str]]] = {}
    owner: dict[str, tuple[str, str]] = {}
    for name in ENTITY_VOCABULARY_FILES:
        path = vocab_dir / name
        for label, entries in load_vocabulary_file(path).items():
            target = merged.setdefault(label, {})
            for entry_id, terms in entries.items():
                bucket = target.setdefault(entry_id, [])
                for term in terms:
                    previous = owner.get(term)
                    if previous is not None and previous != (label, entry_id):
                        raise VocabularyError(
                            f"'{term}' is listed as {previous[0]}/{previous[1]} and as "
                            f"{label}/{entry_id} ({path.name}); keep it in one place"
                        )
                    owner[term] = (label, entry_id)
                    if term not in bucket:
                        bucket.append(term)
    return merged


def entity_patterns(
    procedures: ProcedureVocabulary, vocab_dir: Path = VOCAB_DIR
) -> list[dict[str, str]]:
    """The entity ruler's phrase patterns: ``{"label", "pattern", "id"}``, one per term.

    The knowledge base's procedures come first and win: a name of a test the clinic has a
    leaflet for ("lumbar puncture") is that procedure, not an ``other_procedure`` to decline."""
    patterns = [
        {"label": PROCEDURE_LABEL, "pattern": term, "id": procedure.id}
        for procedure in procedures.procedures
        for term in procedure.terms
    ]
    taken = {entry["pattern"] for entry in patterns}
    vocabulary = load_vocabulary(vocab_dir)
    listed = {term for entries in vocabulary.values() for terms in entries.values()
              for term in terms}
    others = []
    for label, entries in vocabulary.items():
        for entry_id, terms in entries.items():
            for term in terms:
                # "do they do the same for skin biopsies": another test named in the plural;
                # "a needle biopsy of the breast": the organ after the test
                variants = ([_plural(term), *_organ_after(term)]
                            if label == OTHER_PROCEDURE_LABEL else [])
                others += [{"label": label, "pattern": form, "id": entry_id}
                           for form in [term, *variants]
                           if form and form not in taken and (form == term or form not in listed)]
    return patterns + others


_NOT_AN_ORGAN = frozenset({"core", "needle", "fine", "punch"})
_ORGAN_LINKS = ("of the", "of my", "of his", "of her", "on the", "on my", "on his", "on her",
                "from the", "from my", "from his", "from her")


def _organ_after(term: str) -> list[str]:
    """"lung biopsy" -> "biopsy of the lung", "biopsy on her lung", ... (the test, a link and the
    organ); nothing for a term that is not "<organ> biopsy"."""
    *organ, last = term.split(" ")
    if (not organ or last != "biopsy" or not all(word.isalpha() for word in organ)
            or _NOT_AN_ORGAN & set(organ) or organ[-1].endswith("al")):
        return []  # "punch biopsy", "core needle biopsy", "renal biopsy" (an adjective)
    return [f"biopsy {link} {' '.join(organ)}" for link in _ORGAN_LINKS]


def _plural(term: str) -> str | None:
    """"skin biopsy" -> "skin biopsies", "bone scan" -> "bone scans"; None for one word or a
    last word that already ends in "s"."""
    *first, last = term.split(" ")
    if not first or last.endswith("s") or not last.isalpha():
        return None
    last = last[:-1] + "ies" if last.endswith("y") and last[-2:-1] not in "aeiou" else last + "s"
    return " ".join([*first, last])


def token_patterns(nlp: Language, patterns: list[dict[str, str]]) -> list[dict[str, Any]]:
    """Turn phrase patterns into case-insensitive token patterns (``LOWER`` per token).

    Token patterns are tokenized once here with the pipeline's own tokenizer, so loading the
    saved model does not re-run the pipeline over every phrase.
    """
    converted = []
    for entry in patterns:
        tokens = [{"LOWER": token.lower_} for token in nlp.make_doc(entry["pattern"])]
        converted.append({"label": entry["label"], "pattern": tokens, "id": entry["id"]})
    return converted


# --------------------------------------------------------------------------------------------
# Procedures (from the knowledge base, no spaCy)
# --------------------------------------------------------------------------------------------


def knowledge_procedures(knowledge: Path | None = None) -> ProcedureVocabulary:
    """The procedures of the knowledge base at ``knowledge`` (default: the committed one)."""
    from bot.knowledge import DEFAULT_PATH, KnowledgeBase

    return KnowledgeBase.load(Path(knowledge) if knowledge else DEFAULT_PATH).procedures()


def pipeline_procedures(nlp: Language) -> ProcedureVocabulary:
    """The procedure vocabulary a pipeline was built with (kept in its meta)."""
    return ProcedureVocabulary.from_dict(nlp.meta.get(PROCEDURES_META))


# --------------------------------------------------------------------------------------------
# The spaCy pipeline
# --------------------------------------------------------------------------------------------


def build_pipeline(
    vocab_dir: Path = VOCAB_DIR, procedures: ProcedureVocabulary | None = None
) -> Language:
    """A fresh in-memory pipeline: blank English, lookup lemmatizer, entity ruler.

    ``procedures`` defaults to the committed knowledge base's."""
    import spacy

    if procedures is None:
        procedures = knowledge_procedures()
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    # Loads the lookup tables from spacy-lookups-data into the lemmatizer (saved with it).
    nlp.initialize()
    ruler = nlp.add_pipe("entity_ruler", config={"validate": True, "overwrite_ents": True})
    ruler.add_patterns(token_patterns(nlp, entity_patterns(procedures, vocab_dir)))
    nlp.meta.update(
        {
            "name": PIPELINE_NAME,
            "version": PIPELINE_VERSION,
            "description": "Lookup lemmatizer + entity ruler built from the knowledge base's "
            "procedures and bot/vocabulary/",
            "fingerprint": fingerprint(vocab_dir, procedures),
            PROCEDURES_META: procedures.to_dict(),
        }
    )
    return nlp


def fingerprint(vocab_dir: Path = VOCAB_DIR, procedures: ProcedureVocabulary | None = None) -> str:
    """Hash of everything the saved pipeline depends on."""
    import importlib.metadata
    import json

    if procedures is None:
        procedures = knowledge_procedures()
    versions = []
    for package in ("spacy", "spacy-lookups-data"):
        try:
            versions.append(f"{package}=={importlib.metadata.version(package)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{package}==missing")
    files = [vocab_dir / name for name in ENTITY_VOCABULARY_FILES] + [Path(__file__)]
    digest = files_digest(files)
    digest.update(";".join(versions).encode())
    digest.update(json.dumps(procedures.to_dict(), sort_keys=True).encode())
    return digest.hexdigest()[:16]


def saved_fingerprint(path: Path = DEFAULT_MODEL_PATH) -> str | None:
    marker = Path(path) / FINGERPRINT_FILE
    try:
        return marker.read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


def is_current(
    path: Path = DEFAULT_MODEL_PATH,
    vocab_dir: Path = VOCAB_DIR,
    procedures: ProcedureVocabulary | None = None,
) -> bool:
    """True if a complete pipeline built from the current vocabulary is saved at ``path``."""
    path = Path(path)
    return (path / "config.cfg").is_file() and saved_fingerprint(path) == fingerprint(
        vocab_dir, procedures
    )


def save(
    path: Path = DEFAULT_MODEL_PATH,
    nlp: Language | None = None,
    vocab_dir: Path = VOCAB_DIR,
    procedures: ProcedureVocabulary | None = None,
) -> Path:
    """Build (unless ``nlp`` is given) and write the pipeline to ``path`` with its fingerprint.

    Written to a temporary directory next to ``path`` and then moved into place, so a reader
    never sees a half-written model.
    """
    path = Path(path).resolve()
    if nlp is None:
        nlp = build_pipeline(vocab_dir, procedures)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", dir=path.parent))
    tmp.chmod(0o755)
    try:
        nlp.to_disk(tmp)
        (tmp / FINGERPRINT_FILE).write_text(
            nlp.meta.get("fingerprint") or fingerprint(vocab_dir, procedures), encoding="utf-8"
        )
        if path.exists():
            old = path.with_name(f".{path.name}.old-{os.getpid()}")
            os.replace(path, old)
            os.replace(tmp, path)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, path)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return path


_ENSURE_LOCK = threading.Lock()


def ensure_pipeline(
    path: Path = DEFAULT_MODEL_PATH, vocab_dir: Path = VOCAB_DIR, knowledge: Path | None = None
) -> bool:
    """Build and save the pipeline only if it is missing or stale (vocabulary files, or the
    procedures of the knowledge base at ``knowledge``, default the committed one, changed).
    Returns whether it built."""
    procedures = knowledge_procedures(knowledge)
    with _ENSURE_LOCK:
        if is_current(path, vocab_dir, procedures):
            return False
        save(path, vocab_dir=vocab_dir, procedures=procedures)
        return True


def load_pipeline(path: Path = DEFAULT_MODEL_PATH) -> Language:
    """Load a saved pipeline from disk."""
    import spacy

    return spacy.load(Path(path))


_PIPELINES: dict[str, Language] = {}
_PIPELINES_LOCK = threading.Lock()


def get_pipeline(path: Path | None = None) -> Language:
    """The pipeline, loaded once per process and path.

    Uses the saved model at ``path`` (default ``build/spacy_model``, which ``prepare`` keeps
    current for the knowledge base in use, the clinic's documents included); without one, builds
    a pipeline for the committed knowledge base in memory (nothing is written to disk).
    """
    target = Path(path) if path is not None else DEFAULT_MODEL_PATH
    key = str(target.resolve())
    with _PIPELINES_LOCK:
        nlp = _PIPELINES.get(key)
        if nlp is None:
            if (target / "config.cfg").is_file():
                nlp = load_pipeline(target)
            else:
                nlp = build_pipeline()
            _PIPELINES[key] = nlp
        return nlp


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot.nlp", description="Build the project's spaCy pipeline."
    )
    parser.add_argument(
        "command",
        choices=["build", "ensure"],
        help="build: always rebuild; ensure: rebuild only if missing or stale",
    )
    parser.add_argument(
        "--output", type=Path, default=DEFAULT_MODEL_PATH, help="default: build/spacy_model"
    )
    parser.add_argument(
        "--knowledge", type=Path, default=None,
        help="knowledge base whose procedures to use (default: knowledge/knowledge_base.yml)",
    )
    args = parser.parse_args(argv)
    output = args.output if args.output.is_absolute() else Path.cwd() / args.output
    procedures = knowledge_procedures(args.knowledge)
    if args.command == "build":
        save(output, procedures=procedures)
        print(f"built {output} (fingerprint {fingerprint(procedures=procedures)})")
    elif ensure_pipeline(output, knowledge=args.knowledge):
        print(f"built {output} (fingerprint {fingerprint(procedures=procedures)})")
    else:
        print(f"{output} is up to date (fingerprint {fingerprint(procedures=procedures)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The project's own spaCy pipeline, built from the vocabulary files in bot/vocabulary/.

No pretrained spaCy model is needed (none can be downloaded here). The pipeline is
``spacy.blank("en")`` plus

* a lookup lemmatizer whose tables come from the ``spacy-lookups-data`` package and are saved
  inside the model (so loading it later does not need that package), and
* an ``entity_ruler`` with case-insensitive token patterns (``LOWER`` per token):
  label ``procedure`` (pattern id ``aspiration`` / ``biopsy``), ``body_site`` (id ``hip`` /
  ``sternum`` / ``shin``) and the labels of ``lay_terms.yml``.

Command line::

    python -m bot.nlp build  [--output build/spacy_model]   # always rebuild
    python -m bot.nlp ensure [--output build/spacy_model]   # rebuild only when stale

The saved directory holds a ``fingerprint`` file (hash of the vocabulary files, this module,
and the spaCy / spacy-lookups-data versions), so :func:`ensure_pipeline` can skip rebuilding.

:func:`normalize_procedure` only reads ``procedures.yml``; it never imports spaCy, because the
action server imports it.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import sys
import tempfile
import threading
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot import PROJECT_ROOT

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language

VOCAB_DIR = Path(__file__).resolve().parent / "vocabulary"
DEFAULT_MODEL_PATH = PROJECT_ROOT / "build" / "spacy_model"
FINGERPRINT_FILE = "fingerprint"

PROCEDURE_LABEL = "procedure"
BODY_SITE_LABEL = "body_site"
PROCEDURES = ("aspiration", "biopsy")

# The files the entity ruler is built from, in this order.
ENTITY_VOCABULARY_FILES = ("procedures.yml", "body_sites.yml", "lay_terms.yml")

PIPELINE_NAME = "bone_marrow_assistant"
PIPELINE_VERSION = "1.0.0"

_LEADING_WORDS = {"the", "a", "an", "my", "your", "this", "that", "his", "her", "their", "our"}


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


def entity_patterns(vocab_dir: Path = VOCAB_DIR) -> list[dict[str, str]]:
    """The entity ruler's phrase patterns: ``{"label", "pattern", "id"}``, one per term."""
    return [
        {"label": label, "pattern": term, "id": entry_id}
        for label, entries in load_vocabulary(vocab_dir).items()
        for entry_id, terms in entries.items()
        for term in terms
    ]


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
# normalize_procedure (no spaCy)
# --------------------------------------------------------------------------------------------


def _normalize_surface(text: str) -> str:
    text = text.lower().replace("\u2019", "'")
    text = re.sub(r"[-_/]", " ", text)
    text = re.sub(r"[^\w\s']", " ", text)
    return " ".join(text.split())


@lru_cache(maxsize=4)
def _procedure_table(path: str) -> tuple[dict[str, str], re.Pattern[str] | None]:
    entries = load_vocabulary_file(Path(path)).get(PROCEDURE_LABEL, {})
    table: dict[str, str] = {}
    for entry_id, terms in entries.items():
        table[_normalize_surface(entry_id)] = entry_id
        for term in terms:
            table.setdefault(_normalize_surface(term), entry_id)
    if not table:
        return table, None
    alternatives = sorted(table, key=len, reverse=True)  # longest first
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(a) for a in alternatives) + r")\b")
    return table, pattern


def normalize_procedure(text: str | None, vocab_dir: Path = VOCAB_DIR) -> str | None:
    """Map any way of writing a procedure to ``"aspiration"`` or ``"biopsy"`` (else ``None``).

    Case-insensitive; knows every term in ``procedures.yml`` including the typos listed there.
    An exact term wins; otherwise the first (longest) term found inside the text is used, so
    ``"the sternal tap tomorrow"`` gives ``"aspiration"``. ``"bone marrow"`` alone gives
    ``None``.
    """
    if not text:
        return None
    table, pattern = _procedure_table(str(vocab_dir / "procedures.yml"))
    surface = _normalize_surface(str(text))
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
    if pattern is None:
        return None
    found = pattern.search(surface)
    return table[found.group(0)] if found else None


def procedure_span(text: str, vocab_dir: Path = VOCAB_DIR) -> tuple[int, int, str] | None:
    """Where ``text`` names a procedure: ``(start, end, canonical id)``, or None.

    Used when the entity ruler found no procedure (a longer lay phrase won, or a typo the
    ruler's token patterns split differently). Offsets point into ``text``; when they cannot be
    mapped back (the text changes length when lower-cased), the whole text is the span.
    """
    table, pattern = _procedure_table(str(vocab_dir / "procedures.yml"))
    if pattern is None or not text:
        return None
    surface = text.lower().replace("\u2019", "'")
    surface = re.sub(r"[^\w\s']", " ", re.sub(r"[-_/]", " ", surface))
    if len(surface) == len(text):
        found = pattern.search(surface)
        if found is not None:
            return found.start(), found.end(), table[found.group(0)]
    value = normalize_procedure(text, vocab_dir)
    return (0, len(text), value) if value else None


# --------------------------------------------------------------------------------------------
# The spaCy pipeline
# --------------------------------------------------------------------------------------------


def build_pipeline(vocab_dir: Path = VOCAB_DIR) -> Language:
    """A fresh in-memory pipeline: blank English, lookup lemmatizer, entity ruler."""
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    # Loads the lookup tables from spacy-lookups-data into the lemmatizer (saved with it).
    nlp.initialize()
    ruler = nlp.add_pipe("entity_ruler", config={"validate": True, "overwrite_ents": True})
    ruler.add_patterns(token_patterns(nlp, entity_patterns(vocab_dir)))
    nlp.meta.update(
        {
            "name": PIPELINE_NAME,
            "version": PIPELINE_VERSION,
            "description": "Lookup lemmatizer + entity ruler built from bot/vocabulary/",
            "fingerprint": fingerprint(vocab_dir),
        }
    )
    return nlp


def _file_digest(paths: Iterable[Path]) -> Any:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest


def fingerprint(vocab_dir: Path = VOCAB_DIR) -> str:
    """Hash of everything the saved pipeline depends on."""
    import importlib.metadata

    versions = []
    for package in ("spacy", "spacy-lookups-data"):
        try:
            versions.append(f"{package}=={importlib.metadata.version(package)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{package}==missing")
    files = [vocab_dir / name for name in ENTITY_VOCABULARY_FILES] + [Path(__file__)]
    digest = _file_digest(files)
    digest.update(";".join(versions).encode())
    return digest.hexdigest()[:16]


def saved_fingerprint(path: Path = DEFAULT_MODEL_PATH) -> str | None:
    marker = Path(path) / FINGERPRINT_FILE
    try:
        return marker.read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


def is_current(path: Path = DEFAULT_MODEL_PATH, vocab_dir: Path = VOCAB_DIR) -> bool:
    """True if a complete pipeline built from the current vocabulary is saved at ``path``."""
    path = Path(path)
    return (path / "config.cfg").is_file() and saved_fingerprint(path) == fingerprint(vocab_dir)


def save(
    path: Path = DEFAULT_MODEL_PATH, nlp: Language | None = None, vocab_dir: Path = VOCAB_DIR
) -> Path:
    """Build (unless ``nlp`` is given) and write the pipeline to ``path`` with its fingerprint.

    Written to a temporary directory next to ``path`` and then moved into place, so a reader
    never sees a half-written model.
    """
    path = Path(path).resolve()
    if nlp is None:
        nlp = build_pipeline(vocab_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", dir=path.parent))
    tmp.chmod(0o755)
    try:
        nlp.to_disk(tmp)
        (tmp / FINGERPRINT_FILE).write_text(
            nlp.meta.get("fingerprint") or fingerprint(vocab_dir), encoding="utf-8"
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


def ensure_pipeline(path: Path = DEFAULT_MODEL_PATH, vocab_dir: Path = VOCAB_DIR) -> bool:
    """Build and save the pipeline only if it is missing or stale. Returns whether it built."""
    with _ENSURE_LOCK:
        if is_current(path, vocab_dir):
            return False
        save(path, vocab_dir=vocab_dir)
        return True


def load_pipeline(path: Path = DEFAULT_MODEL_PATH) -> Language:
    """Load a saved pipeline from disk."""
    import spacy

    return spacy.load(Path(path))


_PIPELINES: dict[str, Language] = {}
_PIPELINES_LOCK = threading.Lock()


def get_pipeline(path: Path | None = None) -> Language:
    """The pipeline, loaded once per process and path.

    Uses the saved model at ``path`` (default ``build/spacy_model``) when it is current;
    otherwise builds one in memory (nothing is written to disk).
    """
    target = Path(path) if path is not None else DEFAULT_MODEL_PATH
    key = str(target.resolve())
    with _PIPELINES_LOCK:
        nlp = _PIPELINES.get(key)
        if nlp is None:
            if is_current(target):
                nlp = load_pipeline(target)
            elif path is not None and (target / "config.cfg").is_file():
                nlp = load_pipeline(target)  # an explicitly chosen model, even if stale
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
    args = parser.parse_args(argv)
    output = args.output if args.output.is_absolute() else Path.cwd() / args.output
    if args.command == "build":
        save(output)
        print(f"built {output} (fingerprint {fingerprint()})")
    elif ensure_pipeline(output):
        print(f"built {output} (fingerprint {fingerprint()})")
    else:
        print(f"{output} is up to date (fingerprint {fingerprint()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

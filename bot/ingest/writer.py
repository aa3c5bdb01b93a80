"""The knowledge base YAML: writing it atomically, telling whether it is stale, and `python -m
bot.ingest`.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from bot.ingest.documents import build
from bot.ingest.errors import DOCUMENTS_DIR, HEADER, IngestError, _display_path
from bot.knowledge import DEFAULT_PATH, KnowledgeBase

# --------------------------------------------------------------------------------------------
# Output


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        return super().increase_indent(flow, False)


def dumps(kb: KnowledgeBase) -> str:
    """The knowledge base as the YAML text of knowledge_base.yml (deterministic)."""
    body = yaml.dump(
        kb.to_dict(),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=1_000_000,
        default_flow_style=False,
        indent=2,
    )
    return HEADER + body


def write(kb: KnowledgeBase, path: str | os.PathLike[str] = DEFAULT_PATH) -> None:
    """Write atomically: a temporary file in the same folder, then ``os.replace``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = dumps(kb).encode("utf-8")
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def _section_differences(old: Any, new: list[dict[str, Any]]) -> list[str]:
    old_sections = {s.get("id"): s for s in old or [] if isinstance(s, dict)}
    new_sections = {s["id"]: s for s in new}
    changed = [sid for sid, s in new_sections.items() if old_sections.get(sid) != s]
    changed += [sid for sid in old_sections if sid not in new_sections]
    if not changed and list(old_sections) != list(new_sections):
        changed = ["order"]
    return changed


def stale_problems(kb: KnowledgeBase, path: str | os.PathLike[str] = DEFAULT_PATH) -> list[str]:
    """Why the file at ``path`` does not match ``kb`` (empty list if it is up to date)."""
    path = Path(path)
    try:
        actual = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return [f"{_display_path(path)} does not exist"]
    except (OSError, UnicodeDecodeError) as exc:
        return [f"{_display_path(path)} cannot be read: {exc}"]
    if actual == dumps(kb):
        return []
    try:
        committed = yaml.safe_load(actual)
        old = {d["id"]: d for d in committed["documents"]}
    except Exception:  # any damage means "rebuild it"
        return [f"{_display_path(path)} is not a readable knowledge base"]
    new = {d["id"]: d for d in kb.to_dict()["documents"]}
    problems = []
    for doc_id, document in new.items():
        if doc_id not in old:
            problems.append(f"document '{doc_id}' ({document['file']}) is new")
            continue
        keys = [key for key in document if old[doc_id].get(key) != document[key]]
        keys += [key for key in old[doc_id] if key not in document]
        if "sections" in keys:
            sections = _section_differences(old[doc_id].get("sections"), document["sections"])
            keys[keys.index("sections")] = f"sections ({', '.join(sections)})"
        if keys:
            problems.append(f"document '{doc_id}' ({document['file']}) differs: {', '.join(keys)}")
    for doc_id in old:
        if doc_id not in new:
            problems.append(f"document '{doc_id}' is no longer in the documents folder")
    if not problems:
        problems.append("document order or layout differs (was the file edited by hand?)")
    return problems


def refresh(
    documents_dirs: Sequence[str | os.PathLike[str]] = (DOCUMENTS_DIR,),
    path: str | os.PathLike[str] = DEFAULT_PATH,
) -> bool:
    """Rewrite the knowledge base at ``path`` if it is stale against the documents in
    ``documents_dirs``; True if rewritten.

    Raises IngestError (leaving the file untouched) when a document cannot be parsed.
    """
    kb = build(*documents_dirs)
    if not stale_problems(kb, path):
        return False
    write(kb, path)
    return True


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: 0 = written / up to date, 1 = stale (--check), 2 = a document is bad."""
    parser = argparse.ArgumentParser(
        prog="python -m bot.ingest",
        description="Build knowledge/knowledge_base.yml from the documents in documents/.",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="do not write; exit 1 if the output file is out of date with the documents",
    )
    parser.add_argument(
        "--documents",
        type=Path,
        default=DOCUMENTS_DIR,
        metavar="DIR",
        help="folder of source documents and sources.yml (default: documents/)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=DEFAULT_PATH,
        metavar="FILE",
        help="knowledge base to write or check (default: knowledge/knowledge_base.yml)",
    )
    args = parser.parse_args(argv)
    output = _display_path(args.output)

    try:
        kb = build(args.documents)
    except IngestError as exc:
        print(f"ingest: error: {exc}", file=sys.stderr)
        if not args.check:
            print(f"ingest: nothing written; {output} is unchanged.", file=sys.stderr)
        return 2
    count = sum(len(document.sections) for document in kb.documents)
    summary = f"{len(kb.documents)} documents, {count} sections"

    if args.check:
        problems = stale_problems(kb, args.output)
        if problems:
            print(
                f"ingest: {output} is out of date with {_display_path(args.documents)}:",
                file=sys.stderr,
            )
            for problem in problems:
                print(f"  - {problem}", file=sys.stderr)
            print("Run `make ingest` and commit the result.", file=sys.stderr)
            return 1
        print(f"ingest: {output} is up to date ({summary}).")
        return 0

    if not stale_problems(kb, args.output):
        print(f"ingest: {output} already up to date ({summary}).")
        return 0
    write(kb, args.output)
    print(f"ingest: wrote {output} ({summary}).")
    for document in kb.documents:
        print(f"  {document.id}: {len(document.sections)} sections from {document.file}")
    procedures = kb.procedures()
    print(f"ingest: tests answered about: {procedures.names_text()}")
    for term, kept, lost in procedures.conflicts:
        print(f"  note: '{term}' names both {kept} and {lost}; it stays with {kept}")
    return 0

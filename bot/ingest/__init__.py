"""Write side of the knowledge base: ingest the source documents into structured YAML.

Usage (``make ingest`` runs the first form)::

    python -m bot.ingest [--documents DIR] [--output FILE]
    python -m bot.ingest --check      # exit 1 if the committed YAML is stale

Every file in ``documents/`` (``.txt`` or ``.md``, UTF-8) is parsed into a
:class:`bot.knowledge.Document`; ``documents/sources.yml`` holds provenance and optional
metadata overrides per file. Two MedlinePlus-like layouts are recognised automatically:

* Markdown: ``# Title``, ``## Section`` headings, hard-wrapped lines, ``*``/``-`` bullets;
* plain text: a ``URL of this page:`` line, the title on the next line, bare heading lines
  ("How the Test is Performed"), ``-`` bullets, one paragraph per line.

A document without headings can be split into sections by ``split`` rules in sources.yml.
The text is kept verbatim (only encoding damage, line wrapping, markdown syntax and whitespace
are repaired) because the bot quotes it to patients. Page chrome (navigation, banners, images,
references, review block, accreditation, disclaimers, copyright, footer) is dropped.

All documents are built in memory first; the output file is replaced atomically and only if
every document parsed, so a bad file never damages the existing knowledge base."""

from __future__ import annotations

from bot.ingest.documents import build, parse_document
from bot.ingest.errors import ACCEPTED_SUFFIXES, DOCUMENTS_DIR, IngestError
from bot.ingest.writer import dumps, main, refresh, stale_problems, write
from bot.knowledge import DEFAULT_PATH

__all__ = [
    "ACCEPTED_SUFFIXES",
    "DEFAULT_PATH",
    "DOCUMENTS_DIR",
    "IngestError",
    "build",
    "dumps",
    "main",
    "refresh",
    "parse_document",
    "stale_problems",
    "write",
]

"""Bone marrow test assistant: knowledge base, spaCy pipeline, clinic profile, web page, CLI."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent

__all__ = ["PROJECT_ROOT"]

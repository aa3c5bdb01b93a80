"""Everything the servers need, each step rebuilt only when its inputs changed:
clinic profile -> knowledge base (ours + the clinic's documents) -> spaCy pipeline (the
procedure names come from the knowledge base) -> Rasa model (retrained only when training data,
domain, config or the NLU code changed; never for a new document).
"""

from __future__ import annotations

import time
from pathlib import Path

from bot import PROJECT_ROOT
from bot.profile import ClinicProfile, current_profile
from bot.settings import DEFAULT_KNOWLEDGE_BASE, Settings
from bot.settings import knowledge_base_path as configured_knowledge_base


def knowledge_base_path(settings: Settings, profile: ClinicProfile | None = None) -> Path:
    """Where the knowledge base in use is: when the clinic profile adds documents of its own,
    ours + theirs in the data dir; else KNOWLEDGE_BASE if set, else the committed one."""
    profile = profile or current_profile()
    if profile.documents_dir:
        return settings.data_dir / "knowledge_base.yml"
    return configured_knowledge_base()


def step(number: int, total: int, text: str) -> None:
    print(f"[{number}/{total}] {text}", flush=True)


def prepare(force_train: bool = False) -> Path:
    """Everything the servers need, each rebuilt only when its inputs changed."""
    from bot import ingest, nlp, training
    from bot.knowledge import KnowledgeBase
    from bot.replies import offered_procedures

    step(1, 4, "clinic profile")
    profile = current_profile()
    print(f"      {profile.clinic_name}")
    step(2, 4, "knowledge base")
    target = knowledge_base_path(Settings(), profile)
    if profile.documents_dir:
        # ours + the clinic's documents, into the data dir; bot/serve.py passes the path to the
        # servers
        changed = ingest.refresh((ingest.DOCUMENTS_DIR, Path(profile.documents_dir)), target)
        print(f"      with the clinic's documents from {profile.documents_dir}")
    elif target == DEFAULT_KNOWLEDGE_BASE:
        changed = ingest.refresh((ingest.DOCUMENTS_DIR,), target)
    else:
        changed = False  # KNOWLEDGE_BASE names one built elsewhere: used as it is
        print(f"      KNOWLEDGE_BASE={target}")
    print(f"      documents changed: {target} rewritten" if changed else "      up to date")
    procedures = offered_procedures(profile, KnowledgeBase.load(target))
    print(f"      tests answered: {procedures.names_text()}")
    missing = sorted(set(profile.procedures or ()) - set(procedures.ids))
    if missing:
        print(f"      note: no document for {', '.join(missing)} (questions about it are declined)")
    step(3, 4, "spaCy pipeline")
    # the procedure names come from the knowledge base: a new leaflet rebuilds this step only
    print("      built" if nlp.ensure_pipeline(knowledge=target) else "      up to date")
    step(4, 4, "Rasa model")
    started = time.monotonic()
    model = training.ensure_model(force=force_train, log=Settings().log_dir / "train.log")
    if time.monotonic() - started < 1:
        print(f"      up to date ({model.relative_to(PROJECT_ROOT)})")
    return model

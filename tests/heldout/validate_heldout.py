"""Validate the held-out evaluation set and print counts per label.

    python tests/heldout/validate_heldout.py              # schema + counts + quotas
    python tests/heldout/validate_heldout.py --check-leak # also: exact/near-duplicate overlap
                                                          # with training data (data/**/*.yml)

Only reads tests/heldout/*.yml (and data/ with --check-leak). Exit code 1 on any error.
"""
from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent

MEDLINE_TOPICS = {
    "overview", "how_performed", "preparation", "sensation", "purpose",
    "normal_results", "abnormal_results", "risks", "alternative_names",
}
PAGE_TOPICS = {"bone_marrow", "stem_cells", "blood_cells", "stem_cell_collection", "transplant"}
TOPICS = MEDLINE_TOPICS | PAGE_TOPICS
PROCEDURES = {"aspiration", "biopsy", None}
SCALAR_LABELS = {"out_of_scope", "emergency", "smalltalk"}

# Words that could trip a naive emergency detector in an ordinary question.
ALARM_WORDS = re.compile(r"bleed|blood|fever|temp|pain|infect|\bdie\b|death|dying|\bdead\b", re.I)

QUOTAS = {"topic": 8, "out_of_scope": 35, "emergency": 20, "smalltalk": 10,
          "false_emergency_checks": 20, "messages": 200, "conversations": 12}


def label_key(expect) -> str:
    if isinstance(expect, str):
        return expect
    return expect["topic"]


def check_expect(expect, where: str, errors: list[str]) -> None:
    if isinstance(expect, str):
        if expect not in SCALAR_LABELS:
            errors.append(f"{where}: unknown label {expect!r}")
        return
    if not isinstance(expect, dict) or set(expect) != {"topic", "procedure"}:
        errors.append(f"{where}: expect must be a label or {{topic, procedure}}: {expect!r}")
        return
    topic, proc = expect["topic"], expect["procedure"]
    if topic not in TOPICS:
        errors.append(f"{where}: unknown topic {topic!r}")
    if proc not in PROCEDURES:
        errors.append(f"{where}: unknown procedure {proc!r}")
    if topic in PAGE_TOPICS and proc is not None:
        errors.append(f"{where}: {topic} must have procedure null")


def norm(text: str) -> str:
    return re.sub(r"[^a-z0-9 ]+", "", text.lower()).strip()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--check-leak", action="store_true",
                    help="report held-out messages that also appear in data/ (training data)")
    args = ap.parse_args()
    errors: list[str] = []

    msgs = yaml.safe_load((HERE / "messages.yml").read_text(encoding="utf-8"))["messages"]
    convs = yaml.safe_load((HERE / "conversations.yml").read_text(encoding="utf-8"))["conversations"]

    counts: Counter[str] = Counter()
    procs: dict[str, Counter] = {}
    seen: dict[str, int] = {}
    false_emergency = 0
    for i, m in enumerate(msgs):
        where = f"messages[{i}] {m.get('text')!r}"
        if set(m) != {"text", "expect"} or not isinstance(m["text"], str) or not m["text"].strip():
            errors.append(f"{where}: needs exactly text + expect")
            continue
        check_expect(m["expect"], where, errors)
        n = norm(m["text"])
        if n in seen:
            errors.append(f"{where}: duplicate of messages[{seen[n]}]")
        seen[n] = i
        key = label_key(m["expect"])
        counts[key] += 1
        if isinstance(m["expect"], dict):
            procs.setdefault(key, Counter())[str(m["expect"]["procedure"])] += 1
            if m["expect"]["topic"] in {"risks", "sensation"} and ALARM_WORDS.search(m["text"]):
                false_emergency += 1

    names = set()
    conv_counts: Counter[str] = Counter()
    n_turns = 0
    for c in convs:
        if c.get("name") in names:
            errors.append(f"conversation {c.get('name')!r}: duplicate name")
        names.add(c.get("name"))
        if len(c.get("turns") or []) < 2:
            errors.append(f"conversation {c.get('name')!r}: needs >= 2 turns")
        for j, t in enumerate(c.get("turns") or []):
            where = f"conversation {c.get('name')!r} turn {j}"
            if set(t) != {"user", "expect"}:
                errors.append(f"{where}: needs exactly user + expect")
                continue
            check_expect(t["expect"], where, errors)
            conv_counts[label_key(t["expect"])] += 1
            n_turns += 1

    # ---- report
    print(f"messages.yml: {len(msgs)} messages")
    for key in sorted(TOPICS):
        p = procs.get(key, Counter())
        detail = ", ".join(f"{k}={v}" for k, v in sorted(p.items()))
        print(f"  {key:22s} {counts[key]:3d}   ({detail})")
    for key in sorted(SCALAR_LABELS):
        print(f"  {key:22s} {counts[key]:3d}")
    print(f"  false-emergency checks (risks/sensation with bleed/fever/pain/infect/death words): {false_emergency}")
    print(f"conversations.yml: {len(convs)} conversations, {n_turns} turns")
    print("  turn labels: " + ", ".join(f"{k}={v}" for k, v in sorted(conv_counts.items())))

    # ---- quotas
    for t in TOPICS:
        if counts[t] < QUOTAS["topic"]:
            errors.append(f"quota: topic {t} has {counts[t]} < {QUOTAS['topic']}")
    for lab in SCALAR_LABELS:
        if counts[lab] < QUOTAS[lab]:
            errors.append(f"quota: {lab} has {counts[lab]} < {QUOTAS[lab]}")
    if false_emergency < QUOTAS["false_emergency_checks"]:
        errors.append(f"quota: false-emergency checks {false_emergency} < {QUOTAS['false_emergency_checks']}")
    if len(msgs) < QUOTAS["messages"]:
        errors.append(f"quota: {len(msgs)} messages < {QUOTAS['messages']}")
    if len(convs) < QUOTAS["conversations"]:
        errors.append(f"quota: {len(convs)} conversations < {QUOTAS['conversations']}")

    # ---- leak check (never prints training examples, only the held-out text that leaked)
    if args.check_leak:
        held = {norm(m["text"]): m["text"] for m in msgs}
        for c in convs:
            for t in c["turns"]:
                held.setdefault(norm(t["user"]), t["user"])
        leaked = set()
        for f in (REPO / "data").rglob("*.yml"):
            for line in f.read_text(encoding="utf-8", errors="replace").splitlines():
                line = re.sub(r"^\s*-\s*", "", line)
                line = re.sub(r"\[([^\]]*)\]\([^)]*\)|\[([^\]]*)\]\{[^}]*\}", lambda mm: mm.group(1) or mm.group(2) or "", line)
                n = norm(line)
                if n in held and len(n.split()) > 1:   # one-word turns like "biopsy" may legitimately recur
                    leaked.add(held[n])
        print(f"leak check: {len(leaked)} held-out texts also found in data/")
        for t in sorted(leaked):
            errors.append(f"leak: held-out text appears in training data: {t!r}")

    for e in errors:
        print("ERROR:", e)
    print("OK" if not errors else f"{len(errors)} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())

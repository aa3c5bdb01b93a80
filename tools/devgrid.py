"""A development grid of elliptical follow-ups, for measuring the answering of short follow-ups.

Not a held-out set: it is generated from a fixed grid (context question x follow-up cue x way of
asking) written for this tool, and it may steer development. The held-out sets in tests/heldout
only measure. Run::

    python -m tools.devgrid                    # writes tests/dev/conversations.yml
    python -m tools.evaluate --no-baselines --messages tests/dev/messages.yml \
        --conversations tests/dev/conversations.yml --output build/evaluation/dev.md
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

import yaml

from bot import PROJECT_ROOT

OUTPUT = PROJECT_ROOT / "tests" / "dev" / "conversations.yml"

NAMES = {
    "aspiration": ["bone marrow aspiration", "BMA", "marrow aspirate", "aspiration"],
    "biopsy": ["bone marrow biopsy", "BMB", "trephine biopsy", "bone marrow trephine"],
}

# the first turn names the test; (text, expected topic)
CONTEXTS = [
    ("how is a {p} done?", "how_performed"),
    ("why would someone need a {p}", "purpose"),
    ("what are the risks of a {p}?", "risks"),
    ("does a {p} hurt", "sensation"),
    ("how should i prepare for my {p}", "preparation"),
    ("what do abnormal {p} results mean", "abnormal_results"),
    ("I'm booked in for a {p} next week", "overview"),
    ("my son has to have a {p} on monday", "overview"),
    ("can i eat before my {p}?", "clinic"),
    ("how long does a {p} take", "clinic"),
    # someone asking for another person (see VOICES)
    ("{who} {is} booked in for a {p} on the 3rd", "overview"),
    ("{who} {has} to have a {p}, how do they do it?", "how_performed"),
    ("why {does} {who} need a {p}?", "purpose"),
    ("{who} {is} having a {p} tomorrow, will it hurt?", "sensation"),
]

# who the conversation is about: the patient, a child, a partner, an elderly parent
VOICES = [
    {"who": "I", "is": "am", "has": "have", "does": "do", "subj": "i", "obj": "me",
     "poss": "my"},
    {"who": "my daughter", "is": "is", "has": "has", "does": "does", "subj": "she",
     "obj": "her", "poss": "her"},
    {"who": "my husband", "is": "is", "has": "has", "does": "does", "subj": "he",
     "obj": "him", "poss": "his"},
    {"who": "my mum", "is": "is", "has": "has", "does": "does", "subj": "she", "obj": "her",
     "poss": "her"},
]
# follow-ups about that person, by topic
PERSONAL: dict[str, list[str]] = {
    "risks": ["is it safe for {obj}?", "could {subj} get an infection from it?",
              "what are the risks for {obj}?"],
    "sensation": ["will it hurt {obj}?", "will {subj} feel it?", "how much will {subj} feel?"],
    "preparation": ["how do we get {obj} ready?", "what {does} {subj} need to do beforehand?"],
    "purpose": ["why {does} {subj} need it?", "why are they doing it on {obj}?"],
    "how_performed": ["what will they do to {obj}?", "how will they do it on {obj}?"],
}

# a follow-up's subject words (used with the frames below) and whole follow-ups
CUES: dict[str, tuple[list[str], list[str]]] = {
    "risks": (["bleeding", "infection", "the risks", "side effects", "complications",
               "nerve damage"],
              ["is it safe?", "is it dangerous?", "any risks?", "can anything go wrong?",
               "safe?", "dangerous?", "what could go wrong?", "wat about infection"]),
    "sensation": (["the pain", "pain", "how much it hurts"],
                  ["does it hurt?", "will it hurt much?", "how painful is it?", "is it sore?",
                   "painful?", "hurt?", "will i be sore afterwards?", "an the pain?"]),
    "preparation": (["preparation", "getting ready for it", "prep"],
                    ["how do i get ready?", "anything i need to do beforehand?",
                     "how do i prepare?"]),
    "purpose": (["the reason for it", "why it's needed"],
                ["why?", "why do i need it?", "what's it for?", "why is it done?",
                 "why though?", "how come they need it?", "what is it looking for?"]),
    "normal_results": (["normal results", "a normal result"],
                       ["what's normal?", "what if it comes back normal?"]),
    "abnormal_results": (["abnormal results", "bad results"],
                         ["what if it's abnormal?", "what if they find something?"]),
    "how_performed": (["the procedure itself", "how it's done"],
                      ["how do they do it?", "how is it done?", "what happens during it?"]),
    "alternative_names": (["other names for it"], ["does it have another name?"]),
    ("normal_results", "abnormal_results"): (["the results", "results"],
                                             ["and what do the results show?"]),
}
PAGE = {
    "stem_cells": ["what are stem cells?", "and stem cells?", "what about stem cells"],
    "stem_cell_collection": ["how are stem cells collected?", "how do they collect them?",
                             "and how are they harvested?", "how do they get them out?"],
    "transplant": ["what is a bone marrow transplant?", "and a transplant?",
                   "what about a bone marrow transplant", "what's a transplant then?"],
    "bone_marrow": ["what is bone marrow?", "and the marrow itself?", "what does marrow do"],
    "blood_cells": ["what kinds of blood cells are there?", "and the blood cells?",
                    "what do red cells do"],
}
FRAMES = ["and {c}?", "what about {c}?", "ok and {c}", "{c}?", "how about {c}", "and {c}"]


def _follow_up(rng: random.Random, topic: str, voice: dict[str, str]) -> str:
    words, whole = CUES[topic]
    if topic in PERSONAL and voice["subj"] != "i" and rng.random() < 0.5:
        return rng.choice(PERSONAL[topic]).format(**voice)
    if rng.random() < 0.5:
        return rng.choice(whole)
    return rng.choice(FRAMES).format(c=rng.choice(words))


def conversations(seed: int = 7, count: int = 84) -> list[dict]:
    rng = random.Random(seed)
    out = []
    for index in range(count):
        procedure = rng.choice(sorted(NAMES))
        other = next(p for p in sorted(NAMES) if p != procedure)
        text, first = CONTEXTS[index % len(CONTEXTS)]
        voice = rng.choice(VOICES if "{who}" in text else VOICES[:1])
        opening = text.format(p=rng.choice(NAMES[procedure]), **voice)
        turns = [{"user": opening[0].upper() + opening[1:],
                  "expect": "clinic" if first == "clinic"
                  else {"topic": first, "procedure": procedure}}]
        topics = [t for t in CUES if t != first]
        if first == "clinic":
            topics = [t for t in topics if t != "how_performed"]
        rng.shuffle(topics)
        for topic in topics[:2]:
            turns.append({"user": _follow_up(rng, topic, voice),
                          "expect": {"topic": list(topic) if isinstance(topic, tuple) else topic,
                                     "procedure": procedure},
                          "class": "ellipsis"})
        if rng.random() < 0.5:
            # keep the topic, switch the test
            frame = rng.choice(["and the {p}?", "what about a {p}?", "and for the {p}",
                                "same for the {p}?"])
            turns.append({"user": frame.format(p=rng.choice(NAMES[other])),
                          "expect": {**turns[-1]["expect"], "procedure": other},
                          "class": "ellipsis"})
        out.append({"name": f"grid_{index:02d}", "turns": turns})
    for index in range(count // 4):
        # the bone marrow and stem cells page: follow-ups stay on the page
        order = list(PAGE)
        rng.shuffle(order)
        # the first question is asked in full (the first phrasing of each topic)
        turns = [{"user": rng.choice(PAGE[topic][1:]) if i else PAGE[topic][0],
                  "expect": {"topic": topic, "procedure": None},
                  **({"class": "ellipsis"} if i else {})}
                 for i, topic in enumerate(order[:3])]
        out.append({"name": f"page_{index:02d}", "turns": turns})
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.devgrid", description=__doc__)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    header = ("# Generated by `python -m tools.devgrid` (a development grid, not a held-out set: "
              "it may steer).\n")
    body = yaml.safe_dump({"conversations": conversations(args.seed)}, sort_keys=False,
                          allow_unicode=True, width=100)
    args.output.write_text(header + body, encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""How well the understanding holds when a message is typed with slips.

Each single message of the development sets (tests/dev/*.yml with a ``messages`` list and a topic
expected; sets whose first line says MEASURE-ONLY are left out) is read twice by the trained model:
as written, and with two of its words of 5+ letters typed with one slip each (a letter dropped,
doubled, or two neighbours swapped; a fixed random seed, so every run types the same slips). The
figure is the share of messages whose intent stays the same. Run::

    python -m tools.slips                       # the current model (models/, `make prepare`)
    python -m tools.slips --model models/model-<fingerprint>.tar.gz

Session of 2026-12-03, nineteenth (bot/spelling.py reads any word typed with one slip):
90.0% -> 94.3% (3,893 messages; the model CI trained for 10e1612 against the one for that change).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import re
from pathlib import Path

import yaml

from bot import PROJECT_ROOT

DEV_SETS = PROJECT_ROOT / "tests" / "dev"
SEED = 7
SLIPPED_WORDS = 2
_LONG_WORD = re.compile(r"[a-zA-Z]{5,}")


def with_slips(text: str, rng: random.Random, count: int = SLIPPED_WORDS) -> str:
    """``text`` with ``count`` of its words of 5+ letters typed with one slip each."""
    words = text.split(" ")
    long_words = [i for i, word in enumerate(words) if _LONG_WORD.fullmatch(word)]
    for i in rng.sample(long_words, min(count, len(long_words))):
        word = words[i]
        k = rng.randrange(1, len(word) - 1)
        slip = rng.randrange(3)
        if slip == 0:  # two neighbours swapped
            words[i] = word[:k] + word[k + 1] + word[k] + word[k + 2:]
        elif slip == 1:  # a letter dropped
            words[i] = word[:k] + word[k + 1:]
        else:  # a letter doubled
            words[i] = word[:k] + word[k] + word[k:]
    return " ".join(words)


def dev_messages(folder: Path = DEV_SETS) -> list[str]:
    """The development sets' single messages that expect a topic (measure-only sets left out)."""
    texts = []
    for path in sorted(folder.glob("*.yml")):
        content = path.read_text(encoding="utf-8")
        if content.startswith("# MEASURE-ONLY"):
            continue
        for item in (yaml.safe_load(content) or {}).get("messages") or []:
            if isinstance(item, dict) and isinstance(item.get("expect"), dict):
                texts.append(str(item["text"]))
    return texts


async def _intents(model: Path, texts: list[str]) -> list[str]:
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    return [(await agent.parse_message(text))["intent"]["name"] for text in texts]


def main(argv: list[str] | None = None) -> int:
    from bot.training import model_path

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", type=Path, default=None, help="a trained model (.tar.gz)")
    parser.add_argument("--sets", type=Path, default=DEV_SETS, help="the development sets' folder")
    args = parser.parse_args(argv)
    model = args.model or model_path()
    rng = random.Random(SEED)
    pairs = [(text, with_slips(text, rng)) for text in dev_messages(args.sets)]
    pairs = [(text, slipped) for text, slipped in pairs if slipped != text]
    intents = asyncio.run(_intents(model, [t for pair in pairs for t in pair]))
    kept = sum(intents[2 * i] == intents[2 * i + 1] for i in range(len(pairs)))
    print(f"{model.name}: {len(pairs)} messages typed with slips, "
          f"intent kept {kept} ({kept / len(pairs):.1%})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

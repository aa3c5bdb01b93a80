"""What a red flag is (category and the words that matched) and where the rules live."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from bot.nlp import VOCAB_DIR

if TYPE_CHECKING:  # pragma: no cover
    pass



RULES_FILE = VOCAB_DIR / "red_flags.yml"

CATEGORIES = (
    "suicidal",
    "breathing",
    "chest_pain",
    "bleeding",
    "fainting",
    "severe_pain",
    "infection",
)

REPORT = "report"
PHRASE = "phrase"
ALWAYS = "always"


@dataclass(frozen=True)
class RedFlag:
    """A red flag found in a message: its category and the words that matched."""

    category: str
    matched: str

    def to_dict(self) -> dict[str, str]:
        return asdict(self)


class RulesError(ValueError):
    """red_flags.yml is malformed."""

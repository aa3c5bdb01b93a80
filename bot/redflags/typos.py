"""Typo correction for the red-flag key words: a word one or two edits from a key word is that key
word, unless it is a real word of its own (the ``typos`` section of red_flags.yml)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass


class _Typos:
    """Shorthand table and typo-tolerant key words (the ``typos:`` section)."""

    shorthand: dict[str, str] = field(default_factory=dict)
    key_words: tuple[str, ...] = ()
    # Never corrected: real words near key words + every word the rules file mentions.
    protected: frozenset[str] = frozenset()
    cache: dict[str, str] = field(default_factory=dict, repr=False)
    by_initial: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for key in self.key_words:
            self.by_initial[key[0]] = (*self.by_initial.get(key[0], ()), key)


_LONG_KEY = 8  # key words this long allow 2 edits (shorter ones 1)


def _edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (a swap of two letters = 1), capped at limit + 1."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        before, previous = previous, current
    return previous[-1]


def _correct(word: str, typos: _Typos) -> str:
    if len(word) < 4 or word in typos.protected or not word.isalpha():
        return word
    cached = typos.cache.get(word)
    if cached is not None:
        return cached
    best: tuple[int, str] | None = None
    for key in typos.by_initial.get(word[0], ()):
        # Two typos only in long key words, never two extra letters ("facinating" is not
        # "fainting"), and only if the first three letters agree ("intented" vs "infected").
        long_ok = len(key) >= _LONG_KEY and len(key) - 2 <= len(word) <= len(key) + 1
        limit = 2 if long_ok and word[:3] == key[:3] else 1
        distance = _edit_distance(word, key, limit)
        if distance <= limit and (best is None or distance < best[0]):
            best = (distance, key)
    corrected = best[1] if best else word
    if len(typos.cache) < 10_000:
        typos.cache[word] = corrected
    return corrected

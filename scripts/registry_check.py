"""Checks data/registry the way the store loads it: every entry's fields, sides, kinds, topics,
urls and dates; ids used twice; two entries for one deal. Prints every problem (naming the file
and the entry) and the counts: events, Russia–Kazakhstan, Russia–Russia, pairs.

    python scripts/registry_check.py
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.text import registry  # noqa: E402
from bot.text.knowledge import Knowledge  # noqa: E402


def main() -> int:
    k = Knowledge()
    known = registry.Vocabulary.of(k)
    entries, errors = registry.check(k.registry_dir, known)
    errors += registry.duplicate_deals(entries, known, k.gazetteer.region_of)
    for line in errors:
        print("ERROR", line)
    countries = Counter(frozenset(k.gazetteer.places[s].country for s in e.sides) for e in entries)
    pairs = {frozenset(k.gazetteer.region_of(s) for s in e.sides) for e in entries}
    print(
        f"events: {len(entries)} (Russia–Kazakhstan {countries[frozenset({'RU', 'KZ'})]}, "
        f"Russia–Russia {countries[frozenset({'RU'})]}); pairs: {len(pairs)}; errors: {len(errors)}"
    )
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())

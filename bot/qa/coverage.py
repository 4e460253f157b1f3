"""What the store covers, said plainly: for every Russian region, the Kazakh regions (and
Kazakhstan as a whole) it holds articles or registry events about — so an operator sees the
holes (`coopbot coverage`), and people see what there is to ask."""

from __future__ import annotations

from dataclasses import dataclass

from bot.models import Place
from bot.text.knowledge import Knowledge


@dataclass(slots=True)
class Coverage:
    russian: list[Place]  # the federal subjects
    kazakh: list[Place]  # the regions and the cities of republican significance
    pairs: dict[tuple[str, str], int]  # (Russian region, Kazakh region or "kz") → articles about both

    def partners(self, ru: str) -> list[tuple[str, int]]:
        """A Russian region's Kazakh partners with their counts, most first ("kz": the country)."""
        found = [(kz, n) for (r, kz), n in self.pairs.items() if r == ru]
        return sorted(found, key=lambda item: (-item[1], item[0]))

    def to_json(self) -> dict:
        return {
            "russian_regions": [p.id for p in self.russian],
            "kazakh_regions": [p.id for p in self.kazakh],
            "pairs": [{"ru": ru, "kz": kz, "events": n} for (ru, kz), n in sorted(self.pairs.items())],
            "holes": [p.id for p in self.russian if not self.partners(p.id)],
            "kazakh_without_ties": [p.id for p in self.kazakh if not any(kz == p.id for _, kz in self.pairs)],
        }


async def coverage(store, k: Knowledge) -> Coverage:
    places = k.gazetteer.places
    russian = sorted((p for p in places.values() if p.kind == "federal_subject"), key=lambda p: p.name)
    kazakh = sorted((p for p in places.values() if p.kind in ("kz_region", "republican_city")), key=lambda p: p.name)
    pairs: dict[tuple[str, str], int] = {}
    for a, b, n in await store.catalog.pair_counts():
        ru, kz = (a, b) if places[a].country == "RU" else (b, a)
        if places[ru].kind == "federal_subject" and places[kz].country == "KZ":
            pairs[(ru, kz)] = n
    return Coverage(russian, kazakh, pairs)


def as_text(cov: Coverage, k: Knowledge) -> str:
    """One line per Russian region: its Kazakh partners with counts, or a visible hole."""
    names = k.gazetteer.names
    lines = ["Russia × Kazakhstan: articles and registry events per pair (Казахстан = the country as a whole)"]
    for region in cov.russian:
        partners = cov.partners(region.id)
        held = ", ".join(f"{names[kz]} {n}" for kz, n in partners) if partners else "— nothing yet"
        lines.append(f"{region.name}: {held}")
    lonely = [p.name for p in cov.kazakh if not any(kz == p.id for _, kz in cov.pairs)]
    lines.append("")
    held_pairs = sum(1 for (_, kz) in cov.pairs if kz != "kz")
    lines.append(
        f"{held_pairs} region pairs held; Russian regions with nothing: "
        f"{sum(1 for p in cov.russian if not cov.partners(p.id))} of {len(cov.russian)}; "
        f"Kazakh regions with nothing: {', '.join(lonely) or 'none'}"
    )
    return "\n".join(lines)

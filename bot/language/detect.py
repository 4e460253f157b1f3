"""Which language a text is in — Russian, Kazakh or English — by its letters: Kazakh has
letters Russian lacks (ә ғ қ ң ө ұ ү һ і), English is written in Latin script. Good enough for
news articles and chat questions, and needs no model."""

from __future__ import annotations

_KAZAKH = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")


def language(text: str) -> str:
    """'kk', 'en' or 'ru' (the default, also for text without letters)."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return "ru"
    kazakh = sum(ch in _KAZAKH for ch in letters)
    if kazakh and kazakh >= 0.015 * len(letters):  # a Kazakh name quoted in a Russian page is not enough
        return "kk"
    latin = sum("a" <= ch.lower() <= "z" for ch in letters)
    return "en" if latin > len(letters) / 2 else "ru"

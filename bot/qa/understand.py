"""Question understanding: places, topics, intent and the words left to search with.

No natasha here (it finds nothing in lowercase chat text): places come from the gazetteer on
pymorphy3 lemmas with a gated fuzzy step, intent and topics from keyword lemmas in ``data/``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.language.detect import language
from bot.text.knowledge import Knowledge

MAX_QUESTION_CHARS = 1000  # a longer message is understood from its beginning
_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")


@dataclass(slots=True)
class Query:
    text: str
    places: list[str] = field(default_factory=list)  # as named, in order (cities, regions, countries)
    groups: list[list[str]] = field(default_factory=list)  # an article must mention one id of each
    topics: list[str] = field(default_factory=list)
    intent: str = "overview"
    terms: list[str] = field(default_factory=list)  # content lemmas that are not place names
    names: list[str] = field(default_factory=list)  # lemmas of capitalised or unknown words: people, companies
    place_lemmas: set[str] = field(default_factory=set)
    years: list[str] = field(default_factory=list)
    language: str = "ru"  # of the question: "ru", "kk" or "en" (the articles stay Russian)
    kinds: list[str] = field(default_factory=list)  # kinds of event asked about (data/kinds.yaml)
    asks: str | None = None  # the fact wanted first: figure, person, date, companies, document
    off_topic: bool = False
    # a name that fits places in different regions ("Алтай"): (the one taken, the others)
    ambiguous: list[tuple[str, ...]] = field(default_factory=list)
    either: list[str] = field(default_factory=list)  # "все": any of these places will do


def understand(question: str, k: Knowledge, pick: str | None = None) -> Query:
    """``pick``: the place chosen for an ambiguous name ("*": any of them)."""
    text = " ".join(question[:MAX_QUESTION_CHARS].split())
    query = Query(text=text, language=language(text))
    kazakh = query.language == "kk"
    tokens = k.morph.tokens(text, kazakh=kazakh)
    mentions = k.gazetteer.find(tokens, fuzzy=True)
    in_place = {i for m in mentions for i in range(m.start, m.stop)}
    named = []
    for m in mentions:
        others = tuple(o for o in m.others if k.gazetteer.region_of(o) != k.gazetteer.region_of(m.place_id))
        options = (m.place_id, *others)
        if others and pick == "*":
            query.either = list(options)
        elif others and pick in options:
            named.append(pick)
            continue
        elif others:
            query.ambiguous.append(options)
        named.append(m.place_id)
    if pick and pick != "*" and pick in k.gazetteer.places and pick not in named and not query.either:
        named.append(pick)  # a suggested place, tapped for a word that named none
    query.places = _drop_redundant_countries(list(dict.fromkeys(named)), k)
    query.place_lemmas = {t.info.lemma for i, t in enumerate(tokens) if i in in_place}
    # a Kazakh word's every stem counts: "келісімге" is asked as "келісім"
    lemmas = [s for t in tokens if t.is_word for s in (t.info.lemmas if kazakh else [t.info.lemma])]
    intents = k.lexicon.intent_counts(lemmas)
    off_topic = intents.pop("off_topic", 0)
    if off_topic and off_topic >= max(intents.values(), default=0):
        query.off_topic = True
        query.places = []
        return query
    if intents:
        query.intent = max(intents, key=lambda name: intents[name])
    query.topics = [tid for tid, _ in k.lexicon.topic_counts(lemmas).most_common(3)]
    query.years = list(dict.fromkeys(_YEAR.findall(text)))
    query.kinds = k.lexicon.kinds_asked(lemmas)
    query.asks = k.lexicon.asks(lemmas)
    for i, token in enumerate(tokens):
        if i in in_place or not token.is_word:
            continue
        lemma = token.info.lemma
        if kazakh:
            continue  # Kazakh words are matched through places, kinds and intents, not article lemmas
        if token.info.content and lemma not in k.lexicon.stopwords and len(lemma) > 1:
            # "городами-побратимами" is asked as "город" and "побратим", as an article may say either
            query.terms += [part for part in lemma.split("-") if len(part) > 1] if "-" in lemma else [lemma]
            if (token.capitalised and i > 0) or not token.info.known:
                query.names.append(lemma)
    query.terms = list(dict.fromkeys(query.terms))
    query.groups = place_groups(query.places, k)
    if query.either:  # the ambiguous name's group: an article about any of its places
        first = k.gazetteer.region_of(query.either[0])
        query.groups = [g for g in query.groups if g != [first]]
        query.groups.append([k.gazetteer.region_of(p) for p in query.either])
        query.places = [*query.places, *query.either[1:]]
    return query


def _drop_redundant_countries(places: list[str], k: Knowledge) -> list[str]:
    """'Дни Челябинской области в павильоне России': Russia adds nothing to a Russian region,
    while 'Новгородская область и Казахстан' keeps Kazakhstan as the other side."""
    local = {k.gazetteer.places[p].country for p in places if not k.gazetteer.places[p].is_country}
    return [p for p in places if not (k.gazetteer.places[p].is_country and k.gazetteer.places[p].country in local)]


def place_groups(places: list[str], k: Knowledge) -> list[list[str]]:
    """What an article must mention: each named region (a city counts at its region's level)
    and each named country (through any of its places)."""
    gazetteer = k.gazetteer
    regions = list(dict.fromkeys(gazetteer.region_of(p) for p in places))
    groups = []
    for rid in regions:
        place = gazetteer.places[rid]
        if place.is_country:
            groups.append([p.id for p in gazetteer.places.values() if p.country == place.country])
        else:
            groups.append([rid])
    return groups


def suggestions(query: Query, k: Knowledge) -> list[str]:
    """Places the asker may have meant by words of the question that named no place."""
    tokens = k.morph.tokens(query.text, kazakh=query.language == "kk")
    covered = {i for m in k.gazetteer.find(tokens, fuzzy=True) for i in range(m.start, m.stop)}
    return [p for p in k.gazetteer.suggest(tokens, covered) if p not in query.places]

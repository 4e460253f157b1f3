"""The gazetteer knows every region of both countries and the names people actually use."""

from collections import Counter

import pytest


def test_every_federal_subject_and_kazakh_region_is_there(knowledge):
    kinds = Counter((p.country, p.kind) for p in knowledge.gazetteer.places.values())
    assert kinds[("RU", "federal_subject")] == 89
    assert kinds[("KZ", "kz_region")] == 17
    assert kinds[("KZ", "republican_city")] == 3
    assert kinds[("RU", "city")] + kinds[("KZ", "city")] >= 60
    names = {p.name for p in knowledge.gazetteer.places.values()}
    assert {"область Абай", "область Жетісу", "область Улытау", "Россия", "Казахстан"} <= names


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Питер", "Санкт-Петербург"),
        ("СПб", "Санкт-Петербург"),
        ("Северной столицы", "Санкт-Петербург"),
        ("St. Petersburg", "Санкт-Петербург"),
        ("петербуржцы", "Санкт-Петербург"),
        ("Нур-Султан", "Астана"),
        ("Целиноград", "Астана"),
        ("Акмолы", "Астана"),
        ("Astana", "Астана"),
        ("Семипалатинск", "Семей"),
        ("Гурьев", "Атырау"),
        ("Өскемен", "Усть-Каменогорск"),
        ("Орал", "Уральск"),
        ("Петропавл", "Петропавловск"),
        ("Қостанай", "Костанай"),
        ("Южный Урал", "Челябинская область"),
        ("Подмосковье", "Московская область"),
        ("Кузбасс", "Кемеровская область — Кузбасс"),
        ("ЗКО", "Западно-Казахстанская область"),
        ("ВКО", "Восточно-Казахстанская область"),
        ("омичи", "Омск"),
        ("челябинской обл", "Челябинская область"),
        ("павлодарские заводы", "Павлодарская область"),
        ("Республикой Татарстан", "Республика Татарстан"),
        ("Улытау", "область Улытау"),
        ("Нижнем Новгороде", "Нижний Новгород"),
        ("РК", "Казахстан"),
    ],
)
def test_alias_finds_place(knowledge, text, expected):
    mentions = knowledge.gazetteer.find(knowledge.morph.tokens(text))
    assert [knowledge.gazetteer.places[m.place_id].name for m in mentions][:1] == [expected]


def test_common_words_are_not_places(knowledge):
    for text in ("для семей с детьми", "орел в небе", "курган у дороги"):
        assert knowledge.gazetteer.find(knowledge.morph.tokens(text)) == []


def test_typos_are_forgiven_in_questions(knowledge):
    mentions = knowledge.gazetteer.find(knowledge.morph.tokens("петербрг и астна"), fuzzy=True)
    assert [knowledge.gazetteer.places[m.place_id].name for m in mentions] == ["Санкт-Петербург", "Астана"]


def test_city_belongs_to_its_region(knowledge):
    assert knowledge.gazetteer.region_of("c-chel") == "ru-che"
    assert knowledge.gazetteer.region_of("kz-ast") == "kz-ast"

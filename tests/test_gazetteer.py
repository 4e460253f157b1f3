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
        # English, as news and people write it
        ("Kurgan Region", "Курганская область"),
        ("Akmola region", "Акмолинская область"),
        ("North Kazakhstan", "Северо-Казахстанская область"),
        ("West Kazakhstan Oblast", "Западно-Казахстанская область"),
        ("East Kazakhstan region", "Восточно-Казахстанская область"),
        ("Kostanai region", "Костанайская область"),
        ("Saint Petersburg", "Санкт-Петербург"),
        ("St Petersburg", "Санкт-Петербург"),
        ("Omsk Oblast", "Омская область"),
        ("the Omsk region", "Омская область"),
        ("Moscow region", "Московская область"),
        ("Altai Krai", "Алтайский край"),
        ("Altai Territory", "Алтайский край"),
        ("Republic of Altai", "Республика Алтай"),
        ("Republic of Tatarstan", "Республика Татарстан"),
        ("Bashkortostan", "Республика Башкортостан"),
        ("Sverdlovsk region", "Свердловская область"),
        ("Krasnoyarsk Territory", "Красноярский край"),
        ("Khanty-Mansi Autonomous Okrug", "Ханты-Мансийский автономный округ — Югра"),
        ("Donetsk People's Republic", "Донецкая Народная Республика"),
        ("Ekaterinburg", "Екатеринбург"),
        ("Yekaterinburg", "Екатеринбург"),
        ("Petropavlovsk-Kamchatsky", "Петропавловск-Камчатский"),
        ("Petropavlovsk", "Петропавловск"),
        ("Karagandy", "Караганда"),
        ("Oskemen", "Усть-Каменогорск"),
        ("Semey", "Семей"),
        ("Oral", "Уральск"),
        ("Shymkent", "Шымкент"),
        ("Nur-Sultan", "Астана"),
        ("Republic of Kazakhstan", "Казахстан"),
        # Kazakh names in the nominative, as a question may use them
        ("Омбы", "Омск"),
        ("Мәскеу", "Москва"),
        ("Ресей", "Россия"),
        ("Челябі облысы", "Челябинская область"),
        ("Алтай өлкесі", "Алтайский край"),
        ("Татарстан Республикасы", "Республика Татарстан"),
    ],
)
def test_alias_finds_place(knowledge, text, expected):
    mentions = knowledge.gazetteer.find(knowledge.morph.tokens(text))
    assert [knowledge.gazetteer.places[m.place_id].name for m in mentions][:1] == [expected]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Омбыдағы", "Омск"),
        ("Қостанайдың", "Костанай"),
        ("Челябі облысының", "Челябинская область"),
        ("Омбы облысының губернаторы", "Омская область"),
        ("Орынборда", "Оренбург"),
        ("Орынбор облысының", "Оренбургская область"),
        ("Мәскеуге", "Москва"),
        ("Мәскеу облысында", "Московская область"),
        ("Ресейдің", "Россия"),
        ("Ресей Федерациясының", "Россия"),
        ("Қорған облысымен", "Курганская область"),
        ("Түмен облысы", "Тюменская область"),
        ("Түменде", "Тюмень"),
        ("Новосібір облысының", "Новосибирская область"),
        ("Барнауылда", "Барнаул"),
        ("Алтай өлкесінің", "Алтайский край"),
        ("Алтай Республикасында", "Республика Алтай"),
        ("Татарстан Республикасының", "Республика Татарстан"),
        ("Башқұртстанның", "Республика Башкортостан"),
        ("Астрахан облысы", "Астраханская область"),
        ("Самар облысының", "Самарская область"),
        ("Саратов облысымен", "Саратовская область"),
        ("Свердлов облысының", "Свердловская область"),
        ("Қазан қаласында", "Казань"),
        ("Шығыс Қазақстан облысының", "Восточно-Казахстанская область"),
        ("Солтүстік Қазақстан облысы", "Северо-Казахстанская область"),
        ("Ақмола облысының", "Акмолинская область"),
        ("Қазақстан Республикасының", "Казахстан"),
        ("Нұр-Сұлтанда", "Астана"),
        ("Қырымда", "Республика Крым"),
        ("Ханты-Манси автономиялық округінің", "Ханты-Мансийский автономный округ — Югра"),
        ("Оралда", "Уральск"),
    ],
)
def test_kazakh_form_finds_place(knowledge, text, expected):
    """Kazakh text is stemmed, not lemmatised: case endings come off ("Омбыдағы" → "Омбы")."""
    mentions = knowledge.gazetteer.find(knowledge.morph.tokens(text, kazakh=True))
    assert [knowledge.gazetteer.places[m.place_id].name for m in mentions][:1] == [expected]


def test_ambiguous_and_common_foreign_words_are_not_places(knowledge):
    def places(text: str, kazakh: bool = False) -> list[str]:
        return [m.place_id for m in knowledge.gazetteer.find(knowledge.morph.tokens(text, kazakh=kazakh))]

    assert places("an oral agreement") == []  # "Oral" (Uralsk) only when capitalised
    assert places("a Scythian kurgan near the road") == []
    assert places("the Altai mountains") == []  # Altai Krai, the Altai Republic or the town: none
    assert places("18 Қазан 2019", kazakh=True) == []  # the month, not Kazan
    assert places("ол үйіне оралды", kazakh=True) == []  # "returned", not Орал
    assert places("елдің қорғаны", kazakh=True) == []  # "the country's bulwark", not Kurgan


def test_common_words_are_not_places(knowledge):
    for text in ("для семей с детьми", "орел в небе", "курган у дороги"):
        assert knowledge.gazetteer.find(knowledge.morph.tokens(text)) == []


def test_typos_are_forgiven_in_questions(knowledge):
    mentions = knowledge.gazetteer.find(knowledge.morph.tokens("петербрг и астна"), fuzzy=True)
    assert [knowledge.gazetteer.places[m.place_id].name for m in mentions] == ["Санкт-Петербург", "Астана"]


def test_city_belongs_to_its_region(knowledge):
    assert knowledge.gazetteer.region_of("c-chel") == "ru-che"
    assert knowledge.gazetteer.region_of("kz-ast") == "kz-ast"

"""Facts that hold on real news: one regression per error class, on paraphrases of real pages
(tests/data/real, each with its source url), through the same `coopbot facts` record the checks
score. The whole set is scored by `python scripts/eval.py --real tests/data/real`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.qa.engine import Engine
from bot.text.ingest import extract_file
from bot.text.report import record

REAL = Path(__file__).parent / "data" / "real"


@pytest.fixture(scope="module")
def facts(knowledge):
    cache: dict[str, dict] = {}

    def get(name: str) -> dict:
        if name not in cache:
            cache[name] = record(*extract_file(REAL / name, knowledge), knowledge)
        return cache[name]

    return get


def ids(places) -> set[str]:
    return {p["id"] for p in places}


def test_a_venue_is_never_a_party(facts):
    # an agreement of Chelyabinsk and East Kazakhstan signed at a forum held in Atyrau
    found = facts("06.md")
    assert [ids(a["parties"]) for a in found["agreements"] if a["kind"] == "соглашение"][0] == {"ru-che", "kz-vko"}
    roles = {p["id"]: p["role"] for p in found["places"]}
    assert roles["c-atr"] == "mention"
    # signed "во Владивостоке": the city is where, the Primorsky krai is who
    found = facts("22.md")
    assert ids(found["agreements"][0]["parties"]) == {"ru-pri", "ru-ta"}
    # Kazakh puts the venue in the locative: "форумы Омбыда өз жұмысын аяқтады", "Көкшетауда өтеді"
    roles = {p["id"]: p["role"] for p in facts("48.md")["places"]}
    assert roles["c-oms"] != "party" and roles["c-kok"] != "party"


def test_several_documents_in_one_sentence_are_several_records(facts):
    # "Павлодарской и Омской, Мангистауской и Астраханской, Западно-Казахстанской и
    # Оренбургской, Костанайской и Оренбургской областями подписаны документы"
    pairs = [ids(a["parties"]) for a in facts("05.md")["agreements"]]
    for pair in ({"kz-pav", "ru-oms"}, {"kz-man", "ru-ast"}, {"kz-zko", "ru-ore"}, {"kz-kos", "ru-ore"}):
        assert pair in pairs
    assert len(pairs) == len({frozenset(p) for p in pairs})  # each once


def test_documents_joined_in_one_sentence_keep_their_own_kind_and_period(facts):
    # "signed a protocol on the joint use … of the Irtysh River together with an Interaction Plan
    # … for 2025-2028": two documents, and the period is the plan's
    found = {a["kind"]: a for a in facts("37.md")["agreements"]}
    assert {"протокол", "план мероприятий"} <= set(found)
    assert found["план мероприятий"]["period"] == "2025–2028" and found["протокол"]["period"] is None
    # "The two also adopted the cross-border cooperation programs for 2017-2020"
    # "подписали соглашение о … сотрудничестве и план совместных мероприятий на ближайшие два года"
    assert {a["kind"] for a in facts("24.md")["agreements"]} >= {"соглашение", "план мероприятий"}
    programmes = [a for a in facts("39.md")["agreements"] if a["kind"] == "программа сотрудничества"]
    assert [(ids(a["parties"]), a["period"]) for a in programmes] == [({"kz-sko", "ru-oms"}, "2017–2020")]


def test_sister_cities_are_twinned_in_pairs(facts):
    # "Меморандумы об установлении побратимских отношений между Астраханью и городами … Атырау и Актау"
    pairs = [ids(a["parties"]) for a in facts("16.md")["agreements"] if a["kind"] == "побратимство"]
    assert sorted(pairs, key=sorted) == [{"c-ast", "c-aku"}, {"c-ast", "c-atr"}]
    signers = {a["parties"][1]["id"]: {s["name"] for s in a["signers"]} for a in facts("16.md")["agreements"]}
    assert "Ербол Избергенов" in signers["c-aku"] and "Ербол Избергенов" not in signers["c-atr"]  # each his own


def test_a_country_that_qualifies_a_region_is_no_party_and_no_signer(facts):
    # Kazakh: "Павлодар облысының әкімдігі мен Ресей Федерациясының Омбы облысы үкіметі арасындағы …
    # меморандумға … Орал қаласында өтіп жатқан Қазақстан мен Ресейдің … форумында қол қойылды"
    (memorandum,) = [a for a in facts("41.md")["agreements"] if a["kind"] == "меморандум"]
    assert ids(memorandum["parties"]) == {"kz-pav", "ru-oms"}
    assert all("Ресей" not in s["name"] for s in memorandum["signers"])


def test_kazakh_signing_with_possessive_hands_is_a_signing(knowledge, tmp_path):
    # "… 2025-2028 жылдарға арналған іс-шаралар жоспарына қолдарын қойды" (their hands: қол-дар-ы-н)
    page = tmp_path / "kk.md"
    page.write_text(
        "---\ntitle: СҚО мен Омбы облысы\nurl: https://example.kz/a\npublished: 2025-11-13\n---\n\n"
        "Форум барысында Солтүстік Қазақстан облысының әкімі Ғауез Нұрмұхамбетов пен Омбы облысының "
        "губернаторы Виталий Хоценко 2025-2028 жылдарға арналған іс-шаралар жоспарына қолдарын қойды.\n",
        encoding="utf-8",
    )
    (plan,) = record(*extract_file(page, knowledge), knowledge)["agreements"]
    assert plan["kind"] == "план мероприятий" and plan["period"] == "2025–2028"
    assert ids(plan["parties"]) == {"kz-sko", "ru-oms"}


def test_a_deadline_or_an_earlier_document_is_not_the_signing_date(facts):
    (roadmap,) = [a for a in facts("11.md")["agreements"] if a["kind"] == "дорожная карта"]
    assert roadmap["period"] == "2026–2028" and roadmap["signed"] != "2028"  # "до 2028 года" is a deadline
    (agreement,) = facts("12.md")["agreements"]  # the period is in the next sentence, about "документ"
    assert agreement["period"] == "2020–2022"


def test_signers_are_the_people_who_signed(facts):
    # "Подписи под Соглашением поставили губернатор … Александр Жилкин и аким … Бактыкожа Измухамбетов"
    (agreement,) = facts("19.md")["agreements"]
    assert [s["name"] for s in agreement["signers"]] == ["Александр Жилкин", "Бактыкожа Измухамбетов"]
    assert agreement["signers"][0]["post"].startswith("губернатор")
    # the governor who reports the signing is not a signer; outlets never sign
    for name in ("16.md", "17.md", "01.md"):
        signers = [s["name"] for a in facts(name)["agreements"] for s in a["signers"]]
        assert "Игорь Бабушкин" not in signers and "КАЗИНФОРМ" not in signers
        assert all(len(s.split()) >= 2 for s in signers)


def test_people_are_named_in_the_nominative_with_their_posts(facts):
    people = {p["name"]: p["post"] for p in facts("06.md")["people"]}
    assert "Бердыбек Сапарбаев" in people and "Бердыбеком Сапарбаевым" not in people
    people = {p["name"]: p["post"] for p in facts("01.md")["people"]}
    assert people["Владимир Корбут"].startswith("председатель")


def test_figures_belong_to_their_own_clause(facts):
    figures = {(f["value"], f["indicator"]): ids(f["sides"]) for f in facts("28.md")["figures"]}
    assert figures[(586.0, "Товарооборот")] == {"kz-akt", "ru"}
    assert figures[(212.0, "Экспорт")] == {"kz-akt", "ru"}  # "…, а экспорт достиг 212 млн"
    assert figures[(42.0, "Товарооборот")] == {"c-akt", "c-orb"}  # the cities' own figure
    growth = [f for f in facts("26.md")["figures"] if f["indicator"] == "Рост"]
    assert growth and growth[0]["value"] == 1.6


def test_english_figures_say_what_they_are_and_whose(facts):
    # "trade turnover between the regions, which amounts to $240 million"; "Kazakhstani enterprises
    # had invested only $10 million into the Omsk Region"
    figures = {f["value"]: (f["indicator"], ids(f["sides"])) for f in facts("39.md")["figures"]}
    assert figures[240.0] == ("Товарооборот", {"kz-sko", "ru-oms"})
    assert figures[10.0] == ("Инвестиции", {"kz", "ru-oms"})


def test_sentences_are_whole_and_free_of_datelines(facts):
    summary = facts("19.md")["summary"]
    assert not any(s[:1].islower() for s in summary)  # hard-wrapped lines joined again
    assert summary[0].endswith("сотрудничестве.")
    for name, dateline in (("16.md", "ИНТЕРФАКС-ЮГ"), ("27.md", "Sputnik"), ("17.md", "КАЗИНФОРМ")):
        assert not any(dateline in s for s in facts(name)["summary"]), name
    # an outlet named at the end ("…, передает alau.kz", "…, деп хабарлайды BAQ.KZ.") and the
    # page's <title> ("Headline - «Qazaqstan» Ұлттық телеарнасы") are not the article
    for name, mark in (("04.md", "alau.kz"), ("31.md", "BAQ.KZ"), ("41.md", "BAQ.KZ"), ("46.md", "телеарнасы")):
        assert not any(mark.lower() in s.lower() for s in facts(name)["summary"]), name
    assert any(s.endswith("академии танцев.") for s in facts("04.md")["summary"])  # the cut sentence still ends


def test_kazakh_words_and_old_names_are_read_as_places(knowledge):
    def places(text: str, kazakh: bool = False) -> list[str]:
        return [m.place_id for m in knowledge.gazetteer.find(knowledge.morph.tokens(text, kazakh=kazakh))]

    assert places("Осыған орай облыс әкімі кездесу өткізді", kazakh=True) == []  # no Орал in "орай"
    assert places("форум Оралда өтті", kazakh=True) == ["c-ura"]
    assert places("предприятия Рудного Алтая") == ["kz-vko"]  # the old name, not Рудный + Алтай
    assert places("фестиваль стран Большого Алтая") == []
    assert places("главы Алматинской и Челябинской областей") == ["kz-alm", "ru-che"]  # the region, not the city


def test_english_and_kazakh_articles_give_their_agreements_and_people(facts):
    english = facts("33.md")
    assert english["language"] == "en"
    assert {"kz-akm", "ru-kgn"} in [ids(a["parties"]) for a in english["agreements"]]
    assert {"Malik Murzalin", "Alexey Kokorin"} <= {p["name"] for p in english["people"]}
    kazakh = facts("45.md")
    assert kazakh["language"] == "kk"
    assert any(a["kind"] == "протокол" for a in kazakh["agreements"])
    assert {"Тайыр Мансұров", "Юрий Лужков"} <= {p["name"] for p in kazakh["people"]}


def test_names_lose_the_case_endings_of_both_languages(facts):
    # Kazakh endings on Russian surnames: "Андрей Никитинмен", "Алексей Текслердің"
    assert "Андрей Никитин" in {p["name"] for p in facts("47.md")["people"]}
    assert "Алексей Текслер" in {p["name"] for p in facts("44.md")["people"]}
    # "во главе с губернатором Вадимом Шумковым": a surname, not the adjective "Шумковой"
    assert "Вадим Шумков" in {p["name"] for p in facts("27.md")["people"]}


def test_facts_command_prints_one_json_line_per_article_and_stores_nothing(tmp_path):
    db = tmp_path / "s.sqlite3"
    files = [REAL / "19.md", REAL / "06.md"]
    done = subprocess.run(
        [sys.executable, "-m", "bot", "--db", str(db), "facts", "--json", *map(str, files)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert [Path(r["file"]).name for r in records] == ["19.md", "06.md"]
    assert set(records[0]) >= {"title", "language", "places", "agreements", "figures", "people", "summary"}
    assert not db.exists()


async def test_a_pair_only_mentioned_together_gets_the_honest_reply(knowledge, tmp_path):
    engine = await Engine.open(tmp_path / "s.sqlite3", knowledge, seed=False)
    try:
        await engine.ingest([REAL / "19.md"])  # Astrakhan and Atyrau sign at a forum in Yekaterinburg
        trap = await engine.ask("что подписали Свердловская и Атырауская области?")
        assert not trap.answer.results and "Нет информации" in trap.html
        real = await engine.ask("что подписали Астраханская и Атырауская области?")
        assert real.answer.results and "Жилкин" in real.html
    finally:
        await engine.close()


def _extract(knowledge, text: str):
    return knowledge.extractor().extract("", text, "2024-01-01")


def test_a_framework_document_named_beside_a_signing_is_not_signed(knowledge):
    # "в рамках соглашения": the roadmap was signed, the agreement only named
    facts = _extract(
        knowledge,
        "Подписана дорожная карта между Омской и Павлодарской областями в рамках соглашения о сотрудничестве.",
    )
    assert [a.kind for a in facts.agreements] == ["roadmap"]
    (plan,) = _extract(
        knowledge, "Подписан план мероприятий по реализации соглашения между Омской и Павлодарской областями."
    ).agreements
    assert plan.title == "план мероприятий по реализации соглашения"  # the name goes on past a document word


def test_a_twinned_city_stays_a_side_beside_its_own_region(knowledge):
    text = "Аким Костанайской области и мэр Кургана подписали соглашение о побратимстве между Курганом и Костанаем."
    (twinning,) = _extract(knowledge, text).agreements
    assert {"c-kgn", "c-kst"} <= set(twinning.parties)


def test_a_post_is_shared_by_a_list_only_when_it_is_plural(knowledge):
    people = {
        p.name: p
        for p in _extract(
            knowledge, "На встрече был аким Павлодарской области – Асаин Байханов, Иван Петров и Сергей Сидоров."
        ).people
    }
    assert people["Асаин Байханов"].post == "аким Павлодарской области" and people["Иван Петров"].post == ""
    people = {
        p.name: p
        for p in _extract(
            knowledge, "Соглашение подписали главы Омской и Павлодарской областей – Виталий Хоценко и Асаин Байханов."
        ).people
    }
    assert (
        people["Асаин Байханов"].post.startswith("глав") and people["Асаин Байханов"].side is None
    )  # whose region? not said
    people = {
        p.name: p
        for p in _extract(
            knowledge, "Губернатор провёл встречу с предпринимателями – Иван Петров рассказал о планах."
        ).people
    }
    assert people["Иван Петров"].post == ""  # a clause before the dash is no post


def test_text_with_no_words_extracts_nothing(knowledge):
    for text in ("", "   ", "\n\n\n", "\u2028"):
        assert _extract(knowledge, text).people == []
    # a name broken across the title and the first line is still one person
    facts = knowledge.extractor().extract(
        "Губернатор Виталий", "Хоценко провел встречу с акимом Павлодарской области.", None
    )
    assert "Виталий Хоценко" in [p.name for p in facts.people]


def test_a_paragraph_that_starts_like_a_label_is_kept(knowledge):
    text = (
        "Асаин Байханов\nАсаин Байханов – аким Павлодарской области с 2023 года.\n"
        "Далее текст статьи о сотрудничестве двух регионов."
    )
    assert "Асаин Байханов – аким Павлодарской области с 2023 года." in knowledge.cleaner.clean(text, "Заголовок")

"""The interface in Russian, Kazakh and English: the Telegram client's language, the /language
choice (remembered per person), the command menu, and catalogs that cover every text."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bot.language import i18n
from bot.qa import views
from tests.test_bot import buttons, shown, tap

ROOT = Path(__file__).resolve().parents[1]
MURMANSK = "Сотрудничество Мурманской области с Казахстаном"


async def test_english_client_gets_start_and_help_in_english(telegram):
    start = await telegram.ask(801, "/start", language_code="en")
    text = shown(start)
    assert text.startswith("👋 CoopBot answers questions about cooperation")
    assert "The database holds 5 items: 0 events from the registry and 5 articles" in text
    labels = [t for t, _ in buttons(start)]
    assert "🗺 Regions" in labels and "🏷 Topics" in labels
    assert "что подписали Питер и Астана?" in labels  # the example questions are data
    help_ = shown(await telegram.ask(801, "/help", language_code="en"))
    assert help_.startswith("How to ask") and "/regions — regions with data" in help_
    assert "what did St Petersburg and Astana sign?" in help_


async def test_kazakh_client_gets_start_and_help_in_kazakh(telegram):
    start = await telegram.ask(802, "/start", language_code="kk")
    text = shown(start)
    assert "сұрақтарға жауап береді" in text and "5 материал: тізілімнен 0 оқиға және 5 мақала" in text
    assert "🗺 Өңірлер" in [t for t, _ in buttons(start)]
    help_ = shown(await telegram.ask(802, "/help", language_code="kk"))
    assert help_.startswith("Қалай сұрау керек") and "/regions — базадағы өңірлер" in help_


async def test_other_clients_stay_russian(telegram):
    start = shown(await telegram.ask(803, "/start", language_code="de"))
    assert "отвечает на вопросы о сотрудничестве" in start and "В базе 5 материалов" in start


async def test_language_choice_is_remembered_for_that_user_only(telegram):
    menu = await telegram.ask(804, "/language")
    assert shown(menu) == "Выберите язык интерфейса:"
    assert [t for t, _ in buttons(menu)] == ["Русский", "Қазақша", "English"]
    chosen = await tap(telegram, 804, menu, "English", method="sendMessage")
    assert shown(chosen).startswith("Interface language: English.")

    nothing = shown(await telegram.ask(804, MURMANSK))
    assert nothing.startswith("🔎 Regions: Мурманская область, Казахстан · question: overview")
    assert "No information on cooperation: Мурманская область, Казахстан" in nothing
    answer = await telegram.ask(804, "что подписали Питер и Астана?")
    text = shown(answer)
    assert "\n\nSummary\n" in text and "\n\nFacts\n" in text and "\n\nSources\n" in text
    assert "Кратко" not in text and "Источники" not in text
    assert [t for t, _ in buttons(answer)] == ["📝 Region's agreements", "🔔 Subscribe to the digest"]
    # the choice outweighs the client's language, in every later update
    assert shown(await telegram.ask(804, "/help", language_code="kk")).startswith("How to ask")

    other = shown(await telegram.ask(805, MURMANSK))
    assert other.startswith("🔎 Регионы: Мурманская область") and "Нет информации о сотрудничестве" in other

    menu = await telegram.ask(804, "/language")
    assert shown(menu) == "Choose the interface language:"
    back = await tap(telegram, 804, menu, "Русский", method="sendMessage")
    assert shown(back).startswith("Язык интерфейса: русский.")
    assert "Кратко" in shown(await telegram.ask(804, "что подписали Питер и Астана?"))


async def test_command_menu_in_kazakh_and_english(telegram):
    russian = {c["command"]: c["description"] for c in telegram.fake.commands[""]}
    kazakh = {c["command"]: c["description"] for c in telegram.fake.commands["kk"]}
    english = {c["command"]: c["description"] for c in telegram.fake.commands["en"]}
    assert set(russian) == set(kazakh) == set(english) == {name for name, _ in views.COMMANDS}
    assert russian["regions"] == "регионы в базе" and kazakh["regions"] == "базадағы өңірлер"
    assert english["start"] == "what I can do, with example questions"
    assert english["language"] == "interface language" and english["subscribe"] == "digest of new agreements"
    assert all(kazakh[c] != russian[c] != english[c] for c in russian)


def test_russian_is_the_source_text_and_translations_keep_placeholders():
    text = "Нет информации по запросу «{question}»."
    assert i18n._(text) == text
    with i18n.use("en"):
        assert i18n._(text).format(question="x") == "No information for “x”."
    with i18n.use("kk"):
        assert i18n._("Ещё ▶") == "Тағы ▶" and i18n._("не переведённый текст") == "не переведённый текст"


def test_catalogs_translate_every_message():
    done = subprocess.run(
        [sys.executable, "scripts/messages.py", "--check"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert " 0 problems" in done.stdout

"""Synthetic corpus: N articles in the seeds' style about random pairs of gazetteer places.

    python scripts/gen_corpus.py 10000 /tmp/corpus [--seed 1]

Each article names a Russian and a Kazakh place (by name, alias or adjective, in oblique cases),
an agreement with a period, a trade figure, two officials and a few companies, and carries the
page furniture real sites add (share buttons, 'Читайте также', a weather widget).
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.text.knowledge import Knowledge  # noqa: E402

FIRST = ["Александр", "Сергей", "Андрей", "Ерлан", "Нурлан", "Марат", "Ольга", "Айгуль", "Дмитрий", "Бауыржан"]
LAST = ["Петров", "Смирнов", "Кузнецов", "Абдрахманов", "Сейтказин", "Жумабаев", "Волков", "Нуриев", "Ахметов"]
COMPANIES = [
    "Техмаш",
    "АгроСтепь",
    "КазСтройСтекло",
    "Уралэнерго",
    "СибЛогистик",
    "ЦифраГрад",
    "Нефтехимпром",
    "Зерновая компания",
    "ФармаМед",
    "ЭкоТранс",
    "СтальИнвест",
    "Медиасеть",
]
TOPICS = [
    "энергетики",
    "машиностроения",
    "сельского хозяйства",
    "логистики",
    "образования",
    "здравоохранения",
    "туризма",
    "цифровизации",
    "культуры",
    "спорта",
    "инвестиций",
    "нефтегазовой отрасли",
]
KINDS = [
    "меморандум о сотрудничестве",
    "соглашение о торгово-экономическом сотрудничестве",
    "дорожную карту",
    "план мероприятий по развитию сотрудничества",
]
MONTHS = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
]


def _genitive(k: Knowledge, name: str) -> str:
    """'Челябинская область' → 'Челябинской области' (pymorphy3 inflects word by word)."""
    words = []
    for word in name.split():
        parse = k.morph._analyzer.parse(word)[0]
        form = parse.inflect({"gent"}) if parse.tag.case else None
        words.append((form.word.capitalize() if word[:1].isupper() else form.word) if form else word)
    return " ".join(words)


def article(k: Knowledge, rng: random.Random, n: int) -> str:
    places = list(k.gazetteer.places.values())
    ru = rng.choice([p for p in places if p.country == "RU" and not p.is_country])
    kz = rng.choice([p for p in places if p.country == "KZ" and not p.is_country])
    year = rng.randint(2012, 2025)
    day, month = rng.randint(1, 28), rng.randint(1, 12)
    start = year + rng.randint(0, 1)
    person_ru, person_kz = f"{rng.choice(FIRST)} {rng.choice(LAST)}", f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    topic, kind = rng.choice(TOPICS), rng.choice(KINDS)
    companies = rng.sample(COMPANIES, 3)
    amount = f"{rng.randint(1, 900)},{rng.randint(1, 9)} млн долларов"
    ru_g, kz_g = _genitive(k, ru.name), _genitive(k, kz.name)
    title = f"Делегация {ru_g} посетила {kz.name}" if n % 2 else f"{ru.name} и {kz.name} расширяют сотрудничество"
    body = f"""Поделиться

{day} {MONTHS[month - 1]} {year}

Губернатор {ru_g} {person_ru} встретился с акимом {kz_g} {person_kz}. Стороны обсудили сотрудничество в сфере {topic}.

По итогам встречи {person_ru} и {person_kz} подписали {kind} на {start}-{start + rng.randint(2, 5)} годы.

Товарооборот {ru_g} и Казахстана в {year - 1} году составил {amount}. Компании «{companies[0]}» и «{companies[1]}» договорились о поставках продукции, а «{companies[2]}» откроет представительство.

Деловая программа началась {day} {MONTHS[month - 1]} с открытия выставки в сфере {topic}.

Читайте также
Погода
Алматы -2
Астана -16
Караганда -7
Шымкент 5
"""  # noqa: E501 - an article line is as long as its paragraph
    return (
        f"---\ntitle: {title}\nurl: https://synthetic.test/{n}\npublisher: Синтетические новости\n"
        f"published: {year}-{month:02d}-{day:02d}\n---\n\n{body}"
    )


def generate(count: int, out: Path, seed: int = 1) -> list[Path]:
    k = Knowledge()
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        path = out / f"{n:06d}.md"
        path.write_text(article(k, rng, n), encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.count, args.out, args.seed)
    print(f"{args.count} articles in {args.out}")


if __name__ == "__main__":
    main()

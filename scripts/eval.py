"""Public evaluation: CoopBot's answers beside two baselines on the same store, in one run; and
(``--real DIR``) fact extraction on paraphrased real pages, per class of fact.

    python scripts/eval.py [--questions ../shared/eval/questions.jsonl] [--seeds ../shared/seeds/seeds.json]
    python scripts/eval.py --real tests/data/real [--real ../shared/eval/real]

The extraction scores follow the matching rules of the shared real-text checker
(``../shared/eval/realtext.py``, loaded from there rather than copied): agreements found, their
parties free of venues, duplicates, dates, signers who are people, people with posts, figures with
their sides, clean summary sentences, English and Kazakh agreements.

Region accuracy compares places at region level (a city counts as its region, so "Омск" and
"Омская область" are the same side) and needs the exact set; a negative is handled when the
answer has no results. Facts count when every expected string is in the message text.
"""

from __future__ import annotations

import argparse
import asyncio
import html
import json
import sys
import tempfile
from pathlib import Path

from rapidfuzz import fuzz, process
from razdel import tokenize

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.qa.engine import Engine  # noqa: E402
from bot.text.knowledge import Knowledge  # noqa: E402


def region_level(names: list[str], k: Knowledge) -> set[str]:
    out = set()
    for name in names:
        mentions = k.gazetteer.find(k.morph.tokens(name), fuzzy=True)
        ids = (
            [m.place_id for m in mentions[:1]]
            or [  # a stem ("Чукот"): the place whose name it begins
                p.id for p in k.gazetteer.places.values() if p.name.lower().startswith(name.lower())
            ][:1]
        )
        if not ids:
            raise SystemExit(f"eval: the gazetteer does not know {name!r}")
        out.add(k.gazetteer.region_of(ids[0]))
    return out


def pct(hits: int, total: int) -> str:
    return f"{100 * hits / total:5.1f}% ({hits}/{total})" if total else "   n/a"


async def evaluate(questions: list[dict], url_of: dict[str, str]) -> list[str]:
    k = Knowledge()
    with tempfile.TemporaryDirectory() as tmp:
        engine = await Engine.open(Path(tmp) / "eval.sqlite3", k)
        texts = await engine.store.all_texts()
        ids = [i for i, _ in texts]
        urls = {a.id: a.url for a in (await engine.store.articles(ids)).values()}
        stats = {name: {"top1": 0, "top3": 0, "neg": 0} for name in ("coopbot", "fts5 bm25", "rapidfuzz WRatio")}
        regions_ok = facts_ok = facts_total = 0
        failures = []
        positives = [q for q in questions if q["article"]]
        negatives = [q for q in questions if not q["article"]]
        for q in questions:
            reply = await engine.ask(q["question"])
            data = reply.to_json(k)
            got = {k.gazetteer.region_of(r["id"]) for r in data["regions"]}
            if got == region_level(q["regions"], k):
                regions_ok += 1
            else:
                failures.append(f"{q['id']} regions: {sorted(got)}")
            words = [t.text.lower() for t in tokenize(q["question"]) if t.text.isalnum() and len(t.text) > 2]
            ranked = {
                "coopbot": [r["url"] for r in data["results"]],
                "fts5 bm25": [urls[i] for i in await engine.store.baseline_text_search(words, 3)],
                "rapidfuzz WRatio": [
                    urls[ids[m[2]]]
                    for m in process.extract(
                        q["question"].lower(), [t.lower() for _, t in texts], scorer=fuzz.WRatio, limit=3
                    )
                ],
            }
            expected = url_of.get(q["article"]) if q["article"] else None
            for name, got_urls in ranked.items():
                if expected is None:
                    stats[name]["neg"] += not got_urls
                else:
                    stats[name]["top1"] += bool(got_urls) and got_urls[0] == expected
                    stats[name]["top3"] += expected in got_urls[:3]
            if expected and ranked["coopbot"][:1] != [expected]:
                failures.append(f"{q['id']} top-1: {ranked['coopbot'][:1]}")
            if q["facts"]:
                facts_total += 1
                text = html.unescape(data["text"]).casefold()
                if all(f.casefold() in text for f in q["facts"]):
                    facts_ok += 1
                else:
                    failures.append(f"{q['id']} facts missing: {q['facts']}")
        await engine.close()
    lines = [
        f"questions: {len(questions)} ({len(positives)} with an expected article, {len(negatives)} negatives)",
        f"region accuracy (coopbot): {pct(regions_ok, len(questions))}",
        f"facts in answer (coopbot): {pct(facts_ok, facts_total)}",
        "",
        f"{'system':18} {'top-1':>16} {'top-3':>16} {'negatives handled':>20}",
    ]
    for name, s in stats.items():
        lines.append(
            f"{name:18} {pct(s['top1'], len(positives)):>16} {pct(s['top3'], len(positives)):>16} "
            f"{pct(s['neg'], len(negatives)):>20}"
        )
    if failures:
        lines += ["", "misses:", *failures]
    return lines


CHECKER = ROOT.parent / "shared" / "eval" / "realtext.py"
CLASSES = [("recall", "agreements found"), ("precision", "parties with no venue"), ("dates", "dates or periods right"),
           ("signers", "signers who are people"), ("people", "people (with posts)"), ("figures", "figures with sides"),
           ("summaries", "clean summary sentences"), ("enkk", "English and Kazakh agreements")]  # fmt: skip


def real_text(directory: Path) -> list[str]:
    """Extraction on the pages of ``directory`` (NN.md + expected.json), scored per class."""
    import importlib.util

    from bot.text.ingest import extract_file
    from bot.text.report import record

    if not CHECKER.exists():
        return [f"{directory}: the real-text checker {CHECKER} is not here; nothing scored"]
    spec = importlib.util.spec_from_file_location("realtext", CHECKER)
    assert spec and spec.loader
    checker = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(checker)
    k = Knowledge()
    expected = {e["file"]: e for e in json.loads((directory / "expected.json").read_text(encoding="utf-8"))}
    files = sorted(directory.glob("*.md"))
    arts = [{"file": f.name, "expected": expected[f.name], "body": checker.read_article(f)[1]} for f in files]
    records = [record(*extract_file(f, k), k) for f in files]
    failures: list[str] = []
    scores = checker.score_facts(arts, records, failures.append)
    lines = [f"{directory}: {len(files)} pages"]
    lines += [f"  {label:32} {pct(*scores[key])}" for key, label in CLASSES]
    lines.append(f"  {'duplicate records':32} {scores['duplicates']}")
    return [*lines, "  misses:", *(f"    {m}" for m in failures)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=Path, default=ROOT.parent / "shared" / "eval" / "questions.jsonl")
    parser.add_argument("--seeds", type=Path, default=ROOT.parent / "shared" / "seeds" / "seeds.json")
    parser.add_argument("--real", type=Path, action="append", help="score extraction on these real-page folders")
    args = parser.parse_args()
    if args.real:
        for directory in args.real:
            print("\n".join(real_text(directory)))
        return
    questions = [json.loads(line) for line in args.questions.read_text(encoding="utf-8").splitlines() if line.strip()]
    url_of = {key: meta["url"] for key, meta in json.loads(args.seeds.read_text(encoding="utf-8")).items()}
    print("\n".join(asyncio.run(evaluate(questions, url_of))))


if __name__ == "__main__":
    main()

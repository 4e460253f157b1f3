"""Digests of new agreements: which new deals each subscription gets, and the messages that
carry them — grouped by region pair, each deal with its date, kind, parties, one sentence from
the article and its source links; split into messages of at most 4096 characters."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.digests.subscriptions import matches
from bot.language.i18n import _
from bot.models import Subscription
from bot.qa.answer import agreement_line
from bot.qa.dates import human_date
from bot.qa.render import TELEGRAM_LIMIT, clip, e, link
from bot.text.knowledge import Knowledge
from storage import Store
from storage.digests import DealReport

MAX_SOURCES = 3
_PART_NOTE = 24  # room for " (часть 12/34)" after the header


@dataclass(slots=True)
class Planned:
    subscription: Subscription
    deals: list[DealReport]
    parts: list[str]


def _pair(report: DealReport, k: Knowledge) -> tuple[str, ...]:
    regions = dict.fromkeys(k.gazetteer.region_of(p) for p in report.agreement.parties)
    return tuple(sorted(k.gazetteer.names.get(r, r) for r in regions))


def _deal_lines(report: DealReport, k: Knowledge, sources: int = MAX_SOURCES) -> str:
    a = report.agreement
    when = human_date(a.signed or report.articles[0].published)
    links = ", ".join(
        f"{link(art.url, clip(art.publisher or art.title, 60))} ({human_date(art.published)})"
        for art in report.articles[:sources]
    )
    lines = [f"• <b>{e(when)}</b> · {e(clip(agreement_line(a, k), 400))}"]
    if a.sentence:
        lines.append(f"  <i>{e(clip(a.sentence, 220))}</i>")
    lines.append("  " + _("Источники: {links}").format(links=links))
    return "\n".join(lines)


def compose(reports: list[DealReport], k: Knowledge) -> list[str]:
    """The digest as messages: a header, then region pairs with their deals; a part never ends
    mid-deal, and a pair continued in the next part repeats its heading."""
    header = _("🔔 <b>Новые соглашения</b> — {n}").format(n=len(reports))
    by_pair: dict[tuple[str, ...], list[DealReport]] = {}
    for report in reports:
        by_pair.setdefault(_pair(report, k), []).append(report)
    budget = TELEGRAM_LIMIT - len(header) - _PART_NOTE
    parts: list[list[str]] = []
    size = budget + 1  # the first unit opens the first part
    for pair, deals in by_pair.items():
        heading = f"\n<b>{e(' — '.join(pair))}</b>"
        for n, report in enumerate(deals):
            unit = _deal_lines(report, k)
            if len(heading) + len(unit) + 2 > budget:  # very long links: keep the first source only
                unit = _deal_lines(report, k, sources=1)
            new_part = size + len(unit) + 1 + (len(heading) + 1 if n == 0 else 0) > budget
            if new_part:
                parts.append([])
                size = 0
            if new_part or n == 0:
                parts[-1].append(heading)
                size += len(heading) + 1
            parts[-1].append(unit)
            size += len(unit) + 1
    total = len(parts)
    return [
        f"{header}{' ' + _('(часть {i}/{total})').format(i=i, total=total) if total > 1 else ''}\n" + "\n".join(lines)
        for i, lines in enumerate(parts, 1)
    ]


def is_news(report: DealReport, now: dt.datetime, max_age_days: int) -> bool:
    """A deal a digest may announce: reported by a news article (registry entries are history)
    and dated — signed on a known day, else published — within ``max_age_days`` of ``now``."""
    if report.history:
        return False
    signed = report.agreement.signed or ""
    dates = [signed] if len(signed) == 10 else [a.published for a in report.articles if a.published]
    if not dates:
        return True  # no date at all: first seen now, so news now
    return (now.date() - dt.date.fromisoformat(min(dates)[:10])).days <= max_age_days


async def plan(
    store: Store, k: Knowledge, now: dt.datetime, max_age_days: int = 30, *, dry_run: bool = False
) -> list[Planned]:
    """For every active subscription that is due, the new deals matching its filters (news only:
    see ``is_news``) and the digest messages; unless ``dry_run``, they go to the outbox and the
    subscription's mark moves past them in the same transaction."""
    digests = store.digests
    subs = await digests.subscriptions(active=True)
    if not subs:
        return []
    newest = await digests.newest_deal()
    low = min(s.seen_deal for s in subs)
    reports = (
        [r for r in await digests.deals_after(low) if r.deal_id <= newest and is_news(r, now, max_age_days)]
        if low < newest
        else []
    )
    planned = []
    stamp = now.astimezone(dt.UTC).isoformat(timespec="seconds")
    for sub in subs:
        if not sub.is_due(now) or (sub.frequency == "instant" and sub.seen_deal >= newest):
            continue
        mine = [r for r in reports if r.deal_id > sub.seen_deal and matches(sub, r.agreement.parties, r.topics, k)]
        parts = compose(mine, k) if mine else []
        if mine:
            planned.append(Planned(sub, mine, parts))
        if not dry_run:
            last = None if sub.frequency == "instant" else stamp
            await digests.plan(sub, f"{sub.seen_deal}-{newest}", parts, newest, last)
    return planned

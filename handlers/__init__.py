"""aiogram routers, one per feature, composed in one place.

Each feature module registers its handlers in ``make_router()``: a router can join only one
dispatcher, and the tests, the console chat and the bot each build their own."""

from __future__ import annotations

from aiogram import Router

from handlers import browse, errors, fallback, info, inline, membership, questions, subscriptions


def setup_routers() -> Router:
    """The root router: features in the order they claim updates, the fallback last; the error
    handler sits on the root so that it sees what any feature raises."""
    root = Router(name="root")
    root.include_routers(
        membership.make_router(),
        info.make_router(),
        browse.make_router(),
        subscriptions.make_router(),
        questions.make_router(),
        inline.make_router(),
        fallback.make_router(),
    )
    root.errors.register(errors.on_error)
    return root

"""aiogram routers, one per feature, composed in one place."""
from __future__ import annotations

from aiogram import Router

from handlers import browse, errors, fallback, info, inline, questions


def setup_routers() -> Router:
    """The root router: features in the order they claim updates; the fallback last, the error
    handler on the root so that it sees what any feature raises."""
    root = Router(name="root")
    root.include_routers(info.router, browse.router, questions.router, inline.router, fallback.router)
    root.errors.register(errors.on_error)
    return root

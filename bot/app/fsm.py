"""Where conversations are kept: aiogram's FSM storage interface (``BaseStorage``) over the
store, so the previous question's context survives a restart; an operator who runs several bot
processes sets ``REDIS_URL`` and gets aiogram's ``RedisStorage`` instead — a settings change."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, StateType, StorageKey

from bot.settings import Settings
from storage.conversations import ConversationQueries


def _key(key: StorageKey) -> str:
    parts = (key.bot_id, key.chat_id, key.user_id, key.thread_id or "", key.business_connection_id or "", key.destiny)
    return ":".join(map(str, parts))


class StoreStorage(BaseStorage):
    """FSM states and data in the store's ``conversations`` table."""

    def __init__(self, conversations: ConversationQueries) -> None:
        self.conversations = conversations

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        value = state.state if isinstance(state, State) else state
        await self.conversations.set_state(_key(key), value)

    async def get_state(self, key: StorageKey) -> str | None:
        return (await self.conversations.get(_key(key)))[0]

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        await self.conversations.set_data(_key(key), dict(data))

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        return (await self.conversations.get(_key(key)))[1]

    async def close(self) -> None:
        await self.conversations.prune()


def storage_for(settings: Settings, conversations: ConversationQueries) -> BaseStorage:
    """The store (one process), or Redis when ``REDIS_URL`` is set (several processes)."""
    if settings.redis_url:
        from aiogram.fsm.storage.redis import RedisStorage  # the `redis` extra

        return RedisStorage.from_url(settings.redis_url)
    return StoreStorage(conversations)

"""A fake Telegram Bot API server for end-to-end tests: aiohttp on 127.0.0.1 speaking the real
HTTP protocol (``/bot<token>/<method>``, form or JSON parameters, ``{"ok": …}`` answers), with a
real long poll on getUpdates. It rejects what Telegram rejects — HTML with unsupported tags or
unescaped ``<``/``&``, text over 4096 characters, callback_data over 64 bytes, more than 50 inline
results — and can inject 429/403/5xx answers and dropped connections on any method."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

TOKEN = "123456:TEST-token_for-fake-server"
BOT_USER = {"id": 123456, "is_bot": True, "first_name": "CoopBot", "username": "coopbot_test_bot"}
LOOKUPS = {"getChat", "getChatMember", "getMe"}
JSON_FIELDS = {
    "reply_markup",
    "link_preview_options",
    "results",
    "commands",
    "reply_parameters",
    "allowed_updates",
    "scope",
    "entities",
    "button",
}
TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "span",
    "tg-spoiler",
    "a",
    "code",
    "pre",
    "blockquote",
    "tg-emoji",
}
_TAG = re.compile(r'<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+(?:="[^"<]*")?)*)\s*>')
_ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|lt|gt|amp|quot);")
_ENTITY_CHARS = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


class BadRequest(Exception):
    def __init__(self, description: str, code: int = 400, parameters: dict | None = None) -> None:
        super().__init__(description)
        self.code, self.description, self.parameters = code, description, parameters


def parse_html(text: str) -> str:
    """The text Telegram would show for HTML parse mode, or BadRequest as Telegram words it."""
    out, stack, i = [], [], 0
    while i < len(text):
        ch = text[i]
        if ch == "<":
            m = _TAG.match(text, i)
            if not m:
                raise BadRequest(f"Bad Request: can't parse entities: Unexpected character '<' at byte offset {i}")
            closing, tag = m.group(1), m.group(2).lower()
            if tag not in TAGS:
                raise BadRequest(
                    f'Bad Request: can\'t parse entities: Unsupported start tag "{tag}" at byte offset {i}'
                )
            if closing:
                if not stack or stack.pop() != tag:
                    raise BadRequest(f"Bad Request: can't parse entities: Unmatched end tag at byte offset {i}")
            else:
                if tag == "a" and "href=" not in m.group(3):
                    raise BadRequest("Bad Request: can't parse entities: a tag without href")
                stack.append(tag)
            i = m.end()
        elif ch == "&":
            m = _ENTITY.match(text, i)
            if not m:
                raise BadRequest(f"Bad Request: can't parse entities: Character '&' is reserved at byte offset {i}")
            name = m.group(1)
            out.append(_ENTITY_CHARS.get(name) or chr(int(name[2:], 16) if name[1] == "x" else int(name[1:])))
            i = m.end()
        else:
            out.append(ch)
            i += 1
    if stack:
        raise BadRequest(
            f"Bad Request: can't parse entities: Can't find end tag corresponding to start tag {stack[-1]}"
        )
    return "".join(out)


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    status: int = 200
    result: Any = None
    error: str = ""
    injected: bool = False
    at: float = field(default_factory=time.monotonic)


class FakeTelegram:
    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.calls: list[Call] = []
        self.faults: dict[str, list[tuple[int, str, dict | None]]] = {}
        self.chats: dict[int, dict] = {}
        self.messages: dict[tuple[int, int], dict] = {}
        self.commands: dict[str, list[dict]] = {}
        self.webhook: dict[str, Any] = {}
        self.members: dict[tuple[int, int], str] = {}  # (chat id, user id) → creator/administrator/member/left
        self.usernames: dict[str, int] = {}  # "@channel" → chat id
        self._updates: list[dict] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._changed = asyncio.Condition()
        self.polling = asyncio.Event()  # set by the first getUpdates
        self.flaky: dict[str, tuple[float, int, random.Random]] = {}  # method → (share of 429s, retry_after, rng)
        self.delivered = 0  # successful sendMessage calls
        self.hold_after: int | None = None  # hold every sendMessage after this many were delivered
        self.released = asyncio.Event()
        self.redirecting: set[str] = set()  # methods answered with a redirect to themselves, forever
        self._runner: web.AppRunner | None = None
        self.url = ""

    # -- server -----------------------------------------------------------------------------
    async def start(self) -> str:
        app = web.Application(client_max_size=10 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        return self.url

    def flood(self, method: str, share: float, retry_after: int = 1, seed: int = 1) -> None:
        """Answer a random ``share`` of ``method`` calls with 429 (Telegram's flood control)."""
        self.flaky[method] = (share, retry_after, random.Random(seed))

    def hold(self, after: int) -> None:
        """Deliver ``after`` more messages, then leave every sendMessage unanswered (a process
        killed then has sent exactly those)."""
        self.hold_after = self.delivered + after
        self.released.clear()

    def release(self) -> None:
        self.hold_after = None
        self.released.set()

    async def stop(self) -> None:
        async with self._changed:
            self._changed.notify_all()
        if self._runner:
            await self._runner.cleanup()

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        if request.match_info["token"] != self.token:
            return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401)
        if method in self.redirecting:  # a misconfigured proxy in front of the Bot API
            raise web.HTTPFound(request.path_qs)
        params = await _params(request)
        call = Call(method, params)
        try:
            fault = self._take_fault(method)
            if fault == "drop":
                request.transport.close()
                call.status, call.error, call.injected = 0, "connection dropped", True
                await self._record(call)
                return web.Response()
            if fault:
                call.injected = True
                raise fault
            if method == "sendMessage" and self.hold_after is not None and self.delivered >= self.hold_after:
                await self.released.wait()  # never answered while held: the message is not delivered
                if request.transport is None or request.transport.is_closing():
                    return web.Response(status=499)  # its sender died meanwhile: it never arrived
            handler = getattr(self, f"_{_snake(method)}", None)
            if handler is None:
                raise BadRequest("Not Found: method not found", 404)
            if method == "getUpdates":
                call.result = await handler(params)
            else:
                call.result = handler(params)
            body, status = {"ok": True, "result": call.result}, 200
        except BadRequest as exc:
            call.status, call.error = exc.code, exc.description
            body = {"ok": False, "error_code": exc.code, "description": exc.description}
            if exc.parameters:
                body["parameters"] = exc.parameters
            status = exc.code
        if method != "getUpdates" or call.result or call.status != 200:
            await self._record(call)
        return web.json_response(body, status=status)

    async def _record(self, call: Call) -> None:
        async with self._changed:
            self.calls.append(call)
            self.delivered += call.method == "sendMessage" and call.status == 200
            self._changed.notify_all()

    def _take_fault(self, method: str) -> BadRequest | str | None:
        if method in self.flaky:
            share, retry_after, rng = self.flaky[method]
            if rng.random() < share:
                return BadRequest(f"Too Many Requests: retry after {retry_after}", 429, {"retry_after": retry_after})
        queue = self.faults.get(method)
        if not queue:
            return None
        code, description, parameters = queue.pop(0)
        return "drop" if code == 0 else BadRequest(description, code, parameters)

    # -- what tests do ------------------------------------------------------------------------
    def fail(
        self, method: str, code: int, times: int = 1, retry_after: int | None = None, description: str | None = None
    ) -> None:
        """The next ``times`` calls of ``method`` answer ``code`` (0: the connection drops)."""
        descriptions = {
            429: f"Too Many Requests: retry after {retry_after}",
            403: "Forbidden: bot was blocked by the user",
            500: "Internal Server Error",
            502: "Bad Gateway",
        }
        parameters = {"retry_after": retry_after} if retry_after is not None else None
        self.faults.setdefault(method, []).extend(
            [(code, description or descriptions.get(code, "Bad Request"), parameters)] * times
        )

    async def push(self, **event: Any) -> int:
        update_id = next(self._update_ids)
        for part in event.values():
            chat = part.get("chat") or (part.get("message") or {}).get("chat")
            if chat:
                self.chats.setdefault(chat["id"], chat)
        async with self._changed:
            self._updates.append({"update_id": update_id, **event})
            self._changed.notify_all()
        return update_id

    def user(self, user_id: int, language_code: str = "ru") -> dict:
        return {"id": user_id, "is_bot": False, "first_name": f"User{user_id}", "language_code": language_code}

    async def send(
        self, user_id: int, text: str | None, *, chat: dict | None = None, language_code: str = "ru", **extra: Any
    ) -> int:
        """A message from ``user_id`` (whose Telegram client speaks ``language_code``) in their
        private chat, or in ``chat``."""
        chat = chat or {"id": user_id, "type": "private", "first_name": f"User{user_id}"}
        message = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": self.user(user_id, language_code),
            **extra,
        }
        if text is not None:
            message["text"] = text
            if text.startswith("/"):
                command = text.split()[0]
                message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        self.messages[(chat["id"], message["message_id"])] = message
        return await self.push(message=message)

    async def post(self, channel: dict, text: str) -> int:
        """A post in a channel (Telegram sends it as ``channel_post``, from the channel itself)."""
        message = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": channel,
            "sender_chat": channel,
            "text": text,
        }
        if text.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        return await self.push(channel_post=message)

    async def tap(self, user_id: int, message: dict, data: str, language_code: str = "ru") -> int:
        return await self.push(
            callback_query={
                "id": str(next(self._message_ids)),
                "from": self.user(user_id, language_code),
                "chat_instance": "ci",
                "message": message,
                "data": data,
            }
        )

    async def inline(self, user_id: int, query: str) -> int:
        return await self.push(
            inline_query={"id": str(next(self._message_ids)), "from": self.user(user_id), "query": query, "offset": ""}
        )

    async def drained(self, timeout: float = 15.0) -> None:  # noqa: ASYNC109 - a test's deadline
        """Until the bot has fetched every pushed update (its next long poll confirmed them)."""
        async with asyncio.timeout(timeout), self._changed:
            await self._changed.wait_for(lambda: not self._updates)

    async def wait_for(
        self,
        predicate: Callable[[Call], bool],
        timeout: float = 15.0,  # noqa: ASYNC109 - every test names its own deadline
        after: int = 0,
    ) -> Call:
        """The first recorded call from index ``after`` on that satisfies ``predicate``."""

        async def found() -> Call:
            async with self._changed:
                while True:
                    for call in self.calls[after:]:
                        if predicate(call):
                            return call
                    await self._changed.wait()

        return await asyncio.wait_for(found(), timeout)

    async def reply_to(
        self,
        chat_id: int,
        after: int = 0,
        method: str = "sendMessage",
        timeout: float = 15.0,  # noqa: ASYNC109 - every test names its own deadline
    ) -> Call:
        return await self.wait_for(
            lambda c: c.method == method and c.status == 200 and int(c.params.get("chat_id", 0)) == chat_id,
            timeout,
            after,
        )

    def sent_to(self, chat_id: int, method: str = "sendMessage") -> list[Call]:
        return [
            c
            for c in self.calls
            if c.method == method and c.status == 200 and int(c.params.get("chat_id", 0)) == chat_id
        ]

    def rejected(self) -> list[Call]:
        """What the bot sent that Telegram would refuse (and no test asked to refuse); failed
        lookups (getChat of a channel that does not exist) are answers, not refusals."""
        return [c for c in self.calls if c.status != 200 and not c.injected and c.method not in LOOKUPS]

    # -- Bot API methods ----------------------------------------------------------------------
    async def _get_updates(self, params: dict) -> list[dict]:
        self.polling.set()
        offset = int(params.get("offset") or 0)
        timeout = float(params.get("timeout") or 0)
        async with self._changed:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
            self._changed.notify_all()  # for drained(): these updates reached the bot
            if not self._updates and timeout:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), timeout)
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
            return list(self._updates[: int(params.get("limit") or 100)])

    def _get_me(self, params: dict) -> dict:
        return BOT_USER

    def _send_message(self, params: dict) -> dict:
        chat_id = self._chat_id(params["chat_id"])
        text = _checked_text(params)
        markup = _checked_markup(params.get("reply_markup"))
        chat = self.chats.get(chat_id, {"id": chat_id, "type": "private"})
        message = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": BOT_USER,
            "text": text,
        }
        if markup:
            message["reply_markup"] = markup
        self.messages[(chat_id, message["message_id"])] = message
        return message

    def _edit_message_text(self, params: dict) -> dict:
        key = (int(params["chat_id"]), int(params["message_id"]))
        message = self.messages.get(key)
        if message is None:
            raise BadRequest("Bad Request: message to edit not found")
        text = _checked_text(params)
        markup = _checked_markup(params.get("reply_markup"))
        if text == message.get("text") and markup == message.get("reply_markup"):
            raise BadRequest(
                "Bad Request: message is not modified: specified new message content and reply "
                "markup are exactly the same as a current content and reply markup of the message"
            )
        message = {**message, "text": text, "edit_date": int(time.time())}
        message.pop("reply_markup", None)
        if markup:
            message["reply_markup"] = markup
        self.messages[key] = message
        return message

    def _answer_callback_query(self, params: dict) -> bool:
        if len(params.get("text") or "") > 200:
            raise BadRequest("Bad Request: MESSAGE_TOO_LONG")
        return True

    def _answer_inline_query(self, params: dict) -> bool:
        results = params.get("results") or []
        if len(results) > 50:
            raise BadRequest("Bad Request: RESULTS_TOO_MUCH")
        ids = [r["id"] for r in results]
        if len(set(ids)) != len(ids) or any(not 1 <= len(i.encode()) <= 64 for i in ids):
            raise BadRequest("Bad Request: RESULT_ID_INVALID")
        for result in results:
            content = result.get("input_message_content") or {}
            _checked_text({"text": content.get("message_text", ""), "parse_mode": content.get("parse_mode")})
        return True

    def _set_my_commands(self, params: dict) -> bool:
        commands = params.get("commands") or []
        for c in commands:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", c["command"]) or not 1 <= len(c["description"]) <= 256:
                raise BadRequest("Bad Request: BOT_COMMAND_INVALID")
        self.commands[params.get("language_code") or ""] = commands
        return True

    def _delete_webhook(self, params: dict) -> bool:
        self.webhook = {}
        return True

    def _set_webhook(self, params: dict) -> bool:
        secret = params.get("secret_token") or ""
        if secret and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret):
            raise BadRequest("Bad Request: secret token contains unallowed characters")
        self.webhook = params
        return True

    def _send_chat_action(self, params: dict) -> bool:
        return True

    def channel(self, chat_id: int, username: str, title: str) -> dict:
        """A channel the tests can refer to by @username."""
        chat = {"id": chat_id, "type": "channel", "title": title, "username": username.lstrip("@")}
        self.chats[chat_id] = chat
        self.usernames[username.lower()] = chat_id
        return chat

    def _chat_id(self, value: Any) -> int:
        if isinstance(value, str) and value.startswith("@"):
            if value.lower() not in self.usernames:
                raise BadRequest("Bad Request: chat not found")
            return self.usernames[value.lower()]
        return int(value)

    def _get_chat(self, params: dict) -> dict:
        chat_id = self._chat_id(params["chat_id"])
        if chat_id not in self.chats:
            raise BadRequest("Bad Request: chat not found")
        return {
            **self.chats[chat_id],
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }

    def _get_chat_member(self, params: dict) -> dict:
        chat_id, user_id = self._chat_id(params["chat_id"]), int(params["user_id"])
        status = self.members.get((chat_id, user_id), "member" if chat_id in self.chats else None)
        if status is None:
            raise BadRequest("Bad Request: chat not found")
        user = BOT_USER if user_id == BOT_USER["id"] else self.user(user_id)
        member: dict[str, Any] = {"status": status, "user": user}
        if status == "creator":
            member["is_anonymous"] = False
        if status == "administrator":
            member |= dict.fromkeys(
                (
                    "can_be_edited",
                    "can_manage_chat",
                    "can_delete_messages",
                    "can_manage_video_chats",
                    "can_restrict_members",
                    "can_promote_members",
                    "can_change_info",
                    "can_invite_users",
                    "can_post_stories",
                    "can_edit_stories",
                    "can_delete_stories",
                    "can_send_welcome_messages",
                    "can_post_messages",
                ),
                True,
            ) | {"is_anonymous": False}
        return member


def _checked_text(params: dict) -> str:
    raw = params.get("text") or ""
    text = parse_html(raw) if (params.get("parse_mode") or "").upper() == "HTML" else raw
    if not text.strip():
        raise BadRequest("Bad Request: message text is empty")
    if len(text) > 4096:
        raise BadRequest("Bad Request: message is too long")
    return text


def _checked_markup(markup: dict | None) -> dict | None:
    if not markup:
        return None
    for row in markup.get("inline_keyboard", []):
        for button in row:
            data = button.get("callback_data")
            if data is not None and not 1 <= len(data.encode()) <= 64:
                raise BadRequest("Bad Request: BUTTON_DATA_INVALID")
            if not button.get("text"):
                raise BadRequest("Bad Request: BUTTON_TEXT_EMPTY")
    return markup


async def _params(request: web.Request) -> dict[str, Any]:
    if request.content_type == "application/json":
        return await request.json()
    raw = dict(request.query)
    if request.can_read_body:
        raw.update({k: v for k, v in (await request.post()).items() if isinstance(v, str)})
    return {k: json.loads(v) if k in JSON_FIELDS else v for k, v in raw.items()}


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()

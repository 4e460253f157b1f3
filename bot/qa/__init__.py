"""A question into an answer: the question-answering flow.

In: a question in plain words. Out: an ``Answer`` (places, topics, intent, ranked results with
summary and facts, each tied to its source) and its Telegram HTML, plus the browsing pages
(regions, topics, agreements). ``engine.Engine`` is the one object the CLI, the bot and the
tests share. Imports ``text``, ``language``, ``storage`` and ``bot.models``; never Telegram."""

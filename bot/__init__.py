"""CoopBot: questions about cooperation between regions, answered from news articles.

Packages, lowest layer first (each imports only the ones before it; see docs/ARCHITECTURE.md):
``models``/``settings`` → ``language`` → ``text`` → ``storage`` → ``qa`` → ``digests`` →
``handlers`` → ``app``. Everything below ``handlers`` is plain async Python that knows nothing of
Telegram, so the CLI, the bot and the tests share it."""

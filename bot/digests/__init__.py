"""New deals into chats: the digest flow.

In: deals first seen in the store (from ``coopbot ingest`` or from polled feeds) and the chats'
subscriptions. Out: planned digest messages in the store's outbox and their delivery through a
``Bot``. Imports ``qa`` (rendering of agreements), ``text``, ``storage`` and ``bot.models``."""

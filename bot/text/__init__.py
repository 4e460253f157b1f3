"""Article text into facts: the ingestion flow.

In: article files (front matter + text) and feed pages. Out: ``ArticleFacts`` (sentences,
lemmas, places, agreements, figures, people, organisations), handed to the store the
``Ingestor`` is given. ``knowledge.Knowledge`` composes these text tools with ``bot.language``;
``qa`` and ``digests`` reach them through it. Imports only ``bot.language`` and ``bot.models``."""

"""The words and places CoopBot knows, loaded once per process.

In: the readable reference files of ``data/`` (gazetteer, topics, stop words). Out: lemmas
(``morph``), places found in token streams (``gazetteer``), topics and intents (``lexicon``).
Imports only ``bot.models``."""

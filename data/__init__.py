"""Reference data shipped with CoopBot: seed articles, gazetteer, topics, intents.

A package only so that an installed CoopBot finds the same files as a checkout.
"""

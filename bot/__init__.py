"""CoopBot domain logic: plain async Python that knows nothing of Telegram."""

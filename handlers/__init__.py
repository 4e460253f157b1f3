"""aiogram routers, one per feature (the Telegram layer, built on ``bot``)."""

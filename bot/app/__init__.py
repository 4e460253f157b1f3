"""The process: builds the bot and dispatcher, serves Telegram, the console chat and the CLI.

In: settings and the command line. Out: a running bot (long polling or webhook), the console
chat, or a command's output. The only layer that imports ``handlers``; nothing imports it."""

# CoopBot: docker compose up -d  (BOT_TOKEN and the rest in .env; the store on the "store" volume)
# Stage 1 builds the virtualenv; stage 2 is the slim runtime with nothing but it and the user.

FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/coopbot
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY storage ./storage
COPY data ./data
RUN /opt/coopbot/bin/pip install . \
    # the NLP models (pymorphy3's dictionaries, natasha's embeddings and NER) ship inside their
    # packages: load everything once, so that a broken model fails the build, not the first question
    && cd / && /opt/coopbot/bin/python -c "from bot.text.knowledge import Knowledge; Knowledge().extractor()"

FROM python:3.11-slim
RUN groupadd --system --gid 10001 coopbot \
    && useradd --system --uid 10001 --gid coopbot --home-dir /data --no-create-home coopbot \
    && mkdir /data && chown coopbot:coopbot /data
COPY --from=build /opt/coopbot /opt/coopbot
ENV PATH=/opt/coopbot/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    DATABASE_PATH=/data/coopbot.sqlite3 \
    METRICS_HOST=0.0.0.0 \
    METRICS_PORT=9100 \
    WEBHOOK_PORT=8080
USER coopbot
WORKDIR /data
VOLUME ["/data"]
EXPOSE 8080 9100
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 CMD ["coopbot", "health"]
CMD ["coopbot", "run"]

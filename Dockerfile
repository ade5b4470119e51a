# oitwatch image: the CLI, the scheduler, the Celery workers and the dashboard all run from it.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy
# Chromium renders script-built menus and screenshots; Tesseract reads scanned Thai PDFs.
COPY apt-packages.txt ./
RUN apt-get update \
 && sed 's/#.*//' apt-packages.txt | xargs apt-get install -y --no-install-recommends \
 && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir uv
WORKDIR /app
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project
COPY . .
RUN uv sync --frozen --no-dev
ENV PATH="/app/.venv/bin:$PATH"
ENTRYPOINT ["oitwatch"]
CMD ["--help"]

# The clusterkg image: CLI (and, with the API, the server) against any engine.
FROM python:3.11-slim
RUN apt-get update && apt-get install -y --no-install-recommends libgomp1 libssl3 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md ./
COPY clusterkg ./clusterkg
RUN pip install --no-cache-dir .
ENTRYPOINT ["clusterkg"]
CMD ["--help"]

# Two commands do all the set-up on a fresh machine (Python 3.11+ and pip):
#   make run    create .venv, start the embedded FalkorDB, load the reference data and the SYNTHETIC demo data,
#               print the stats, serve the API on http://127.0.0.1:8000 (Ctrl+C to stop serving)
#   make test   create .venv with the test extras and run the test suite (make test-slow: the durability tests at scale s)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CLUSTERKG := $(BIN)/clusterkg
LINT_STAMP := tools/cypher-lint/node_modules/.installed
OIDC_STAMP := tools/oidc-provider/node_modules/.installed
AUDIT_STAMP := tools/graphql-http-audit/node_modules/.installed
NEO4J_LOCAL := tools/neo4j-local/target/classpath.txt
# Neo4j for the tests: built where Java and Maven exist (tests/neo4j_local.py says why it skips elsewhere)
HAVE_JAVA := $(shell command -v java >/dev/null 2>&1 && command -v mvn >/dev/null 2>&1 && echo yes)

.PHONY: install run test check test-slow stop status clean event-demo neo4j-local

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(CLUSTERKG) db start
	$(CLUSTERKG) demo
	$(CLUSTERKG) serve

# The README's matching demo: SYNTHETIC attendees -> out/event/ (meetings.csv, schedule.xlsx, agendas/)
event-demo: $(STAMP)
	$(CLUSTERKG) db start
	$(CLUSTERKG) demo
	$(CLUSTERKG) match sample-attendees --count 200 --slots 12 --out out/event/attendees.csv
	$(CLUSTERKG) match event out/event/attendees.csv --slots 12 --tables 30 --max-meetings 6 --out out/event

# Neo4j's Cypher front-end (npm) checks every query offline: see tests/test_cypher_dialects.py
$(LINT_STAMP): tools/cypher-lint/package.json tools/cypher-lint/package-lock.json
	cd tools/cypher-lint && npm ci --no-audit --no-fund --loglevel=error
	touch $(LINT_STAMP)

# A real OpenID Connect provider (npm oidc-provider) for the explorer's sign-in tests: tests/test_oidc.py
$(OIDC_STAMP): tools/oidc-provider/package.json tools/oidc-provider/package-lock.json
	cd tools/oidc-provider && npm ci --no-audit --no-fund --loglevel=error
	touch $(OIDC_STAMP)

# The GraphQL-over-HTTP spec's own server audit (npm graphql-http): tests/test_graphql_over_http.py
$(AUDIT_STAMP): tools/graphql-http-audit/package.json tools/graphql-http-audit/package-lock.json
	cd tools/graphql-http-audit && npm ci --no-audit --no-fund --loglevel=error
	touch $(AUDIT_STAMP)

# A real Neo4j 5 Community in a JVM (Bolt on loopback): tools/neo4j-local/run.sh starts it; Maven caches its downloads in ~/.m2
$(NEO4J_LOCAL): tools/neo4j-local/pom.xml tools/neo4j-local/src/main/java/org/clusterkg/neo4jlocal/Launcher.java
	cd tools/neo4j-local && mvn -q -B compile

neo4j-local: $(NEO4J_LOCAL)

test: $(STAMP) $(LINT_STAMP) $(OIDC_STAMP) $(AUDIT_STAMP) check
	$(BIN)/python -m pytest -m "not slow and not neo4j"

# The code's own checks, before the suite: ruff (lint and format, 120 columns) and mypy --strict over clusterkg/
check: $(STAMP)
	$(BIN)/ruff check clusterkg tests benchmarks tools examples
	$(BIN)/ruff format --check clusterkg tests benchmarks tools examples
	$(BIN)/mypy

# Loads killed half-way, restarts, backups and exports at scale s, and the same graph on a real Neo4j 5
# (a JVM started per session): minutes, so apart (CI runs both)
test-slow: $(STAMP) $(LINT_STAMP) $(if $(HAVE_JAVA),$(NEO4J_LOCAL))
	$(BIN)/python -m pytest -m "slow or neo4j"

stop:
	$(CLUSTERKG) db stop

status:
	$(CLUSTERKG) db status

clean:
	-$(CLUSTERKG) db stop
	rm -rf $(VENV) build *.egg-info tools/neo4j-local/target

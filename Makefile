# Two commands do all the set-up on a fresh machine (Python 3.11+ and pip):
#   make run    create .venv, start the embedded FalkorDB, load the reference data and the SYNTHETIC demo data,
#               print the stats, serve the API on http://127.0.0.1:8000 (Ctrl+C to stop serving)
#   make test   create .venv with the test extras and run the test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CLUSTERKG := $(BIN)/clusterkg

.PHONY: install run test stop status clean

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

test: $(STAMP)
	$(BIN)/python -m pytest

stop:
	$(CLUSTERKG) db stop

status:
	$(CLUSTERKG) db status

clean:
	-$(CLUSTERKG) db stop
	rm -rf $(VENV) build *.egg-info

# The two set-up commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install check bench clean

# The pinned, tested set of requirements.lock, then bomay itself (editable) without
# resolving anything again.
$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.lock
	$(BIN)/pip install -q --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

## Serve the bundled dataset on http://127.0.0.1:8000 (an empty ./bomay.db is loaded first).
run: $(STAMP)
	$(BIN)/bomay serve --host 127.0.0.1 --port 8000

## Run the whole test suite.
test: $(STAMP)
	$(BIN)/python -m pytest

## Lint and type-check: ruff on the tree, mypy on graph/ (settings in pyproject.toml).
check: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

## The benchmark suite at full national size (see docs/performance.md).
bench: $(STAMP)
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) bomay.db bomay.db-wal bomay.db-shm

## A real Neo4j 5.26 server for the Neo4j tests, without Docker (tests/neo4j: Java 17 + Maven):
## `make neo4j-up && source .neo4j/env` sets NEO4J_URI/NEO4J_USER/NEO4J_PASSWORD.
neo4j-up:
	VENV=$(VENV) bash tests/neo4j/neo4j.sh up

neo4j-down:
	bash tests/neo4j/neo4j.sh down

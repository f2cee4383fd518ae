# Everyday tasks, one word each: `make help` lists them.
#
# The virtual environment (.venv) is made on first use from a Python >= 3.12:
# the first of python3.14, python3.13, python3.12, python3 that is new enough,
# or the one named by PYTHON=...
.DEFAULT_GOAL := help
.PHONY: help run dev test containers bench report lint kubelint workflowlint format deps clean

NEW_ENOUGH := import sys; sys.exit(sys.version_info < (3, 12))
PYTHON ?= $(firstword $(foreach candidate,python3.14 python3.13 python3.12 python3,\
	$(if $(shell $(candidate) -c '$(NEW_ENOUGH)' 2>/dev/null && echo yes),$(candidate))))
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
# uv records this command in each .txt header, where Renovate reads it back to
# refresh the pins: Renovate takes only `--option=value` forms (CONTRIBUTING.md).
COMPILE := --generate-hashes --universal --python-version=3.13

help: ## List the tasks.
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

run: ## Build and run the app on http://localhost:8000 (APP_VARIANT=distroless for the other image).
	docker compose up --build

dev: ## Django's dev server in a container, with the source mounted and live reload.
	docker compose -f compose.yaml -f compose.dev.yaml up --build

test: $(INSTALLED) ## Run the test suite (unit, gunicorn and browser tests).
	$(BIN)/python manage.py test

containers: $(INSTALLED) ## Build both images and run the container suite against each.
	$(BIN)/pytest -m container tests/container

bench: $(INSTALLED) ## Measure both images beside the reference servers; figures into test-results/.
	$(BIN)/python -m benchmarks

report: $(INSTALLED) ## Publish test-results/ figures in reports/ and DOCKER.md.
	$(BIN)/python -m reports

lint: $(INSTALLED) kubelint workflowlint ## ruff, hadolint, compose's own check, schemas of the config files and manifests, the workflows' audit.
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/hadolint docker/alpine.Dockerfile docker/distroless.Dockerfile \
		benchmarks/references/Dockerfile
	docker compose config --quiet
	docker compose -f compose.yaml -f compose.dev.yaml config --quiet
	docker compose -f compose.yaml -f compose.postgres.yaml config --quiet
	DOMAIN=clock.example.com docker compose -f compose.yaml -f compose.https.yaml \
		-f compose.postgres.yaml config --quiet
	DOMAIN=clock.test docker compose -f compose.yaml -f compose.https.yaml \
		-f tests/container/compose.pebble.yaml config --quiet
	$(BIN)/python deploy/swarm/deploy.py --config /dev/null lint > /dev/null
# compose.https.yaml is checked by compose alone: its `!reset` is compose's own
# YAML tag, which a plain YAML reader refuses.
	$(BIN)/check-jsonschema --builtin-schema vendor.compose-spec \
		compose.yaml compose.dev.yaml compose.postgres.yaml docker/compose/*.yaml \
		tests/container/compose.pebble.yaml docker/variants.yaml deploy/swarm/stack.yaml
	$(BIN)/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
	$(BIN)/check-jsonschema --builtin-schema custom.github-workflows-require-timeout \
		.github/workflows/*.yml
	$(BIN)/check-jsonschema --builtin-schema vendor.renovate renovate.json
	$(BIN)/pre-commit validate-config

# checkov and the Kubernetes schemas in a venv of their own (requirements/kubernetes.in).
kubelint: $(INSTALLED) ## Render the Kubernetes overlays; check schemas and policies offline.
	test -d $(VENV)/kubernetes || $(BIN)/python -m venv $(VENV)/kubernetes
	$(VENV)/kubernetes/bin/python -m pip install --quiet --require-hashes \
		--requirement requirements/kubernetes.txt
	PATH="$(CURDIR)/$(VENV)/kubernetes/bin:$$PATH" deploy/kubernetes/lint.sh

# zizmor in a venv of its own (requirements/zizmor.in); its offline audits only.
workflowlint: $(INSTALLED) ## Audit the GitHub workflows with zizmor, offline: medium severity and above fails.
	test -d $(VENV)/zizmor || $(BIN)/python -m venv $(VENV)/zizmor
	$(VENV)/zizmor/bin/python -m pip install --quiet --require-hashes \
		--requirement requirements/zizmor.txt
	$(VENV)/zizmor/bin/zizmor --offline --min-severity=medium .github/workflows/

format: $(INSTALLED) ## Format the code and apply ruff's safe fixes.
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

deps: $(INSTALLED) ## Re-resolve the hashed requirement files from requirements/*.in.
	cd requirements && ../$(BIN)/uv pip compile --quiet --upgrade $(COMPILE) \
		base.in --output-file=base.txt
	cd requirements && ../$(BIN)/uv pip compile --quiet --upgrade $(COMPILE) \
		dev.in --output-file=dev.txt
	cd requirements && ../$(BIN)/uv pip compile --quiet --upgrade $(COMPILE) \
		kubernetes.in --output-file=kubernetes.txt
	cd requirements && ../$(BIN)/uv pip compile --quiet --upgrade $(COMPILE) \
		zizmor.in --output-file=zizmor.txt

clean: ## Remove the virtual environment, local data, collected static files, results.
	rm -rf $(VENV) data staticfiles test-results

$(INSTALLED): requirements/dev.txt
	@test -n "$(PYTHON)" || { echo "No Python >= 3.12 found: run with PYTHON=/path/to/python3.12 or newer." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --requirement requirements/dev.txt
	touch $@

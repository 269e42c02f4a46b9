# A fresh clone needs nothing but Python 3.11+: every target makes .venv when it is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test check bench serve mocks openapi readme catalogues contracts clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,otel]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/lienthong demo

test: $(STAMP)
	$(BIN)/pytest -q

check: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: $(STAMP)
	$(BIN)/python -m bench

serve: $(STAMP)
	$(BIN)/lienthong serve

mocks: $(STAMP)
	$(BIN)/lienthong mocks

openapi: $(STAMP)
	$(BIN)/lienthong openapi > openapi/gateway.yaml

# The README's settings tables are generated from gateway/settings.py and each national system's
# config (a test fails when they drift).
readme: $(STAMP)
	$(BIN)/python -m gateway.settings_doc

# The console's texts: new ones are added to its catalogues (gateway/console/locales), English
# left to translate; a test fails while one is missing or untranslated.
catalogues: $(STAMP)
	$(BIN)/python -m gateway.console.catalogues

# The national contracts live in openapi/national/; the packages that load them at run time keep
# copies (tests fail when a copy drifts). After editing a contract, run this.
contracts:
	cp openapi/national/document_axis/edxml.xsd mappings/edxml/edxml.xsd
	cp openapi/national/document_axis/edxml.xsd openapi/national/document_axis/document_axis.wsdl \
		mocks/document_axis/contract/
	cp openapi/national/document_axis/document_axis.wsdl adapters/document_axis/document_axis.wsdl
	cp -r openapi/national/national_portal/schemas/. mocks/national_portal/schemas/

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache

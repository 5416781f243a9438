# RNNLab — the README's commands. `make test` and `make experiments` install
# what they need (Debian packages, via apt-get, only when missing).

SWIFT   ?= swift
APT_PACKAGES := libopenblas-dev libhdf5-dev hdf5-tools pkg-config
# Data sets are filled from a local mirror when one sits beside the project.
export RNNLAB_DATA_MIRROR ?= $(if $(wildcard ../shared/data),$(abspath ../shared/data),)

JOBS ?= 2
RNNLAB := .build/release/rnnlab

BENCH_VENV := .venv-bench

.PHONY: all deps build test experiments smoke bench bench-env bench-compare clean

all: build

## deps: install the system libraries (apt-get, only the missing ones)
deps:
	@missing=""; \
	for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing:$$missing"; \
	  SUDO=""; [ "$$(id -u)" -eq 0 ] || SUDO="sudo"; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

## build: release build of the rnnlab command
# The CLI holds the float32 specialisations of the generic engine (cross-module
# optimisation); incremental builds do not always notice library changes, so the
# CLI module is recompiled whenever a library source is newer than the binary.
build: deps
	@if [ -f $(RNNLAB) ] && [ -n "$$(find Sources -name '*.swift' -not -path 'Sources/rnnlab/*' -newer $(RNNLAB) | head -1)" ]; then \
	  touch Sources/rnnlab/RNNLabCommand.swift; fi
	$(SWIFT) build -c release --product rnnlab

## test: the release build, then every test (XCTest)
test: build
	$(SWIFT) test --disable-swift-testing

## experiments: run every declared experiment (resuming what exists) and regenerate all reports
experiments: build
	$(RNNLAB) run --all --jobs $(JOBS)

## smoke: every experiment with its smoke profile, into a scratch results directory
smoke: build
	$(RNNLAB) run --all --profile smoke --jobs $(JOBS) --results .smoke-results

## bench: training-speed benchmark (release build)
bench: build
	$(RNNLAB) bench

## bench-env: install PyTorch into a git-ignored virtual environment for bench-compare
bench-env:
	python3 -m venv $(BENCH_VENV) && $(BENCH_VENV)/bin/pip install -q torch numpy

## bench-compare: RNNLab and PyTorch side by side, in one invocation (run bench-env first)
bench-compare: build
	@[ -x $(BENCH_VENV)/bin/python ] || { echo "no PyTorch environment: run 'make bench-env' first"; exit 1; }
	$(RNNLAB) bench --json --threads 2 > .bench-rnnlab.jsonl
	$(BENCH_VENV)/bin/python bench/pytorch_reference.py --threads 2 > .bench-pytorch.jsonl
	python3 bench/compare.py .bench-rnnlab.jsonl .bench-pytorch.jsonl

## clean: remove build products
clean:
	rm -rf .build .smoke-results .bench-*.jsonl

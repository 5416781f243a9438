# RNNLab — the README's commands. `make test` and `make experiments` install
# what they need (Debian packages, via apt-get, only when missing).

SWIFT   ?= swift
# dataset-fashion-mnist: the original Fashion-MNIST IDX files under /usr/share/datasets/fashion-mnist/ (the data
# registry's system path for fashion_mnist).
APT_PACKAGES := libopenblas-dev libhdf5-dev hdf5-tools pkg-config python3 librsvg2-bin dataset-fashion-mnist
# Data sets are filled from a local mirror when one sits beside the project.
export RNNLAB_DATA_MIRROR ?= $(if $(wildcard ../shared/data),$(abspath ../shared/data),)

JOBS ?= 2
RNNLAB := .build/release/rnnlab
# The spot check of `make test`: one recorded experiment per task family, first epoch of one run each.
VERIFY_QUICK := adding-cells sentiment-readout-sst2
# The smoke profiles `make test` runs (into .smoke-test-results, a scratch directory): the recurrent-cell experiments.
SMOKE_TEST := lstm-variants-jsb modern-cells-charlm modern-cells-longrange tcn-vs-rnn transformer-vs-rnn fashion-mnist-sequential

BENCH_VENV := .venv-bench

.PHONY: all deps build test test-slurm reliability experiments check-results verify smoke bench bench-env bench-compare clean

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
# Release builds optimise across modules, which puts the engine's float32
# specialisations into every module that uses it; incremental builds do not
# always recompile those when the engine changes. So a build after any change
# under Sources/ (or to Package.swift) starts from scratch (about a minute).
build: deps
	@stamp=.build/.sources-release; bin=$$($(SWIFT) build -c release --show-bin-path); \
	if [ -d "$$bin" ] && { [ ! -f $$stamp ] || [ -n "$$(find Sources Package.swift -type f -newer $$stamp | head -1)" ]; }; then \
	  echo "Sources changed since the last release build: building from scratch."; rm -rf "$$bin"; fi; \
	$(SWIFT) build -c release --product rnnlab && touch $$stamp

## test: the release build, then every test (XCTest; a debug build from scratch after source changes),
## then the reliability suite with fewer repetitions (on the release build), then the committed reports checked
## against the committed records and a verify spot check (VERIFY_QUICK), the smoke profiles of SMOKE_TEST (under a
## minute), then the Slurm test (about a minute; see test-slurm)
test: build
	@stamp=.build/.sources-debug; bin=$$($(SWIFT) build --show-bin-path); \
	if [ -d "$$bin" ] && { [ ! -f $$stamp ] || [ -n "$$(find Sources Tests Package.swift -type f -newer $$stamp | head -1)" ]; }; then \
	  rm -rf "$$bin"; fi; \
	$(SWIFT) test --disable-swift-testing && touch $$stamp
	python3 Tests/Reliability/reliability.py --rnnlab $(RNNLAB) --quick
	$(RNNLAB) report --all --check
	$(RNNLAB) verify $(VERIFY_QUICK) --runs 1 --epochs 1
	rm -rf .smoke-test-results && $(RNNLAB) run $(SMOKE_TEST) --profile smoke --jobs 2 --results .smoke-test-results
	@$(TEST_SLURM)

## test-slurm: a real single-node Slurm (installed with apt-get when missing; needs root): the smoke
## experiment as a job array, a cancelled task resubmitted and resumed, results equal to a local run
# (root, or sudo for non-root users, like deps)
TEST_SLURM = SUDO=""; [ "$$(id -u)" -eq 0 ] || SUDO="sudo"; $$SUDO bash Tests/slurm/test-slurm.sh
test-slurm: build
	@$(TEST_SLURM)

## reliability: the reliability suite at full counts; rewrites docs/reliability.md and the README's figures
reliability: build
	python3 Tests/Reliability/reliability.py --rnnlab $(RNNLAB) --markdown docs/reliability.md --readme README.md

## experiments: bring every declared experiment up to date: runs with a valid record are done, the rest
## are computed (resuming what exists; an estimate is printed first), then all reports are regenerated
experiments: build
	$(RNNLAB) run --all --jobs $(JOBS)

## check-results: are the committed reports exactly what the committed run records give?
check-results: build
	$(RNNLAB) report --all --check

## verify: the reproduction check: recompute the first epoch of one recorded run of every experiment and
## compare it with its record, bit for bit (RUNS=K runs per experiment, EPOCHS=E epochs; EPOCHS= for whole runs;
## JOBS runs at a time)
RUNS ?= 1
EPOCHS ?= 1
verify: build
	$(RNNLAB) verify --all --jobs $(JOBS) --runs $(RUNS) $(if $(EPOCHS),--epochs $(EPOCHS),)

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
## (ROUNDS=N alternates the two N times and prints medians; THREADS=N sets the thread count of both)
ROUNDS ?= 1
THREADS ?= 2
bench-compare: build
	@[ -x $(BENCH_VENV)/bin/python ] || { echo "no PyTorch environment: run 'make bench-env' first"; exit 1; }
	@: > .bench-rnnlab.jsonl; : > .bench-pytorch.jsonl; \
	for round in $$(seq $(ROUNDS)); do \
	  echo "round $$round of $(ROUNDS)"; \
	  $(RNNLAB) bench --json --threads $(THREADS) >> .bench-rnnlab.jsonl || exit 1; \
	  $(BENCH_VENV)/bin/python bench/pytorch_reference.py --threads $(THREADS) >> .bench-pytorch.jsonl || exit 1; \
	done
	python3 bench/compare.py .bench-rnnlab.jsonl .bench-pytorch.jsonl

## clean: remove build products
clean:
	rm -rf .build .smoke-results .smoke-test-results .bench-*.jsonl

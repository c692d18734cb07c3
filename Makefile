# SPDX-License-Identifier: GPL-2.0
# diolab: see `make help`.  The conventions that let new code plug in without
# editing this file are in docs/CONVENTIONS.md.

SHELL := /bin/bash
.DEFAULT_GOAL := all
.DELETE_ON_ERROR:

# Tools in sbin (bpftool, modinfo) are for everyone, but a student's PATH
# lacks those directories.
export PATH := $(PATH):/usr/local/sbin:/usr/sbin:/sbin

BUILD := build
BIN := $(BUILD)/bin
TESTBIN := $(BUILD)/tests
CC ?= gcc
CFLAGS := -std=c11 -Wall -Wextra -Werror -O2 -g -D_GNU_SOURCE
LDLIBS :=

# Every installed lab kernel, found at run time (vm/kernels).
KERNELS := $(shell vm/kernels 2>/dev/null)
MODULE_SRCS := $(wildcard module/*.c module/*.h module/Kbuild)
MODULES := $(if $(wildcard module/Kbuild),$(foreach k,$(KERNELS),$(BUILD)/modules/$(k)/.built))

WORKLOADS := $(patsubst workloads/%.c,$(BIN)/%,$(wildcard workloads/*.c))
UNIT_TESTS := $(patsubst tests/unit/%.c,$(TESTBIN)/%,$(wildcard tests/unit/test_*.c))

.PHONY: all help deps debian-deps modules workloads unit-tests test demo vm bench lint clean mutants stress debug-kernel debug-modules debug-test

all: modules workloads unit-tests $(BIN)/tapsum

help:
	@echo "diolab targets:"
	@echo "  make            build the dtape module for every lab kernel, the BPF tools, workloads and tests"
	@echo "  make demo       the six-scene workshop walkthrough in the lab VM (SCENE=N or SCENE=2,5, PAUSE=1, KERNEL=6.1)"
	@echo "  make test       run every test on the host and in the VM on each lab kernel"
	@echo "  make vm         interactive shell in the lab VM (KERNEL=6.1 picks the kernel)"
	@echo "  make bench      run every benchmark in the lab VM (QUICK=1 for a smoke run)"
	@echo "  make stress     random and hostile calls against dtape in the lab VM (DURATION=600 s per kernel, KERNEL=6.1, SEED=N)"
	@echo "  make debug-kernel  build a 6.1 lab kernel with KASAN, lockdep and kmemleak (once, 35 minutes on two cores)"
	@echo "  make debug-test    dtape's tests, with a 60 s stress run, under it (T= to choose; make stress KERNEL=debug for longer)"
	@echo "  make lint       checkpatch --strict, sparse, clang-tidy and cppcheck"
	@echo "  make slides     the six decks in slides/decks as offline reveal.js HTML and beamer PDF (slides/out/)"
	@echo "  make slides-refresh  record the decks' traces again in the lab VM, then make slides"
	@echo "  make deps       install the Debian packages (a no-op when present)"
	@echo "  make clean      remove build/"
	@echo "lab kernels found: $(or $(KERNELS),none (run make deps))"

deps: debian-deps
	@scripts/node-deps

# The lab VM, the demo and the benchmarks need no npm packages (only the
# slides and the timeline viewer the tests use do), so a student's first
# `make demo` installs nothing from npm.
debian-deps:
	@scripts/deps

# --- kernel module, once per lab kernel -----------------------------------
modules: $(MODULES)

$(BUILD)/modules/%/.built: $(MODULE_SRCS) scripts/build-module
	@echo "  KMOD    dtape for $*"
	+@scripts/build-module $* $(if $(C),C=$(C))
	@touch $@

# --- user space -------------------------------------------------------------
workloads: $(WORKLOADS)

# Shared sources a workload lists in workloads/workloads.mk are compiled in.
$(BIN)/%: workloads/%.c | $(BIN)
	$(CC) $(CFLAGS) -o $@ $(filter %.c,$^) $(LDLIBS)

$(BIN)/tapsum: tests/harness/tapsum.c tests/harness/tap_parse.c tests/harness/tap_parse.h | $(BIN)
	$(CC) $(CFLAGS) -o $@ $(filter %.c,$^)

unit-tests: $(UNIT_TESTS)

$(TESTBIN)/test_%: tests/unit/test_%.c | $(TESTBIN)
	$(CC) $(CFLAGS) -Itests/harness -Ibpf -I$(BUILD)/bpf -o $@ $(filter %.c %.o,$^) -lcmocka $(UNIT_LDLIBS)

$(TESTBIN)/test_tap_parse: tests/harness/tap_parse.c tests/harness/tap_parse.h

$(BIN) $(TESTBIN):
	@mkdir -p $@

-include workloads/workloads.mk
-include tests/unit/unit.mk
-include bpf/bpf.mk
-include slides/slides.mk
-include labs/lib/modules.mk

# --- running things -----------------------------------------------------------
# demo and test install what is missing first (a no-op when all is there).
# The build before the tests runs a job per core.  dtape's mutants, needed
# minutes into the run, tests/run builds beside the first tests
# (tests/lib/prebuild.sh); lab 05's test needs the coding labs' modules
# within a minute.
test: deps
	@$(MAKE) --no-print-directory -j$(shell nproc) all lab-modules
	@tests/run

# dtape with known bugs, which tests/vm/dtape-stress.t must catch.
mutants: modules
	+@tests/lib/build-mutants

# Random and hostile calls against dtape on every lab kernel (DURATION s per
# kernel, default 600; KERNEL=6.1 for one; SEED=N to repeat a run's calls).
stress: debian-deps
	@$(MAKE) --no-print-directory all mutants $(if $(filter debug,$(KERNEL)),debug-modules)
	@scripts/stress $(if $(KERNEL),--kernel $(KERNEL)) $(if $(DURATION),--seconds $(DURATION)) $(if $(SEED),--seed $(SEED))

# Debian's kernels have no KASAN, lockdep or kmemleak; this one has.
debug-kernel: debian-deps
	@scripts/debug-kernel

debug-modules: debug-kernel
	@k=$$(scripts/debug-kernel --release) && \
		$(MAKE) --no-print-directory $(BUILD)/modules/$$k/.built && tests/lib/build-mutants $$k && \
		labs/lib/coding-prebuild --all $$k

debug-test: debug-modules
	@$(MAKE) --no-print-directory all
	@KERNEL=debug T=$(or $(T),vm/dtape-) tests/run

demo: debian-deps
	@$(MAKE) --no-print-directory all
	@scripts/demo

vm: debian-deps
	@$(MAKE) --no-print-directory all
	@vm/labvm $(if $(KERNEL),--kernel $(KERNEL))

bench: debian-deps
	@$(MAKE) --no-print-directory all
	@bench/run

lint: all
	@scripts/lint

clean:
	rm -rf $(BUILD)

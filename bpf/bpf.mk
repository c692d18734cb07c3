# SPDX-License-Identifier: GPL-2.0
# diotrace: libbpf CO-RE tool.  Included by the top-level Makefile, which
# provides BUILD, BIN and CFLAGS.
#
# vmlinux.h comes from the newest installed lab kernel's own BTF (vm/vmlinux
# extracts it from /boot/vmlinuz-K), so the object is built against a kernel
# we test on, not the host; CO-RE then relocates it for every other kernel.

BPF_OUT      := $(BUILD)/bpf
BPF_CLANG    ?= clang
BPF_STRIP    ?= $(firstword $(shell command -v llvm-strip llvm-strip-14 2>/dev/null))
# bpftool lives in /usr/sbin, which a student's PATH lacks.
BPFTOOL      ?= $(or $(firstword $(wildcard $(addsuffix /bpftool,$(subst :, ,$(PATH)) /usr/local/sbin /usr/sbin /sbin))),\
			$(error bpftool is missing (Debian package bpftool, installed in /usr/sbin); an administrator runs: sudo make deps))
BPF_ARCH     := x86
DIOTRACE_USER := diotrace dtctx dtape_ev mappers ksyms symcache btf_funcs resolve tree analyze render_text render_json render_dot \
		 draw dmodel dload jparse djson dalign dexplain render_diff render_diff_json seed diff_cmd \
		 render_summary render_chrome record machine
DIOTRACE_OBJS := $(DIOTRACE_USER:%=$(BPF_OUT)/%.o)

# Newest lab kernel: the last one vm/kernels lists, else the newest in /boot.
BPF_KERNEL   = $(shell { test -x vm/kernels && vm/kernels; } 2>/dev/null | tail -n1)
BPF_KERNEL_  = $(or $(BPF_KERNEL),$(shell ls /boot/vmlinuz-* 2>/dev/null | sed 's|/boot/vmlinuz-||' | sort -V | tail -n1))

.PHONY: bpf bpf-clean
all: bpf
bpf: $(BIN)/diotrace

$(BPF_OUT):
	mkdir -p $@

$(BPF_OUT)/vmlinux.h: | $(BPF_OUT)
	@set -e; k="$(BPF_KERNEL_)"; \
	if [ -n "$$k" ]; then \
		elf=$$(vm/vmlinux "$$k"); \
		echo "  VMLINUX.H from the BTF of lab kernel $$k"; \
	else \
		elf=/sys/kernel/btf/vmlinux; \
		echo "  VMLINUX.H from $$elf (no lab kernel installed: make deps)"; \
	fi; \
	$(BPFTOOL) btf dump file "$$elf" format c > $@.tmp; \
	mv $@.tmp $@

$(BPF_OUT)/diotrace.bpf.o: bpf/diotrace.bpf.c bpf/diotrace.h bpf/steps.def module/dtape_abi.h \
			   $(BPF_OUT)/vmlinux.h
	$(BPF_CLANG) -g -O2 -target bpf -D__TARGET_ARCH_$(BPF_ARCH) -I$(BPF_OUT) -Ibpf \
		-Wall -Werror -c $< -o $@
	$(if $(BPF_STRIP),$(BPF_STRIP) -g $@)

# bpftool 7.1's skeleton frees its descriptor through
# bpf_object__destroy_skeleton(), which clang-analyzer cannot follow; it then
# reports a leak inside the generated code.  Fence the generated file off so
# the lint stays meaningful for our own code (a per-line NOLINT is not
# honoured inside headers by clang-tidy 14).
$(BPF_OUT)/diotrace.skel.h: $(BPF_OUT)/diotrace.bpf.o
	{ echo '// NOLINTBEGIN(clang-analyzer-unix.Malloc)'; \
	  $(BPFTOOL) gen skeleton $< name diotrace_bpf; \
	  echo '// NOLINTEND(clang-analyzer-unix.Malloc)'; } > $@.tmp && mv $@.tmp $@

$(BPF_OUT)/diotrace.o: $(BPF_OUT)/diotrace.skel.h

$(BPF_OUT)/%.o: bpf/%.c bpf/diotrace.h bpf/dtctx.h bpf/steps.def bpf/tree.h bpf/render.h \
		bpf/record.h bpf/resolve.h bpf/btf_funcs.h bpf/ksyms.h bpf/symcache.h bpf/analyze.h bpf/dtape_ev.h bpf/mappers.h \
		bpf/draw.h bpf/dmodel.h bpf/dload.h bpf/djson.h bpf/jparse.h bpf/dalign.h bpf/dexplain.h \
		bpf/render_diff.h bpf/seed.h bpf/seed-2.6.def bpf/diff_cmd.h bpf/machine.h module/dtape_abi.h | $(BPF_OUT)
	$(CC) $(CFLAGS) -I$(BPF_OUT) -Ibpf -c $< -o $@

$(BIN)/diotrace: $(DIOTRACE_OBJS) | $(BIN)
	$(CC) $(CFLAGS) -pthread $^ -o $@ -lbpf -lelf -lz

bpf-clean:
	rm -rf $(BPF_OUT) $(BIN)/diotrace

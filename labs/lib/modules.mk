# SPDX-License-Identifier: GPL-2.0
# Included by the top Makefile: every coding lab's module (solution,
# skeleton, bug patches) for every lab kernel, and the labs' static tools,
# built on the host for the in-VM tests and the lab runs.
.PHONY: lab-modules
all: lab-modules
lab-modules:
	@labs/lib/coding-prebuild --all

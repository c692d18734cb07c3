# SPDX-License-Identifier: GPL-2.0
# Included by the top Makefile: every coding lab's module (solution,
# skeleton, bug patches) for every lab kernel, and the labs' static tools,
# built on the host for the in-VM tests (make test builds them).  A
# student's `make` does not: `make -C labs/NN run` builds the one module
# that run loads.
.PHONY: lab-modules
lab-modules:
	+@labs/lib/coding-prebuild --all

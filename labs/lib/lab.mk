# SPDX-License-Identifier: GPL-2.0
# Included by every lab's Makefile: make -C labs/NN-name run | check | clean.
LAB_DIR := $(abspath $(dir $(firstword $(MAKEFILE_LIST))))
LABS_LIB := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))

.PHONY: run check clean

# Boots the lab VM from the host; runs directly inside the guest or NATIVE=1.
run:
	@$(LABS_LIB)/lab-run $(LAB_DIR)

# Grades work/ (no VM or root needed); writes results.json.
check:
	@$(LAB_DIR)/check

clean:
	rm -rf $(LAB_DIR)/work $(LAB_DIR)/results.json

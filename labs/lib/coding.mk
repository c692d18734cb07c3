# SPDX-License-Identifier: GPL-2.0
# Included by a coding lab's Makefile (instead of lab.mk), adding:
#   make -C labs/NN-name skel        your working copy, student/, made from
#                                    the kit's solution/ by generate-skels
#   make -C labs/NN-name run|check SOLUTION=1
#                                    the kit's solution instead of student/,
#                                    observed into work-solution/
include $(dir $(lastword $(MAKEFILE_LIST)))lab.mk

# DIOLAB_ variables reach the lab VM's environment; make's do not.
ifeq ($(SOLUTION),1)
export DIOLAB_SOLUTION := 1
endif

.PHONY: skel
skel:
	@$(LABS_LIB)/generate-skels $(LAB_DIR)/solution $(LAB_DIR)/student

clean: clean-solution
.PHONY: clean-solution
clean-solution:
	rm -rf $(LAB_DIR)/work-solution

# Build on the host first: under TCG the guest takes minutes a file.
run: prebuild
.PHONY: prebuild
prebuild:
	@$(LABS_LIB)/coding-prebuild $(LAB_DIR)

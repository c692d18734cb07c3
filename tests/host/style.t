#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The project's code standards; scripts/lint (also `make lint`) defines them.
exec "$(dirname "$0")/../../scripts/lint"

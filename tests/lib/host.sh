# SPDX-License-Identifier: GPL-2.0
# The prologue of every tests/host/*.t: strict mode, the kit's root as $top
# and the working directory, and tests/lib/tap.sh.  Source it first:
#     . "$(dirname "$0")/../lib/host.sh"
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
. tests/lib/tap.sh

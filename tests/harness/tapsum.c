// SPDX-License-Identifier: GPL-2.0
/*
 * tapsum: read the combined TAP log of a test run on stdin and print the
 * failures and the closing line "N passed, N failed[, N skipped]".
 * Exits 0 only when nothing failed and at least one test ran.
 */
#include "tap_parse.h"

#include <stdlib.h>
#include <string.h>

int main(void)
{
	struct tap_state st;
	char *line = NULL;
	size_t cap = 0;

	tap_init(&st, stdout);
	while (getline(&line, &cap, stdin) >= 0) {
		line[strcspn(line, "\r\n")] = '\0';
		tap_line(&st, line);
	}
	free(line);
	tap_finish(&st);

	if (st.totals.skipped)
		printf("%u passed, %u failed, %u skipped\n", st.totals.passed,
		       st.totals.failed, st.totals.skipped);
	else
		printf("%u passed, %u failed\n", st.totals.passed,
		       st.totals.failed);
	return st.totals.failed || st.totals.passed == 0;
}

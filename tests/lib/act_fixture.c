/* The act unit tests' cache (act_fixture.h). */
#include "act_fixture.h"

#include <stdio.h>
#include <stdlib.h>

#include "testutil.h"

struct act_fixture *
act_fixture_begin(const char *account, time_t today)
{
	struct act_fixture *f = calloc(1, sizeof(*f));
	char path[512];

	if (!f)
		return NULL;
	f->dir = test_tmpdir();
	f->scan.started = (int64_t)today;
	f->scan.account = account;
	f->scan.regions = "us-east-1";
	f->ctx.today = today;
	snprintf(path, sizeof(path), "%s/cache.db", f->dir);
	if (store_open(path, 0, &f->s, NULL) || store_scan_begin(f->s, &f->scan, NULL)) {
		void *state = f;

		act_fixture_teardown(&state);
		return NULL;
	}
	return f;
}

int
act_fixture_commit(struct act_fixture *f)
{
	if (store_scan_commit(f->s, &f->scan, NULL))
		return -1;
	analyze_opts_default(&f->opts);
	f->ctx.store = f->s;
	f->ctx.opts = &f->opts;
	return 0;
}

int
act_fixture_teardown(void **state)
{
	struct act_fixture *f = *state;

	store_close(f->s);
	test_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

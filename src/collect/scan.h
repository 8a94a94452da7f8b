/*
 * The scan driver: `shears scan`. Runs every collector (collectors.c) over
 * the regions in phases, keeps the model in memory, and writes it to the
 * store in one transaction at the end, so the cache holds either the
 * previous complete scan or this one, never half of each.
 *
 * Incremental: the previous scan's attrs are loaded first and handed to the
 * collectors (collect_previous()), which skip the calls whose answer cannot
 * have changed (RevisionId, CodeSha256). --quick trusts the previous scan
 * further: see man/shears.1.
 *
 * Cancel: *opts->cancel set (SIGINT in the CLI) makes the driver cancel the
 * client; nothing is written and the previous scan stays intact.
 */
#ifndef SHEARS_COLLECT_SCAN_H
#define SHEARS_COLLECT_SCAN_H

#include <signal.h>
#include <stddef.h>

#include "aws/transport.h"
#include "model.h"
#include "store/store.h"
#include "util/err.h"

#define COLLECT_MAX_REGIONS 32

struct collect_progress {
	const char *what; /* "lambda us-east-1", "writing the cache", ... */
	unsigned long calls_done, calls_submitted;
	size_t resources; /* resources collected so far */
	size_t counts[MODEL_KIND_COUNT];
	double elapsed_s;
};

/* Called from the scan's own thread between calls; prints, never blocks long. */
typedef void collect_progress_fn(const struct collect_progress *p, void *ctx);

struct secrets_opts;

struct collect_opts {
	const char *regions[COLLECT_MAX_REGIONS]; /* n_regions 0 and !all_regions: default_region */
	size_t n_regions;
	int all_regions;            /* every region of collect_region_list() */
	const char *default_region; /* the profile's region */
	int quick;
	volatile sig_atomic_t *cancel; /* may be NULL; set asynchronously to stop */
	void *progress_ctx;
	double progress_interval_s; /* 0: 0.2 */
	/* the secrets scanner's thresholds and path exclusions (config); NULL: defaults */
	const struct secrets_opts *secrets;
};

struct collect_result {
	int complete;  /* 0: some part could not be read (gaps) */
	int cancelled; /* 1: nothing was written */
	size_t n_gaps;
	unsigned long calls;
	char *summary; /* owned: the JSON written to the scan row */
	int64_t scan_id;
};

/*
 * Scans and writes the cache. client and store are borrowed. Returns 0 (the
 * scan was written; result->complete says whether every part was read),
 * ERR_CANCELLED (nothing written) or a store error. result is filled in
 * every case; release it with collect_result_release().
 */
int collect_run(const struct collect_opts *opts, struct aws_client *client, struct store *store,
                collect_progress_fn *progress, struct collect_result *result, struct err *err);

void collect_result_release(struct collect_result *r);

/* The regions --all-regions scans (commercial partition), NULL-terminated. */
const char *const *collect_region_list(void);

/*
 * The minimal read-only IAM policy for a scan, as JSON text (owned by the
 * caller): every action of the table collect_call() enforces, sorted once.
 */
char *collect_iam_policy(void);

#endif

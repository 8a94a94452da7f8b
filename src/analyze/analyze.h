/*
 * The risk engine's entry points and its thresholds. Thresholds come from
 * the config file ($XDG_CONFIG_HOME/shears/config, man shears-config); the
 * defaults are here, documented in one place.
 */
#ifndef SHEARS_ANALYZE_H
#define SHEARS_ANALYZE_H

#include <stddef.h>
#include <time.h>

#include "analyze/amodel.h"
#include "analyze/finding.h"

struct analyze_opts {
	time_t now;            /* "today" for day counts (default: the last scan's end) */
	int dead_days;         /* no invocations for this many days: dead (90) */
	int unused_days;       /* granted but unused for this many days (90) */
	double timeout_margin; /* recommended timeout = max duration x this (1.5) */
	int timeout_min_s;     /* never recommend below this many seconds (3) */
	double timeout_ratio;  /* flag when timeout > this x recommended (3.0) */
	int timeout_min_gap_s; /* ... and at least this many seconds above it (60) */
	int runtime_warn_days; /* flag runtimes this close to deprecation (90) */
	int baseline_days; /* the behaviour baseline's window (last N days before the recent) (80)
	                    */
	int recent_days;   /* the recent window compared with it (7) */
	double deviation_threshold; /* robust z (MAD-based) above which recent is "far" (6.0) */
};

void analyze_opts_default(struct analyze_opts *o);

/* One family over the whole model; each appends to out. 0 or an error code. */
int check_exposure(const struct amodel *m, const struct analyze_opts *o, struct findings *out);
int check_hygiene(const struct amodel *m, const struct analyze_opts *o, struct findings *out);
int check_behaviour(const struct amodel *m, const struct analyze_opts *o, struct findings *out);

/* The model-only families (every family but the packages'), appended to out. */
int analyze_model(const struct amodel *m, const struct analyze_opts *o, struct findings *out,
                  struct err *err);

/* Secrets the scan found in environment variables (attrs "EnvSecrets"), and SHR-SEC-090. */
int check_env_secrets(const struct amodel *m, const struct analyze_opts *o, struct findings *out);

struct store;
struct store_dep;
struct advisory_match;
/*
 * The finding for one advisory matched on an installed package (SHR-DEP-001,
 * with the advisory's own severity): where is the package's place, to which
 * the advisory id is added so that each advisory keeps its own review state.
 */
void dep_finding_add(struct findings *out, const char *resource, const char *where,
                     const struct store_dep *d, const struct advisory_match *m);

/* Secrets and dependencies in the functions' code packages and layers (read by the scan). */
int check_packages(struct store *s, const struct amodel *m, const struct analyze_opts *o,
                   struct findings *out, struct err *err);

struct analyze_summary {
	size_t findings;       /* raised by this analysis */
	size_t open;           /* of them (and earlier ones), open after acceptances */
	size_t by_severity[5]; /* open ones by enum severity */
	size_t functions;      /* scored */
};

/* Loads the cache, runs every family, stores findings and scores. */
int analyze_cache(struct store *s, const struct analyze_opts *o, struct analyze_summary *sum,
                  struct err *err);

#endif

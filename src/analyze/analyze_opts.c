#include "analyze/analyze.h"

#include <string.h>

void
analyze_opts_default(struct analyze_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->dead_days = 90;
	o->unused_days = 90;
	o->timeout_margin = 1.5;
	o->timeout_min_s = 3;
	o->timeout_ratio = 3.0;
	o->timeout_min_gap_s = 60;
	o->runtime_warn_days = 90;
	o->baseline_days = 80;
	o->recent_days = 7;
	o->deviation_threshold = 6.0;
}

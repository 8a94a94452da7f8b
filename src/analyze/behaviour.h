/* The behaviour family's robust statistics (see check_behaviour.c for the method). */
#ifndef SHEARS_ANALYZE_BEHAVIOUR_H
#define SHEARS_ANALYZE_BEHAVIOUR_H

#include <stddef.h>

/* The median of v[0..n) (0 when n is 0); sorts v in place. */
double behaviour_median(double *v, size_t n);

/* The median absolute deviation of v around median (unscaled); v is not changed. */
double behaviour_mad(const double *v, size_t n, double median);

#endif

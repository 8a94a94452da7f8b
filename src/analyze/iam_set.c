/* Sets of catalog actions as bitsets over the catalog's indexes (see iam_catalog.h). */
#include "analyze/iam_catalog.h"

#include <stdlib.h>
#include <string.h>

#include "util/xmalloc.h"

void
iam_set_init(struct iam_set *s)
{
	s->words = (iam_catalog_count() + 63) / 64;
	s->bits = xcalloc(s->words ? s->words : 1, sizeof(*s->bits));
}

void
iam_set_release(struct iam_set *s)
{
	free(s->bits);
	s->bits = NULL;
	s->words = 0;
}

void
iam_set_copy(struct iam_set *dst, const struct iam_set *src)
{
	memcpy(dst->bits, src->bits, src->words * sizeof(*src->bits));
}

void
iam_set_clear(struct iam_set *s)
{
	memset(s->bits, 0, s->words * sizeof(*s->bits));
}

/* Bits past the last action stay 0, so counts and complements are exact. */
static void
trim(struct iam_set *s)
{
	size_t tail = iam_catalog_count() % 64;

	if (tail && s->words)
		s->bits[s->words - 1] &= ((uint64_t)1 << tail) - 1;
}

void
iam_set_fill(struct iam_set *s)
{
	memset(s->bits, 0xff, s->words * sizeof(*s->bits));
	trim(s);
}

void
iam_set_complement(struct iam_set *s)
{
	size_t i;

	for (i = 0; i < s->words; i++)
		s->bits[i] = ~s->bits[i];
	trim(s);
}

void
iam_set_add(struct iam_set *s, size_t i)
{
	if (i / 64 < s->words)
		s->bits[i / 64] |= (uint64_t)1 << (i % 64);
}

int
iam_set_has(const struct iam_set *s, size_t i)
{
	return i / 64 < s->words && (s->bits[i / 64] >> (i % 64) & 1);
}

void
iam_set_union(struct iam_set *s, const struct iam_set *other)
{
	size_t i;

	for (i = 0; i < s->words; i++)
		s->bits[i] |= other->bits[i];
}

void
iam_set_subtract(struct iam_set *s, const struct iam_set *other)
{
	size_t i;

	for (i = 0; i < s->words; i++)
		s->bits[i] &= ~other->bits[i];
}

void
iam_set_intersect(struct iam_set *s, const struct iam_set *other)
{
	size_t i;

	for (i = 0; i < s->words; i++)
		s->bits[i] &= other->bits[i];
}

size_t
iam_set_count(const struct iam_set *s)
{
	size_t i, n = 0;

	for (i = 0; i < s->words; i++)
		n += (size_t)__builtin_popcountll(s->bits[i]);
	return n;
}

size_t
iam_set_count_range(const struct iam_set *s, size_t first, size_t n)
{
	size_t i, c = 0;

	for (i = first; i < first + n; i++)
		c += (size_t)iam_set_has(s, i);
	return c;
}

size_t
iam_set_next(const struct iam_set *s, size_t i)
{
	size_t n = iam_catalog_count();

	while (i < n) {
		uint64_t w = s->bits[i / 64] >> (i % 64);

		if (w)
			return i + (size_t)__builtin_ctzll(w);
		i = (i / 64 + 1) * 64;
	}
	return n;
}

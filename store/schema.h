/* The numbered migrations of the cache's schema (store/schema.c). */
#ifndef SHEARS_STORE_SCHEMA_H
#define SHEARS_STORE_SCHEMA_H

/* How many migrations there are: the latest schema version. */
int store_schema_count(void);

/* The SQL taking version from to from + 1; NULL out of range. */
const char *store_schema_migration(int from);

#endif

/* cmocka.h needs these first; one include keeps clang-format from reordering them. */
#ifndef SHEARS_CMOCKA_PRELUDE_H
#define SHEARS_CMOCKA_PRELUDE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#endif

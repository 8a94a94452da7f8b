/* The console: `shears` with no command. */
#ifndef SHEARS_UI_UI_H
#define SHEARS_UI_UI_H

#include "util/err.h"

enum ui_flags {
	UI_READ_ONLY = 1 << 0, /* --read-only: requests that change the cloud are refused */
	UI_NO_COLOR = 1 << 1,  /* monochrome even on a colour terminal (NO_COLOR is read too) */
};

struct act_console;

/*
 * Runs the console on the cache at cache_path (NULL: the default path) until
 * the user quits. act (borrowed; NULL: no actions) carries out remediation
 * (cli/console_act.h). A missing cache is not an error: the console says so and
 * tells the user to run `shears scan`. Returns 0, or an error when the
 * terminal cannot be set up (err says why; the terminal is restored).
 */
int ui_run(const char *cache_path, unsigned flags, struct act_console *act, struct err *err);

#endif

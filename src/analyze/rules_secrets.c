/* The secrets family's rows of the rule catalog (see analyze/rule.h). */
#include "analyze/rule.h"

const struct rule_table rules_secrets = { NULL, 0 };

/* The exposure family's rows of the rule catalog (see analyze/rule.h). */
#include "analyze/rule.h"

const struct rule_table rules_exposure = { NULL, 0 };

/* The dependencies family's rows of the rule catalog (see analyze/rule.h). */
#include "analyze/rule.h"

static const struct rule rows[] = {
	{
	        .id = "SHR-DEP-001",
	        .family = "dependencies",
	        .title = "dependency with a known vulnerability",
	        .severity = SEV_HIGH,
	        .evidence = "package, installed version, where it was read (function package or "
	                    "layer, file), the advisory and its aliases, the first fixed version",
	        .remedy = REMEDY_MANUAL,
	        .fix = "Upgrade the package to the first fixed version (or later) and redeploy the "
	               "function or publish a new layer version; then rescan.",
	        .why = "A deployed function runs whatever its package and layers installed. A "
	               "package with a published advisory (OSV: GitHub, PyPA, npm) is a known way "
	               "in: prototype pollution, ReDoS, request smuggling. The severity is the "
	               "advisory's own (GitHub's database_specific.severity, else CVSS).",
	        .owasp = "SAS-8 Insecure Third-Party Dependencies",
	        .reference = "https://ossf.github.io/osv-schema/",
	        .example_true = "node_modules/lodash/package.json version 4.17.15 with "
	                        "GHSA-p6mc-m468-83gw imported (fixed in 4.17.19).",
	        .example_false = "lodash 4.17.21, or any package while no advisory names it.",
	},
	{
	        .id = "SHR-DEP-002",
	        .family = "dependencies",
	        .title = "code package is hostile or malformed",
	        .severity = SEV_MEDIUM,
	        .evidence = "what the package reader refused: path escapes, absolute paths, "
	                    "decompression bombs, nesting, symlinks out, encrypted or corrupt "
	                    "entries, and the limit that stopped it",
	        .remedy = REMEDY_MANUAL,
	        .fix = "Rebuild the package from source with the normal tooling; a deployment "
	               "archive has no reason to carry '../' paths, links out of itself or "
	               "entries a hundred times their compressed size.",
	        .why = "Lambda unpacks what it is given; a package built to escape its folder or "
	               "to exhaust a scanner is either tampered with or hides what it carries. "
	               "The parts shears could not read were not checked for secrets or "
	               "dependencies.",
	        .owasp = "SAS-8 Insecure Third-Party Dependencies",
	        .reference =
	                "https://docs.aws.amazon.com/lambda/latest/dg/configuration-function-zip.html",
	        .example_true = "a zip entry named ../../etc/cron.d/x, or a 10 KB entry that "
	                        "inflates to 5 GB.",
	        .example_false = "a zip of node_modules with relative paths and ordinary "
	                         "compression.",
	},
};

const struct rule_table rules_dependencies = { rows, sizeof(rows) / sizeof(rows[0]) };

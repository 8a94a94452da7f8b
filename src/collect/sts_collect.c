/*
 * The "sts" collector: GetCallerIdentity names the account being scanned.
 * The driver runs it alone before the other collectors so that every
 * collector can build ARNs with collect_account() from its first call.
 */
#include "collect/collectors.h"

#include "collect/scan_int.h"
#include "util/xml.h"

static void
sts_identity_done(struct collect_scan *scan, void *user, const struct aws_answer *ans,
                  const struct err *err)
{
	struct xml_doc doc = { 0 };
	struct err perr;
	const char *account;

	(void)user;
	if (err) {
		scan->sts_err = *err;
		collect_gap(scan, "sts", NULL, "GetCallerIdentity", err);
		return;
	}
	err_clear(&perr);
	if (!ans || !ans->body || xml_parse(ans->body, ans->body_len, &doc, &perr)) {
		if (!perr.code)
			err_set(&perr, ERR_PARSE, "empty answer");
		err_context(&perr, "sts", "GetCallerIdentity", NULL);
		scan->sts_err = perr;
		collect_gap(scan, "sts", NULL, "GetCallerIdentity", &perr);
		return;
	}
	account = xml_text(doc.root, "GetCallerIdentityResult/Account");
	if (account && *account)
		collect_set_account(scan, account);
	else {
		err_set(&perr, ERR_PARSE, "no account in the answer");
		err_context(&perr, "sts", "GetCallerIdentity", NULL);
		scan->sts_err = perr;
		collect_gap(scan, "sts", NULL, "GetCallerIdentity", &perr);
	}
	xml_doc_release(&doc);
}

void
collect_sts_phase(struct collect_scan *scan, enum collect_phase phase, const char *region)
{
	(void)region;
	if (phase != COLLECT_PHASE_LIST)
		return;
	collect_call_query(scan, "sts", "GetCallerIdentity", NULL, NULL, sts_identity_done, NULL);
}

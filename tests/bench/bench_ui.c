/*
 * make bench, the console's part: writes 100,000 resources and 300,000
 * edges through the store API into a fresh cache, then times
 *   - the store write (one scan transaction),
 *   - the first frame: opening the console on the cache (the overview's
 *     queries) and drawing it with curses (newterm on /dev/null),
 *   - loading the 60,000-row functions list (one query) and its frame,
 *   - each filter keystroke (filter + redraw), and a sort.
 * Budgets (issue 5): first frame < 100 ms, filter keystroke < 16 ms.
 *
 * usage: bench_ui [DIR]   (a temporary directory by default; removed after)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/store.h"
#include "ui/ui_int.h"

#define N_FUNCTIONS  60000
#define N_ROLES      20000
#define N_OTHER      4000 /* each of buckets, tables, queues, topics, rules */
#define EDGES_PER_FN 4    /* plus the role: 5 x 60,000 = 300,000 */

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static const enum model_kind others[] = { MODEL_BUCKET, MODEL_TABLE, MODEL_QUEUE, MODEL_TOPIC,
	                                  MODEL_RULE };

static void
arn_of(char *out, size_t n, enum model_kind k, int i)
{
	snprintf(out, n, "arn:aws:%s:us-east-1:123456789012:%s/bench-%s-%06d", model_kind_name(k),
	         model_kind_name(k), model_kind_name(k), i);
}

static int
put(struct store *s, enum model_kind k, int i, const char *attrs, struct err *err)
{
	char arn[160], name[64];
	static const char *const regions[] = { "us-east-1", "eu-west-1", "ap-south-1" };
	struct model_resource r = { .arn = arn,
		                    .kind = k,
		                    .name = name,
		                    .region = k == MODEL_ROLE ? "" : regions[i % 3],
		                    .account = "123456789012",
		                    .attrs = attrs };

	arn_of(arn, sizeof(arn), k, i);
	snprintf(name, sizeof(name), "%s-%06d-%s", k == MODEL_FUNCTION ? "fn" : model_kind_name(k),
	         i, i % 7 ? "orders" : "payments");
	return store_put_resource(s, &r, err);
}

static int
seed(struct store *s, struct err *err)
{
	char attrs[1400], src[160], dst[160];
	int i, j, rc = 0;
	size_t k;

	for (i = 0; i < N_FUNCTIONS && !rc; i++) {
		snprintf(
		        attrs, sizeof(attrs),
		        "{\"FunctionName\":\"fn-%06d\",\"Runtime\":\"%s\",\"MemorySize\":%d,"
		        "\"Timeout\":%d,\"CodeSize\":%d,\"Handler\":\"index.handler\","
		        "\"LastModified\":\"2024-03-%02dT10:00:00.000+0000\","
		        "\"Role\":\"arn:aws:iam::123456789012:role/bench-role-%06d\","
		        "\"Environment\":{\"Variables\":{\"TABLE\":\"orders\",\"QUEUE\":\"jobs\","
		        "\"LOG_LEVEL\":\"info\",\"STAGE\":\"prod\"}},"
		        "\"Layers\":[{\"Arn\":\"arn:aws:lambda:us-east-1:123456789012:layer:common:3\","
		        "\"CodeSize\":123456}],\"TracingConfig\":{\"Mode\":\"PassThrough\"},"
		        "\"Architectures\":[\"x86_64\"],\"EphemeralStorage\":{\"Size\":512},"
		        "\"Tags\":{\"team\":\"t%d\",\"service\":\"svc-%d\",\"env\":\"prod\"},"
		        "\"Concurrency\":{},\"Url\":null,\"Policy\":null}",
		        i, i % 2 ? "python3.12" : "nodejs20.x", 128 << (i % 5), 3 + i % 900,
		        1000 + i, 1 + i % 28, i % N_ROLES, i % 40, i % 300);
		rc = put(s, MODEL_FUNCTION, i, attrs, err);
	}
	for (i = 0; i < N_ROLES && !rc; i++)
		rc = put(
		        s, MODEL_ROLE, i,
		        "{\"Path\":\"/\",\"CreateDate\":\"2023-01-01T00:00:00Z\","
		        "\"AssumeRolePolicyDocument\":{\"Version\":\"2012-10-17\",\"Statement\":"
		        "[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},"
		        "\"Action\":\"sts:AssumeRole\"}]}}",
		        err);
	for (k = 0; k < sizeof(others) / sizeof(others[0]); k++)
		for (i = 0; i < N_OTHER && !rc; i++)
			rc = put(s, others[k], i, "{\"State\":\"ENABLED\",\"ItemCount\":42}", err);
	for (i = 0; i < N_FUNCTIONS && !rc; i++) {
		struct model_edge e = { .src = src,
			                .dst = dst,
			                .kind = MODEL_EDGE_ASSUMES,
			                .evidence = "Configuration.Role" };

		arn_of(src, sizeof(src), MODEL_FUNCTION, i);
		arn_of(dst, sizeof(dst), MODEL_ROLE, i % N_ROLES);
		rc = store_put_edge(s, &e, err);
		for (j = 0; j < EDGES_PER_FN && !rc; j++) {
			arn_of(dst, sizeof(dst), others[(i + j) % 5], (i * 7 + j * 13) % N_OTHER);
			e.kind = j % 2 ? MODEL_EDGE_READS : MODEL_EDGE_WRITES;
			e.evidence = "env TABLE";
			rc = store_put_edge(s, &e, err);
		}
	}
	return rc;
}

static double
key_ms(struct ui *ui, int key)
{
	double t = now_ms();

	ui_key(ui, key, 0);
	ui_draw(ui);
	return now_ms() - t;
}

int
main(int argc, char **argv)
{
	char tmpl[] = "/tmp/shears-bench-XXXXXX", path[4200], msg[1024];
	const char *dir = argc > 1 ? argv[1] : mkdtemp(tmpl);
	struct store_scan scan = { .account = "123456789012",
		                   .regions = "us-east-1,eu-west-1,ap-south-1" };
	struct err err = { 0 };
	struct store *s;
	struct ui *ui;
	FILE *out, *in;
	double t, t_open, t_frame, worst = 0, sum = 0;
	const char *typed = "fn-0123";
	int i, rc;

	if (!dir)
		return 1;
	snprintf(path, sizeof(path), "%s/bench.db", dir);
	setenv("TERM", "xterm", 0);
	t = now_ms();
	rc = store_open(path, 0, &s, &err);
	rc = rc ? rc : store_scan_begin(s, &scan, &err);
	rc = rc ? rc : seed(s, &err);
	scan.complete = 1;
	rc = rc ? rc : store_scan_commit(s, &scan, &err);
	store_close(s);
	if (rc) {
		fprintf(stderr, "bench_ui: %s\n", err_format(&err, msg, sizeof(msg)));
		return 1;
	}
	printf("ui: store write, 100000 resources + 300000 edges: %.0f ms\n", now_ms() - t);

	t = now_ms();
	rc = ui_open(&ui, path, 0, &err);
	t_open = now_ms() - t;
	out = fopen("/dev/null", "w");
	in = fopen("/dev/null", "r");
	if (rc || !out || !in || ui_screen_start(ui, out, in, &err)) {
		fprintf(stderr, "bench_ui: %s\n", err_format(&err, msg, sizeof(msg)));
		return 1;
	}
	t = now_ms();
	ui_draw(ui);
	t_frame = now_ms() - t;
	printf("ui: first frame (overview queries %.1f ms + draw %.1f ms): %.1f ms (budget 100)\n",
	       t_open, t_frame, t_open + t_frame);

	t = now_ms();
	ui_command_run(ui, "functions");
	ui_draw(ui);
	printf("ui: load and draw the functions list (%zu rows): %.0f ms\n",
	       ui_view_top(ui)->n_rows, now_ms() - t);

	key_ms(ui, '/');
	for (i = 0; typed[i]; i++) {
		double k = key_ms(ui, typed[i]);

		worst = k > worst ? k : worst;
		sum += k;
	}
	printf("ui: filter keystroke, \"%s\" typed (%zu rows left): worst %.2f ms, mean %.2f ms "
	       "(budget 16)\n",
	       typed, ui_view_top(ui)->n_vis, worst, sum / (double)strlen(typed));
	t = now_ms();
	ui_key(ui, KEY_BACKSPACE, 1);
	ui_draw(ui);
	printf("ui: filter backspace (widening, full pass): %.2f ms\n", now_ms() - t);
	ui_key(ui, 27, 0); /* leaves the filter line, the filter cleared */
	t = now_ms();
	ui_key(ui, 's', 0);
	ui_draw(ui);
	printf("ui: sort keystroke on %zu rows: %.1f ms\n", ui_view_top(ui)->n_rows, now_ms() - t);

	ui_close(ui);
	fclose(out);
	fclose(in);
	if (argc < 2) {
		unlink(path);
		snprintf(path, sizeof(path), "%s/bench.db-wal", dir);
		unlink(path);
		snprintf(path, sizeof(path), "%s/bench.db-shm", dir);
		unlink(path);
		rmdir(dir);
	}
	return 0;
}

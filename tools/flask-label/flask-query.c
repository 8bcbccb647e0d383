/*
 * flask-query - answer security-server queries about a binary policy.
 *
 *   flask-query POLICY < queries
 *
 * One query per line, one answer line per query, in order:
 *   av SCONTEXT TCONTEXT CLASS       allowed=P,P auditallow=P,P auditdeny=P,P
 *   create|relabel|member S T CLASS  the resulting context
 *   valid CONTEXT                    valid | invalid
 *   bool NAME 0|1                    ok (the value is set and committed)
 * A line that cannot be answered gets "error: REASON". Empty lines and
 * lines starting with '#' get no answer. Permission lists are sorted by
 * name (byte order). Exit status 2 on usage errors and on a policy that
 * cannot be read or loaded.
 *
 * The decisions come from the security server in flask/ through its
 * unmapped (policy-numbered) interface, so the answers can be compared one
 * for one with libsepol's (tests/policy/diff).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "security.h"

#define LINE_MAX_LEN 4096
#define MAX_WORDS 5
#define POLICY_MAX_BYTES (256u << 20)
#define CONTEXT_BUF 8192

static int read_file(const char *path, void **data, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t cap = 0, n = 0;
	int err;

	if (!f) {
		return -errno;
	}
	errno = 0;
	for (;;) {
		size_t got;

		if (n == cap) {
			unsigned char *nb;

			cap = cap ? cap * 2 : 65536;
			if (cap > POLICY_MAX_BYTES) {
				err = -EFBIG;
				goto fail;
			}
			nb = realloc(buf, cap);
			if (!nb) {
				err = -ENOMEM;
				goto fail;
			}
			buf = nb;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0) {
			break;
		}
	}
	if (ferror(f)) {
		err = errno ? -errno : -EIO;
		goto fail;
	}
	fclose(f);
	*data = buf;
	*len = n;
	return 0;
fail:
	free(buf);
	fclose(f);
	return err;
}

static int to_sid(const char *ctx, uint32_t *sid)
{
	return security_context_to_sid(ctx, strlen(ctx), sid);
}

static int lookup_class(const char *name, uint16_t *tclass)
{
	*tclass = security_class_by_name(name);
	return *tclass ? 0 : -1;
}

struct perm_name {
	const char *name;
	uint32_t bit;
};

static int cmp_perm(const void *a, const void *b)
{
	return strcmp(((const struct perm_name *)a)->name, ((const struct perm_name *)b)->name);
}

static void print_perm_set(const char *label, const struct perm_name *perms, int n, uint32_t av)
{
	bool first = true;

	printf("%s=", label);
	for (int i = 0; i < n; i++) {
		if (av & perms[i].bit) {
			printf("%s%s", first ? "" : ",", perms[i].name);
			first = false;
		}
	}
}

static void query_av(char **arg)
{
	struct perm_name perms[32];
	struct av_decision avd;
	uint32_t ssid, tsid, mask;
	uint16_t tclass;
	int n = 0;

	if (to_sid(arg[0], &ssid)) {
		printf("error: invalid source context\n");
		return;
	}
	if (to_sid(arg[1], &tsid)) {
		printf("error: invalid target context\n");
		return;
	}
	if (lookup_class(arg[2], &tclass)) {
		printf("error: unknown class\n");
		return;
	}
	if (security_compute_av_raw(ssid, tsid, tclass, &avd)) {
		printf("error: compute_av failed\n");
		return;
	}
	mask = security_class_perms_raw(tclass);
	for (int b = 0; b < 32; b++) {
		const char *name;

		if (!(mask & (1u << b))) {
			continue;
		}
		name = security_perm_name_raw(tclass, 1u << b);
		if (name) {
			perms[n].name = name;
			perms[n].bit = 1u << b;
			n++;
		}
	}
	qsort(perms, (size_t)n, sizeof(perms[0]), cmp_perm);
	print_perm_set("allowed", perms, n, avd.allowed & mask);
	print_perm_set(" auditallow", perms, n, avd.auditallow & mask);
	print_perm_set(" auditdeny", perms, n, avd.auditdeny & mask);
	printf("\n");
}

static void query_sid(char **arg, int (*fn)(uint32_t, uint32_t, uint16_t, uint32_t *))
{
	char ctx[CONTEXT_BUF];
	uint32_t ssid, tsid, nsid;
	uint16_t tclass;

	if (to_sid(arg[0], &ssid)) {
		printf("error: invalid source context\n");
		return;
	}
	if (to_sid(arg[1], &tsid)) {
		printf("error: invalid target context\n");
		return;
	}
	if (lookup_class(arg[2], &tclass)) {
		printf("error: unknown class\n");
		return;
	}
	if (fn(ssid, tsid, tclass, &nsid)) {
		printf("error: no valid context results\n");
		return;
	}
	if (security_sid_to_context(nsid, ctx, sizeof(ctx), NULL)) {
		printf("error: cannot format the context\n");
		return;
	}
	printf("%s\n", ctx);
}

static void query_valid(char **arg)
{
	printf("%s\n", security_context_valid(arg[0], strlen(arg[0])) ? "invalid" : "valid");
}

static void query_bool(char **arg)
{
	int id = security_find_bool(arg[0]);

	if (id < 0) {
		printf("error: unknown boolean\n");
		return;
	}
	if (strcmp(arg[1], "0") && strcmp(arg[1], "1")) {
		printf("error: boolean value must be 0 or 1\n");
		return;
	}
	if (security_set_bool(id, arg[1][0] == '1') || security_commit_bools()) {
		printf("error: cannot commit the boolean\n");
		return;
	}
	printf("ok\n");
}

/* Line parser. sepol-query.c keeps its own on purpose: the reference shares no code under test. */

/* Split on blanks; -1 if there are more than max words. */
static int split(char *line, char **word, int max)
{
	int n = 0;
	char *p = line;

	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') {
			p++;
		}
		if (!*p) {
			return n;
		}
		if (n == max) {
			return -1;
		}
		word[n++] = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\r' && *p != '\n') {
			p++;
		}
		if (*p) {
			*p++ = '\0';
		}
	}
}

static void answer(char *line)
{
	char *w[MAX_WORDS];
	int n;

	while (*line == ' ' || *line == '\t') {
		line++;
	}
	if (*line == '#' || *line == '\n' || *line == '\r' || *line == '\0') {
		return;
	}
	n = split(line, w, MAX_WORDS);
	if (n < 0) {
		printf("error: too many words\n");
	} else if (!strcmp(w[0], "av") && n == 4) {
		query_av(w + 1);
	} else if (!strcmp(w[0], "create") && n == 4) {
		query_sid(w + 1, security_transition_sid_raw);
	} else if (!strcmp(w[0], "member") && n == 4) {
		query_sid(w + 1, security_member_sid_raw);
	} else if (!strcmp(w[0], "relabel") && n == 4) {
		query_sid(w + 1, security_change_sid_raw);
	} else if (!strcmp(w[0], "valid") && n == 2) {
		query_valid(w + 1);
	} else if (!strcmp(w[0], "bool") && n == 3) {
		query_bool(w + 1);
	} else {
		printf("error: unknown query or wrong number of words\n");
	}
}

static void usage(void)
{
	fprintf(stderr, "usage: flask-query POLICY < queries\n"
			"  queries: av S T CLASS | create|relabel|member S T CLASS |\n"
			"           valid CONTEXT | bool NAME 0|1\n");
}

int main(int argc, char **argv)
{
	char line[LINE_MAX_LEN];
	char err[256];
	void *data = NULL;
	size_t len = 0;
	int rc;

	if (argc != 2 || argv[1][0] == '\0' || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "--help")) {
		usage();
		return 2;
	}
	rc = read_file(argv[1], &data, &len);
	if (rc) {
		fprintf(stderr, "flask-query: %s: %s\n", argv[1], strerror(-rc));
		return 2;
	}
	rc = security_load_policy(data, len, err, sizeof(err));
	free(data);
	if (rc) {
		fprintf(stderr, "flask-query: %s: %s\n", argv[1],
			err[0] ? err : "cannot load the policy");
		return 2;
	}
	while (fgets(line, sizeof(line), stdin)) {
		if (!strchr(line, '\n') && !feof(stdin)) {
			int c;

			while ((c = getchar()) != EOF && c != '\n') {
			}
			printf("error: line too long\n");
			continue;
		}
		answer(line);
	}
	security_reset();
	return ferror(stdout) ? 1 : 0;
}

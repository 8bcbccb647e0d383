/*
 * sepol-query - the reference answerer for the differential tests.
 *
 * Speaks the query protocol of build/bin/flask-query (see
 * tests/policy/diff/README.md) but answers from libsepol's own security
 * services, so that two independent implementations read the same binary
 * policy and compute the same decisions.
 *
 * Xen semantics come from libsepol itself: for a Xen-target policy its
 * policydb_read gives "domain" (and domain:transition) the role "process"
 * has on Linux: role_allow is checked when domain:transition changes the
 * role, a new "domain" object takes the source's role and type and its full
 * MLS range. libsepol 3.4 also applies default_user/role/type/range and
 * role_transition for every class, and masks a bounded type's permissions
 * by its parent's (typebounds).
 *
 * Linked with the static libsepol because the policydb internals (class
 * permission names, booleans, process_class) are not exported by the shared
 * library.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sepol/debug.h>
#include <sepol/policydb/conditional.h>
#include <sepol/policydb/hashtab.h>
#include <sepol/policydb/policydb.h>
#include <sepol/policydb/services.h>
#include <sepol/policydb/sidtab.h>

/* Not in the installed headers, exported by libsepol.a. */
extern int sepol_set_policydb(policydb_t *p);
extern int sepol_set_sidtab(sidtab_t *s);

#define MAX_PERMS 32
#define LINE_MAX_LEN 4096

struct class_names {
	const char *perm[MAX_PERMS]; /* indexed by bit (value - 1) */
	uint32_t mask;		     /* every permission the class defines */
	int order[MAX_PERMS];	     /* bits sorted by name */
	int nperms;
};

static policydb_t pdb;
static sidtab_t sidtab;
static struct class_names *classes; /* indexed by class value - 1 */

static int collect_perm(hashtab_key_t key, hashtab_datum_t datum, void *arg)
{
	struct class_names *cn = arg;
	perm_datum_t *perm = datum;
	uint32_t v = perm->s.value;

	if (v == 0 || v > MAX_PERMS) {
		return -1;
	}
	cn->perm[v - 1] = key;
	cn->mask |= 1U << (v - 1);
	return 0;
}

static struct class_names *sort_ctx;

static int cmp_perm_bits(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return strcmp(sort_ctx->perm[x], sort_ctx->perm[y]);
}

static int index_classes(void)
{
	uint32_t c;

	classes = calloc(pdb.p_classes.nprim, sizeof(*classes));
	if (!classes) {
		return -ENOMEM;
	}
	for (c = 0; c < pdb.p_classes.nprim; c++) {
		class_datum_t *cd = pdb.class_val_to_struct[c];
		struct class_names *cn = &classes[c];
		int b;

		if (!cd) {
			continue;
		}
		if (cd->comdatum &&
		    hashtab_map(cd->comdatum->permissions.table, collect_perm, cn)) {
			return -EINVAL;
		}
		if (hashtab_map(cd->permissions.table, collect_perm, cn)) {
			return -EINVAL;
		}
		for (b = 0; b < MAX_PERMS; b++) {
			if (cn->mask & (1U << b)) {
				cn->order[cn->nperms++] = b;
			}
		}
		sort_ctx = cn;
		qsort(cn->order, cn->nperms, sizeof(int), cmp_perm_bits);
	}
	return 0;
}

static int load_policy(const char *path)
{
	FILE *fp = fopen(path, "rb");
	struct policy_file pf;
	char *data = NULL;
	long len;
	int rc = -EINVAL;

	if (!fp) {
		fprintf(stderr, "sepol-query: %s: %s\n", path, strerror(errno));
		return -errno;
	}
	if (fseek(fp, 0, SEEK_END) || (len = ftell(fp)) < 0 || fseek(fp, 0, SEEK_SET)) {
		fprintf(stderr, "sepol-query: %s: cannot size the file\n", path);
		goto out;
	}
	data = malloc(len ? len : 1);
	if (!data || fread(data, 1, len, fp) != (size_t)len) {
		fprintf(stderr, "sepol-query: %s: short read\n", path);
		goto out;
	}
	if (policydb_init(&pdb)) {
		fprintf(stderr, "sepol-query: out of memory\n");
		goto out;
	}
	policy_file_init(&pf);
	pf.type = PF_USE_MEMORY;
	pf.data = data;
	pf.len = len;
	if (policydb_read(&pdb, &pf, 0)) {
		fprintf(stderr, "sepol-query: %s: libsepol cannot read the policy\n", path);
		goto out;
	}
	if (pdb.target_platform != SEPOL_TARGET_XEN) {
		fprintf(stderr, "sepol-query: %s: not a Xen-target policy\n", path);
		goto out;
	}
	sepol_set_policydb(&pdb);
	if (sepol_sidtab_init(&sidtab)) {
		fprintf(stderr, "sepol-query: out of memory\n");
		goto out;
	}
	sepol_set_sidtab(&sidtab);
	rc = index_classes();
	if (rc) {
		fprintf(stderr, "sepol-query: %s: bad permission values\n", path);
	}
out:
	free(data);
	fclose(fp);
	return rc;
}

/* --model: print what a query generator needs to know about the policy. */
static void print_level(const mls_level_t *l)
{
	ebitmap_node_t *n;
	unsigned int bit;
	int first = 1;

	printf("%s", pdb.p_sens_val_to_name[l->sens - 1]);
	ebitmap_for_each_positive_bit(&l->cat, n, bit)
	{
		printf("%c%s", first ? ':' : ',', pdb.p_cat_val_to_name[bit]);
		first = 0;
	}
}

static int print_type(hashtab_key_t key, hashtab_datum_t datum, void *arg)
{
	type_datum_t *t = datum;

	if (t->flavor == TYPE_ATTRIB) {
		printf("attr %s\n", key);
	} else if (t->primary) {
		printf("type %s%s\n", key,
		       ebitmap_get_bit(&pdb.permissive_map, t->s.value) ? " permissive" : "");
	} else {
		printf("alias %s %s\n", key, pdb.p_type_val_to_name[t->s.value - 1]);
	}
	return 0;
}

static int print_bool(hashtab_key_t key, hashtab_datum_t datum, void *arg)
{
	cond_bool_datum_t *b = datum;

	printf("bool %s %d\n", key, b->state);
	return 0;
}

/* Sensitivities in dominance order (their values), each with its categories. */
static void print_sens(void)
{
	uint32_t i;

	for (i = 0; i < pdb.p_levels.nprim; i++) {
		const char *name = pdb.p_sens_val_to_name[i];
		level_datum_t *l;

		/* Aliases take values too but have no name in the index. */
		if (!name) {
			continue;
		}
		l = hashtab_search(pdb.p_levels.table, (hashtab_key_t)name);

		if (l && !l->isalias) {
			printf("sens ");
			print_level(l->level);
			printf("\n");
		}
	}
}

static void print_model(void)
{
	ebitmap_node_t *n;
	unsigned int bit;
	uint32_t i;

	printf("mls %d\n", pdb.mls ? 1 : 0);
	for (i = 0; i < pdb.p_classes.nprim; i++) {
		printf("class %s\n", pdb.p_class_val_to_name[i]);
	}
	hashtab_map(pdb.p_types.table, print_type, NULL);
	for (i = 0; i < pdb.p_roles.nprim; i++) {
		role_datum_t *r = pdb.role_val_to_struct[i];

		printf("role %s", pdb.p_role_val_to_name[i]);
		ebitmap_for_each_positive_bit(&r->types.types, n, bit)
		{
			printf(" %s", pdb.p_type_val_to_name[bit]);
		}
		printf("\n");
	}
	for (i = 0; i < pdb.p_users.nprim; i++) {
		user_datum_t *u = pdb.user_val_to_struct[i];

		printf("user %s", pdb.p_user_val_to_name[i]);
		ebitmap_for_each_positive_bit(&u->roles.roles, n, bit)
		{
			printf(" %s", pdb.p_role_val_to_name[bit]);
		}
		printf("\n");
		if (pdb.mls) {
			printf("userrange %s ", pdb.p_user_val_to_name[i]);
			print_level(&u->exp_range.level[0]);
			printf(" ");
			print_level(&u->exp_range.level[1]);
			printf("\n");
		}
	}
	hashtab_map(pdb.p_bools.table, print_bool, NULL);
	if (pdb.mls) {
		print_sens();
	}
}

static void print_perm_set(const char *label, uint32_t class_value, uint32_t av)
{
	struct class_names *cn = &classes[class_value - 1];
	int i, first = 1;

	printf("%s=", label);
	for (i = 0; i < cn->nperms; i++) {
		int b = cn->order[i];

		if (av & (1U << b)) {
			printf("%s%s", first ? "" : ",", cn->perm[b]);
			first = 0;
		}
	}
}

static int lookup_class(const char *name, sepol_security_class_t *out)
{
	class_datum_t *cd = hashtab_search(pdb.p_classes.table, (hashtab_key_t)name);

	if (!cd) {
		return -EINVAL;
	}
	*out = cd->s.value;
	return 0;
}

static int to_sid(const char *ctx, sepol_security_id_t *sid)
{
	return sepol_context_to_sid(ctx, strlen(ctx) + 1, sid) ? -EINVAL : 0;
}

static void query_av(char **arg)
{
	sepol_security_id_t ssid, tsid;
	sepol_security_class_t tclass;
	struct sepol_av_decision avd;
	uint32_t mask;

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
	mask = classes[tclass - 1].mask;
	if (sepol_compute_av(ssid, tsid, tclass, mask, &avd)) {
		printf("error: compute_av failed\n");
		return;
	}
	/*
	 * libsepol starts auditdeny from all ones and clears the dontaudit
	 * bits; only the class's own permissions mean anything.
	 */
	print_perm_set("allowed", tclass, avd.allowed & mask);
	print_perm_set(" auditallow", tclass, avd.auditallow & mask);
	print_perm_set(" auditdeny", tclass, avd.auditdeny & mask);
	printf("\n");
}

static void query_sid(char **arg, int (*fn)(sepol_security_id_t, sepol_security_id_t,
					    sepol_security_class_t, sepol_security_id_t *))
{
	sepol_security_id_t ssid, tsid, nsid;
	sepol_security_class_t tclass;
	sepol_security_context_t ctx;
	size_t len;

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
	if (sepol_sid_to_context(nsid, &ctx, &len)) {
		printf("error: cannot format the context\n");
		return;
	}
	printf("%s\n", ctx);
	free(ctx);
}

static void query_valid(char **arg)
{
	sepol_security_id_t sid;

	printf("%s\n", to_sid(arg[0], &sid) ? "invalid" : "valid");
}

static void query_bool(char **arg)
{
	cond_bool_datum_t *b = hashtab_search(pdb.p_bools.table, arg[0]);

	if (!b) {
		printf("error: unknown boolean\n");
		return;
	}
	if (strcmp(arg[1], "0") && strcmp(arg[1], "1")) {
		printf("error: boolean value must be 0 or 1\n");
		return;
	}
	b->state = arg[1][0] == '1';
	if (evaluate_conds(&pdb)) {
		printf("error: cannot evaluate the conditionals\n");
		return;
	}
	printf("ok\n");
}

/* Line parser. Not flask-query.c's on purpose: the reference shares no code under test. */
static int split(char *line, char **word, int max)
{
	int n = 0;
	char *save = NULL, *tok;

	for (tok = strtok_r(line, " \t\r\n", &save); tok; tok = strtok_r(NULL, " \t\r\n", &save)) {
		if (n == max) {
			return -1;
		}
		word[n++] = tok;
	}
	return n;
}

static void answer(char *line)
{
	char *w[5];
	int n;

	while (*line == ' ' || *line == '\t') {
		line++;
	}
	if (*line == '#' || *line == '\n' || *line == '\r' || *line == '\0') {
		return;
	}
	n = split(line, w, 5);
	if (n <= 0) {
		printf("error: too many words\n");
	} else if (!strcmp(w[0], "av") && n == 4) {
		query_av(w + 1);
	} else if (!strcmp(w[0], "create") && n == 4) {
		query_sid(w + 1, sepol_transition_sid);
	} else if (!strcmp(w[0], "member") && n == 4) {
		query_sid(w + 1, sepol_member_sid);
	} else if (!strcmp(w[0], "relabel") && n == 4) {
		query_sid(w + 1, sepol_change_sid);
	} else if (!strcmp(w[0], "valid") && n == 2) {
		query_valid(w + 1);
	} else if (!strcmp(w[0], "bool") && n == 3) {
		query_bool(w + 1);
	} else {
		printf("error: unknown query or wrong number of words\n");
	}
}

int main(int argc, char **argv)
{
	char line[LINE_MAX_LEN];
	int model = 0;
	int argi = 1;

	for (; argi < argc && argv[argi][0] == '-'; argi++) {
		if (!strcmp(argv[argi], "--model")) {
			model = 1;
		} else {
			break;
		}
	}
	if (argi + 1 != argc) {
		fprintf(stderr, "usage: sepol-query [--model] POLICY < queries\n");
		return 2;
	}
	sepol_debug(0);
	if (load_policy(argv[argi])) {
		return 2;
	}
	if (model) {
		print_model();
		return ferror(stdout) ? 1 : 0;
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
	return ferror(stdout) ? 1 : 0;
}

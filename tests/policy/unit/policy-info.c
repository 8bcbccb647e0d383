/*
 * policy-info.c - load a binary policy with flask/policydb and print a
 * summary (or the reader's error). A debugging aid for the reader tests.
 */
#include <stdio.h>
#include <stdlib.h>

#include "policydb.h"

static void *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf;
	long n;

	if (!f) {
		return NULL;
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(n ? (size_t)n : 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*len = (size_t)n;
	return buf;
}

int main(int argc, char **argv)
{
	static const char *const syms[SYM_NUM] = {"commons", "classes",	 "roles", "types",
						  "users",   "booleans", "sens",  "cats"};
	struct policydb p;
	char err[256];
	size_t len;
	void *data;
	unsigned int i;
	int rc;

	if (argc != 2) {
		fprintf(stderr, "usage: %s POLICY\n", argv[0]);
		return 2;
	}
	data = slurp(argv[1], &len);
	if (!data) {
		perror(argv[1]);
		return 2;
	}
	rc = policydb_read(&p, data, len, err, sizeof(err));
	free(data);
	if (rc) {
		printf("error %d: %s\n", rc, err);
		return 1;
	}
	printf("version %u mls %d handle_unknown %u size %zu\n", p.policyvers, p.mls,
	       p.handle_unknown, len);
	for (i = 0; i < SYM_NUM; i++) {
		printf("%s: %u values, %u names\n", syms[i], p.symtab[i].nprim,
		       symtab_nel(&p.symtab[i]));
	}
	printf("avtab %u, cond avtab %u, conds %u, role_tr %u, role_allow %u, range_tr %u\n",
	       p.te_avtab.nel, p.te_cond_avtab.nel, p.cond_list_len, p.nrole_tr, p.nrole_allow,
	       p.nrange_tr);
	for (i = 0; i < OCON_XEN_NUM; i++) {
		printf("ocon %u: %u\n", i, p.nocontexts[i]);
	}
	policydb_destroy(&p);
	return 0;
}

/*
 * audit.h - formatting of AVC audit lines.
 *
 * avc:  denied  { perm1 perm2 } for source=d1 target=d2 scontext=C tcontext=C tclass=CLASS
 *
 * "granted" instead of "denied" for auditallow; permissions in bit order;
 * source=/target= only when the caller supplied them; " permissive=1" at
 * the end when the denial was not enforced. The format is what stock
 * audit2allow parses.
 */
#ifndef FLASK_AUDIT_H
#define FLASK_AUDIT_H

#include "flask_env.h"

#define AUDIT_LINE_MAX 1024

/*
 * What the caller of avc_has_perm knows about the access, printed as
 * source=/target=. Here rather than in avc.h so the formatter needs
 * nothing of the cache that calls it.
 */
struct avc_audit_data {
	bool has_source;
	bool has_target;
	uint32_t source_domid;
	uint32_t target_domid;
};

/*
 * Format one line into buf (always NUL-terminated, truncated if too long).
 * perms and tclass are in the embedder's (mapped) numbering. Returns the
 * length the full line has (like snprintf).
 */
int audit_format_line(char *buf, size_t size, bool granted, uint32_t perms, uint32_t ssid,
		      uint32_t tsid, uint16_t tclass, const struct avc_audit_data *ad,
		      bool permissive);

#endif

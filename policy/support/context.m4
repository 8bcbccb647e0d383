divert(-1)
# Context and user helpers.  One source serves both builds: m4 runs with
# -D enable_mls for the MLS policy, and these macros add the MLS parts
# (levels and ranges) only then.  divert(-1) keeps this file out of the
# output; it only defines macros.

# The lattice ends, shared by contexts, users and the mls file.
define(`mls_systemlow', `s0')
define(`mls_systemhigh', `s3:c0.c15')

# gen_context(user:role:type, low[, high])
#   A security context.  Without MLS the levels are dropped; with MLS a
#   single level gives a single-level range and two give low - high.
ifdef(`enable_mls', `
define(`gen_context', `$1:$2`'ifelse(`$3', `', `', ` - $3')')
', `
define(`gen_context', `$1')
')

# gen_user(name, roles, default level, low, high)
#   A user with its roles; with MLS also its default level and the range of
#   levels its contexts may use.
ifdef(`enable_mls', `
define(`gen_user', `user $1 roles { $2 } level $3 range $4 - $5;')
', `
define(`gen_user', `user $1 roles { $2 };')
')

divert(0)dnl

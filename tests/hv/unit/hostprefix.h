/*
 * Force-included (gcc -include) when hypervisor sources are compiled for the
 * host unit tests. The hypervisor's lib/ defines memcpy, snprintf, ... with
 * their standard names; in a host program those would collide with libc (and
 * with ASan's interceptors). Renaming them all here gives one consistent
 * hv_ name space: hypervisor code calls the hypervisor's own functions, the
 * test code and the sanitizer runtime keep libc's.
 *
 * Test sources that want to call a hypervisor function directly use the hv_
 * name (declared in hvtest.h); they do not include this file.
 */
#define memcpy hv_memcpy
#define memmove hv_memmove
#define memset hv_memset
#define memcmp hv_memcmp
#define memchr hv_memchr
#define strlen hv_strlen
#define strnlen hv_strnlen
#define strcmp hv_strcmp
#define strncmp hv_strncmp
#define strchr hv_strchr
#define strrchr hv_strrchr
#define strlcpy hv_strlcpy
#define vsnprintf hv_vsnprintf
#define snprintf hv_snprintf
#define sort hv_sort
#define simple_strtoull hv_simple_strtoull
#define parse_size hv_parse_size
#define parse_ull_strict hv_parse_ull_strict
#define parse_size_strict hv_parse_size_strict

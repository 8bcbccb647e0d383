/*
 * Error numbers. These are guest ABI: hypercalls return them negated and a
 * Xen PV kernel interprets them with Xen's values, which are Linux's x86
 * values.
 *
 * XEN_E* is the ABI list (Xen's public errno.h, plus EMSGSIZE which
 * Palisade's flask_op returns for a context string without its NUL). The
 * plain E* names are what hypervisor code writes; they are spelled exactly
 * as Linux/glibc spell them, so a host test may include this header next to
 * <errno.h>. tests/hv/abi checks that both lists agree.
 *
 * Usable from assembly.
 */
#ifndef PALISADE_PUBLIC_ERRNO_H
#define PALISADE_PUBLIC_ERRNO_H

#define XEN_EPERM 1
#define XEN_ENOENT 2
#define XEN_ESRCH 3
#define XEN_EINTR 4 /* hypervisor-internal in Xen: never returned to a guest */
#define XEN_EIO 5
#define XEN_ENXIO 6
#define XEN_E2BIG 7
#define XEN_ENOEXEC 8
#define XEN_EBADF 9
#define XEN_ECHILD 10
#define XEN_EAGAIN 11
#define XEN_EWOULDBLOCK 11
#define XEN_ENOMEM 12
#define XEN_EACCES 13
#define XEN_EFAULT 14
#define XEN_EBUSY 16
#define XEN_EEXIST 17
#define XEN_EXDEV 18
#define XEN_ENODEV 19
#define XEN_EISDIR 21
#define XEN_EINVAL 22
#define XEN_ENFILE 23
#define XEN_EMFILE 24
#define XEN_ENOSPC 28
#define XEN_EROFS 30
#define XEN_EMLINK 31
#define XEN_EDOM 33
#define XEN_ERANGE 34
#define XEN_EDEADLK 35
#define XEN_EDEADLOCK 35
#define XEN_ENAMETOOLONG 36
#define XEN_ENOLCK 37
#define XEN_ENOSYS 38
#define XEN_ENOTEMPTY 39
#define XEN_ENODATA 61
#define XEN_ETIME 62
#define XEN_EBADMSG 74
#define XEN_EOVERFLOW 75
#define XEN_EILSEQ 84
#define XEN_ERESTART 85 /* hypervisor-internal in Xen: never returned to a guest */
#define XEN_ENOTSOCK 88
#define XEN_EMSGSIZE 90 /* not in Xen's list; Linux's value */
#define XEN_EOPNOTSUPP 95
#define XEN_EADDRINUSE 98
#define XEN_EADDRNOTAVAIL 99
#define XEN_ENOBUFS 105
#define XEN_EISCONN 106
#define XEN_ENOTCONN 107
#define XEN_ETIMEDOUT 110

#define EPERM 1
#define ENOENT 2
#define ESRCH 3
#define EINTR 4
#define EIO 5
#define ENXIO 6
#define E2BIG 7
#define ENOEXEC 8
#define EBADF 9
#define ECHILD 10
#define EAGAIN 11
#define ENOMEM 12
#define EACCES 13
#define EFAULT 14
#define EBUSY 16
#define EEXIST 17
#define EXDEV 18
#define ENODEV 19
#define EISDIR 21
#define EINVAL 22
#define ENFILE 23
#define EMFILE 24
#define ENOSPC 28
#define EROFS 30
#define EMLINK 31
#define EDOM 33
#define ERANGE 34
#define EDEADLK 35
#define ENAMETOOLONG 36
#define ENOLCK 37
#define ENOSYS 38
#define ENOTEMPTY 39
#define ENODATA 61
#define ETIME 62
#define EBADMSG 74
#define EOVERFLOW 75
#define EILSEQ 84
#define ENOTSOCK 88
#define EMSGSIZE 90
#define EOPNOTSUPP 95
#define EADDRINUSE 98
#define EADDRNOTAVAIL 99
#define ENOBUFS 105
#define EISCONN 106
#define ENOTCONN 107
#define ETIMEDOUT 110
#define ECONNREFUSED 111

#endif /* PALISADE_PUBLIC_ERRNO_H */

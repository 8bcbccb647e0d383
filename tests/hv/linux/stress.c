/*
 * palisade-stress: process and memory checks run by hv-linux's /init in a
 * Linux dom0. Every one leans on the hypervisor's PV memory model: fork
 * copies page tables and write-protects the parent's entries (writes into
 * its own L1s, which the hypervisor emulates), copy-on-write faults
 * replace entries, mprotect and munmap change or drop them, and a fault
 * on a page the process may not write must reach the process as SIGSEGV.
 *
 *   palisade-stress [--inject] forkexec N PROGRAM
 *   palisade-stress [--inject] cow
 *   palisade-stress [--inject] mm
 *   palisade-stress [--inject] percpu N
 *
 * Each check prints one report line (report.h). --inject plants a fault
 * that each check must catch (hv-linux's panic boot runs it so): the last
 * child runs /bin/false, the copy-on-write region is shared, the
 * read-only and unmapped pages stay writable and the page made writable
 * again stays read-only, the last fresh mapping is expected to hold a
 * pattern it never got, and one worker more than there are CPUs is asked
 * for (pinned to a CPU that does not exist).
 * percpu runs one worker per CPU 0..N-1 at the same time, each pinned to
 * its CPU with sched_setaffinity: it must find itself on that CPU
 * (sched_getcpu) throughout, while it fills and sums a buffer and forks
 * children that inherit its pinning and copy-on-write its pages.
 * Exit status: 0 if every check passed, 1 otherwise, 2 on bad usage.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "report.h"

static bool inject;
static size_t page_size;

static bool check_forkexec(long n, const char *prog)
{
	long good = 0;
	int first_bad = -1;

	for (long i = 0; i < n; i++) {
		const char *path = (inject && i == n - 1) ? "/bin/false" : prog;
		int status;
		pid_t pid = fork();

		if (pid < 0) {
			return report("fork-exec", false, "fork %ld of %ld: %s", i + 1, n,
				      strerror(errno));
		}
		if (pid == 0) {
			execl(path, path, (char *)NULL);
			_exit(127);
		}
		if (waitpid(pid, &status, 0) != pid) {
			return report("fork-exec", false, "waitpid for child %ld: %s", i + 1,
				      strerror(errno));
		}
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
			good++;
		} else if (first_bad < 0) {
			first_bad = status;
		}
	}
	if (good != n) {
		return report("fork-exec", false,
			      "%ld of %ld children exited 0 after fork and exec, the first other "
			      "wait status was %#x",
			      good, n, first_bad);
	}
	return report("fork-exec", true, "%ld children forked, exec'd %s and exited 0", n, prog);
}

/*
 * A byte that depends on the page, the offset and a tag, so a page that
 * shows another page's frame or another process's data is told apart.
 */
static unsigned char pattern(size_t page, size_t off, unsigned char tag)
{
	return (unsigned char)(tag ^ (page * 31) ^ (off * 7) ^ (off >> 8));
}

static void fill(unsigned char *buf, size_t first, size_t last, unsigned char tag)
{
	for (size_t p = first; p < last; p++) {
		for (size_t off = 0; off < page_size; off++) {
			buf[p * page_size + off] = pattern(p, off, tag);
		}
	}
}

/* The first page in [first, last) that does not hold tag's pattern, or -1. */
static long first_mismatch(const unsigned char *buf, size_t first, size_t last, unsigned char tag)
{
	for (size_t p = first; p < last; p++) {
		for (size_t off = 0; off < page_size; off++) {
			if (buf[p * page_size + off] != pattern(p, off, tag)) {
				return (long)p;
			}
		}
	}
	return -1;
}

#define COW_PAGES 512
#define TAG_PARENT 0x50
#define TAG_CHILD 0x43
#define TAG_PARENT_LATER 0x51

/* The child's half: its exit status says which of its checks failed. */
static int cow_child(unsigned char *buf, int from_parent, int to_parent)
{
	size_t half = COW_PAGES / 2;
	char token;

	if (first_mismatch(buf, 0, COW_PAGES, TAG_PARENT) >= 0) {
		return 10; /* did not inherit the parent's data */
	}
	fill(buf, 0, half, TAG_CHILD);
	if (write(to_parent, "c", 1) != 1 || read(from_parent, &token, 1) != 1) {
		return 11;
	}
	if (first_mismatch(buf, 0, half, TAG_CHILD) >= 0) {
		return 12; /* lost its own writes */
	}
	if (first_mismatch(buf, half, COW_PAGES, TAG_PARENT) >= 0) {
		return 13; /* saw the parent's later writes */
	}
	return 0;
}

static bool check_cow(void)
{
	size_t len = COW_PAGES * page_size;
	size_t half = COW_PAGES / 2;
	int to_child[2], to_parent[2];
	int flags = (inject ? MAP_SHARED : MAP_PRIVATE) | MAP_ANONYMOUS;
	unsigned char *buf = mmap(NULL, len, PROT_READ | PROT_WRITE, flags, -1, 0);
	long bad_child_view, bad_parent_view;
	int status;
	char token;
	pid_t pid;

	if (buf == MAP_FAILED || pipe(to_child) || pipe(to_parent)) {
		return report("cow", false, "mmap or pipe: %s", strerror(errno));
	}
	fill(buf, 0, COW_PAGES, TAG_PARENT);
	pid = fork();
	if (pid < 0) {
		return report("cow", false, "fork: %s", strerror(errno));
	}
	if (pid == 0) {
		_exit(cow_child(buf, to_child[0], to_parent[1]));
	}
	if (read(to_parent[0], &token, 1) != 1) {
		waitpid(pid, &status, 0);
		return report("cow", false, "child died before writing (wait status %#x)", status);
	}
	/* The child has written its half: none of it may show here. */
	bad_child_view = first_mismatch(buf, 0, COW_PAGES, TAG_PARENT);
	fill(buf, half, COW_PAGES, TAG_PARENT_LATER);
	if (write(to_child[1], "p", 1) != 1 || waitpid(pid, &status, 0) != pid) {
		return report("cow", false, "pipe to child or waitpid: %s", strerror(errno));
	}
	bad_parent_view = first_mismatch(buf, 0, half, TAG_PARENT);
	if (bad_parent_view < 0) {
		bad_parent_view = first_mismatch(buf, half, COW_PAGES, TAG_PARENT_LATER);
	}
	munmap(buf, len);
	if (bad_child_view >= 0) {
		return report("cow", false, "the parent sees the child's write in page %ld",
			      bad_child_view);
	}
	if (bad_parent_view >= 0) {
		return report("cow", false, "the parent's own data changed in page %ld",
			      bad_parent_view);
	}
	return report("cow", WIFEXITED(status) && WEXITSTATUS(status) == 0,
		      "%d pages: child and parent each wrote half after fork and saw only their "
		      "own writes (child wait status %#x)",
		      COW_PAGES, status);
}

static sigjmp_buf fault_jmp;
static volatile sig_atomic_t fault_code;
static void *volatile fault_addr;

static void on_segv(int sig, siginfo_t *si, void *uctx)
{
	(void)sig;
	(void)uctx;
	fault_code = si->si_code;
	fault_addr = si->si_addr;
	siglongjmp(fault_jmp, 1);
}

/* Touches p (a write, or a read); true if that raised SIGSEGV. */
static bool faults(volatile unsigned char *p, bool write_it)
{
	fault_code = 0;
	fault_addr = NULL;
	if (sigsetjmp(fault_jmp, 1)) {
		return true;
	}
	if (write_it) {
		*p = 0x5a;
	} else {
		(void)*p;
	}
	return false;
}

/* A fault at p with SIGSEGV's si_code want, reported under name. */
static bool expect_fault(const char *name, unsigned char *p, bool write_it, int want,
			 const char *what)
{
	if (!faults(p, write_it)) {
		return report(name, false, "%s did not fault", what);
	}
	return report(name, fault_code == want && fault_addr == p,
		      "%s raised SIGSEGV, si_code %d (want %d), si_addr %p (want %p)", what,
		      (int)fault_code, want, fault_addr, (void *)p);
}

#define MM_PAGES 64
#define MM_CYCLES 64
#define MM_CYCLE_PAGES 128

/* Fresh mappings, cycle after cycle: zero when new, then what we wrote. */
static bool check_mmap_cycles(void)
{
	size_t len = MM_CYCLE_PAGES * page_size;

	for (int c = 0; c < MM_CYCLES; c++) {
		unsigned char tag = (unsigned char)(c + 1);
		unsigned char *buf =
		    mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		long bad;

		if (buf == MAP_FAILED) {
			return report("mmap", false, "cycle %d: mmap: %s", c, strerror(errno));
		}
		for (size_t i = 0; i < len; i++) {
			if (buf[i]) {
				return report("mmap", false, "cycle %d: fresh byte %zu is %#x", c,
					      i, buf[i]);
			}
		}
		if (!(inject && c == MM_CYCLES - 1)) {
			fill(buf, 0, MM_CYCLE_PAGES, tag);
		}
		bad = first_mismatch(buf, 0, MM_CYCLE_PAGES, tag);
		if (munmap(buf, len)) {
			return report("mmap", false, "cycle %d: munmap: %s", c, strerror(errno));
		}
		if (bad >= 0) {
			return report("mmap", false, "cycle %d: page %ld lost its pattern", c, bad);
		}
	}
	return report("mmap", true,
		      "%d cycles of mmap, %d pages read as zero, written, checked, munmap",
		      MM_CYCLES, MM_CYCLE_PAGES);
}

static bool check_mm(void)
{
	size_t len = MM_PAGES * page_size;
	struct sigaction sa = {.sa_sigaction = on_segv, .sa_flags = SA_SIGINFO};
	unsigned char *buf, *ro, *none, *gone;
	bool ok = true;

	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSEGV, &sa, NULL)) {
		return report("mm-setup", false, "sigaction: %s", strerror(errno));
	}
	ok &= check_mmap_cycles();

	buf = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED) {
		return report("mm-setup", false, "mmap: %s", strerror(errno));
	}
	fill(buf, 0, MM_PAGES, 0x11);
	ro = buf + 5 * page_size;
	none = buf + 9 * page_size;
	gone = buf + 13 * page_size;

	if (!inject && mprotect(ro, page_size, PROT_READ)) {
		ok &= report("mprotect-ro", false, "mprotect(PROT_READ): %s", strerror(errno));
	} else if (faults(ro, false)) {
		ok &= report("mprotect-ro", false, "reading the read-only page faulted");
	} else {
		ok &= expect_fault("mprotect-ro", ro, true, SEGV_ACCERR,
				   "a write to a PROT_READ page");
	}
	/* Writable again: the write lands and the rest of the page is intact. */
	if (mprotect(ro, page_size, inject ? PROT_READ : PROT_READ | PROT_WRITE) ||
	    faults(ro, true) || *ro != 0x5a || first_mismatch(buf, 6, MM_PAGES, 0x11) >= 0) {
		ok &= report("mprotect-rw", false, "page not writable again, or data changed");
	} else {
		ok &= report("mprotect-rw", true, "PROT_READ|PROT_WRITE again: the write landed");
	}

	if (!inject && mprotect(none, page_size, PROT_NONE)) {
		ok &= report("mprotect-none", false, "mprotect(PROT_NONE): %s", strerror(errno));
	} else {
		ok &= expect_fault("mprotect-none", none, false, SEGV_ACCERR,
				   "a read of a PROT_NONE page");
	}

	if (!inject && munmap(gone, page_size)) {
		ok &= report("munmap", false, "munmap: %s", strerror(errno));
	} else {
		ok &=
		    expect_fault("munmap", gone, true, SEGV_MAPERR, "a write to an unmapped page");
	}
	munmap(buf, len);
	return ok;
}

#define PERCPU_ROUNDS 40
#define PERCPU_PAGES 64

/* Exit statuses of a percpu worker. */
enum { PC_OK, PC_AFFINITY, PC_MOVED, PC_FORK, PC_CHILD, PC_SUM };

static uint64_t xorshift(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* Fills buf from seed; returns the sum of its words. */
static uint64_t fill_sum(uint64_t *buf, size_t words, uint64_t seed)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < words; i++) {
		buf[i] = xorshift(&seed);
		sum += buf[i];
	}
	return sum;
}

/* The system calls themselves: <sched.h> is shadowed by the hypervisor's own include root. */
static int pin_to(int cpu)
{
	uint64_t mask[16] = {0};

	mask[cpu / 64] = 1ULL << (cpu % 64);
	return (int)syscall(SYS_sched_setaffinity, 0, sizeof(mask), mask);
}

static int cpu_now(void)
{
	unsigned int cpu = ~0U;

	return syscall(SYS_getcpu, &cpu, NULL, NULL) ? -1 : (int)cpu;
}

static int percpu_worker(int cpu, int *go)
{
	size_t words = PERCPU_PAGES * page_size / sizeof(uint64_t);
	uint64_t *buf = malloc(words * sizeof(uint64_t));
	char c;

	if (!buf || pin_to(cpu)) {
		return PC_AFFINITY;
	}
	/* Every worker pinned before any starts: they run side by side. */
	if (read(go[0], &c, 1) != 1) {
		return PC_AFFINITY;
	}
	for (int r = 0; r < PERCPU_ROUNDS; r++) {
		uint64_t sum = fill_sum(buf, words, (uint64_t)cpu * 1000 + r + 1), again = 0;
		int status;
		pid_t pid;

		if (cpu_now() != cpu) {
			return PC_MOVED;
		}
		pid = fork();
		if (pid < 0) {
			return PC_FORK;
		}
		if (pid == 0) {
			/* The child: still on the CPU, and its copy of the pages says the same. */
			for (size_t i = 0; i < words; i++) {
				again += buf[i];
			}
			buf[0] ^= 1; /* copy-on-write: the parent must not see it */
			_exit(cpu_now() == cpu && again == sum ? 0 : 1);
		}
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status)) {
			return PC_CHILD;
		}
		for (size_t i = 0; i < words; i++) {
			again += buf[i];
		}
		if (again != sum) {
			return PC_SUM;
		}
	}
	return cpu_now() == cpu ? PC_OK : PC_MOVED;
}

static bool check_percpu(long ncpu)
{
	static const char *const why[] = {
	    "ok",	   "sched_setaffinity refused",	    "ran on another CPU",
	    "fork failed", "a child saw other data or CPU", "its buffer changed"};
	long workers = inject ? ncpu + 1 : ncpu, good = 0;
	pid_t pids[64];
	char bad[256] = "";
	int go[2];

	if (workers > 64 || pipe(go)) {
		return report("percpu-stress", false, "%ld workers: cannot set up", workers);
	}
	for (long w = 0; w < workers; w++) {
		pids[w] = fork();
		if (pids[w] == 0) {
			close(go[1]);
			_exit(percpu_worker((int)w, go));
		}
	}
	close(go[0]);
	for (long w = 0; w < workers; w++) {
		(void)!write(go[1], "g", 1);
	}
	close(go[1]);
	for (long w = 0; w < workers; w++) {
		int status = -1;

		if (pids[w] < 0 || waitpid(pids[w], &status, 0) != pids[w]) {
			snprintf(bad + strlen(bad), sizeof(bad) - strlen(bad),
				 " CPU %ld: not started;", w);
		} else if (WIFEXITED(status) && WEXITSTATUS(status) == PC_OK) {
			good++;
		} else {
			int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;

			snprintf(bad + strlen(bad), sizeof(bad) - strlen(bad), " CPU %ld: %s;", w,
				 code > 0 && code <= PC_SUM ? why[code] : "killed");
		}
	}
	return report("percpu-stress", good == workers,
		      "%ld of %ld workers, one pinned to each CPU, ran %d rounds of fill, fork and "
		      "sum on their own CPU%s%s",
		      good, workers, PERCPU_ROUNDS, bad[0] ? "; not:" : "", bad);
}

static int usage(void)
{
	fprintf(stderr,
		"usage: palisade-stress [--inject] forkexec N PROGRAM | cow | mm | percpu N\n");
	return 2;
}

int main(int argc, char **argv)
{
	int i = 1;
	bool ok;

	page_size = (size_t)sysconf(_SC_PAGESIZE);
	if (i < argc && !strcmp(argv[i], "--inject")) {
		inject = true;
		i++;
	}
	if (i >= argc) {
		return usage();
	}
	if (!strcmp(argv[i], "forkexec") && argc == i + 3) {
		long n = strtol(argv[i + 1], NULL, 10);

		if (n <= 0) {
			return usage();
		}
		ok = check_forkexec(n, argv[i + 2]);
	} else if (!strcmp(argv[i], "cow") && argc == i + 1) {
		ok = check_cow();
	} else if (!strcmp(argv[i], "mm") && argc == i + 1) {
		ok = check_mm();
	} else if (!strcmp(argv[i], "percpu") && argc == i + 2) {
		long n = strtol(argv[i + 1], NULL, 10);

		if (n <= 0 || n > 32) {
			return usage();
		}
		ok = check_percpu(n);
	} else {
		return usage();
	}
	return ok ? 0 : 1;
}

/*
 * guesttest-escape: a guest process cannot get out of the guest.
 *
 * Each probe runs in a forked child and must kill it with SIGSEGV, the
 * signal the guest kernel passes on when the host reports the fault
 * (docs/06: in a foreign space sysenter, int $0x81, hlt and in/out fault
 * with trap 13); the parent, and so uml, goes on.  A probe that survives
 * its instruction exits 99 ("escaped").
 *
 *   sysenter      no host system call from a guest space
 *   int $0x81     no other gate either
 *   hlt, inb      no privileged instructions
 *   kernel store  a write to the host kernel's half (0xc0001000)
 *   uml read      a read of ADDR, an address of the guest kernel's own
 *                 memory (the suite passes uml's `procs` table), which the
 *                 process's space must not have
 *   uml write     a write there
 *   uml frame     a signal frame that names uml's own space the way the
 *                 host reads frames (uc_flags UC_ALTMM, uc_mm -1, "home")
 *                 and returns to ADDR: the guest reads its processes'
 *                 frames as Linux does, so the return lands at ADDR in
 *                 the process's own space, where nothing is: SIGSEGV
 *   kernel frame  a frame returning to the host kernel's code (0xc0100000)
 *
 * System calls given uml's memory or the host kernel's as their buffer
 * (write from it, read into it, a path in it) fail with EFAULT: the guest
 * reads and writes a process's memory through its page table only.
 *
 * Then frames naming other host spaces: uc_flags UC_ALTMM with uc_mm each
 * descriptor number 0-31 (uml's own descriptors include its processes'
 * spaces and its memory).  Each return must come back to this process,
 * in its own memory, with its own pid.
 *
 * Last, the host's doors must be shut: /proc/new-mm and /proc/self/mm do
 * not open inside the guest, and the host's altmm calls (1000-1004, and
 * the numbers after them) are -ENOSYS, as on Linux.  (The forgeries of
 * the sig_forge_* tests run inside the guest with the user tests.)
 *
 * Usage: guesttest-escape ADDR (hexadecimal).  Exits 0 when all held.
 */
#include <altmm.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <errno.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "guesttest.h"

static volatile uintptr_t kernel_addr = 0xc0001000u;
static volatile uintptr_t uml_addr;

static void p_sysenter(void) { __asm__ volatile("movl $20, %%eax; sysenter" ::: "eax", "ecx", "edx", "memory"); }
static void p_int81(void)    { __asm__ volatile("movl $20, %%eax; int $0x81" ::: "eax", "memory"); }
static void p_hlt(void)      { __asm__ volatile("hlt" ::: "memory"); }
static void p_inb(void)      { __asm__ volatile("inb $0x80, %%al" ::: "eax", "memory"); }
static void p_kstore(void)   { *(volatile uint32_t *)kernel_addr = 1; }
static void p_umlread(void)  { (void)*(volatile uint32_t *)uml_addr; }
static void p_umlwrite(void) { *(volatile uint32_t *)uml_addr = 0x0bad0bad; }

/* A frame that returns to frame_eip, naming uml's home space as the host
 * would read it (UC_ALTMM, uc_mm -1). */
static volatile uint32_t frame_eip;
static void forge_home(int sig, siginfo_t *si, void *ucv)
{
	struct altmm_ucontext *uc = ucv;
	(void)sig, (void)si;
	uc->uc_flags |= UC_ALTMM;
	uc->uc_mm = -1;
	uc->uc_mcontext.eip = frame_eip;
}
static void forged_return(uint32_t eip)
{
	struct sigaction sa = { .sa_sigaction = forge_home, .sa_flags = SA_SIGINFO };
	frame_eip = eip;
	sigaction(SIGUSR1, &sa, NULL);
	raise(SIGUSR1);
}
static void p_umlframe(void)    { forged_return(uml_addr); }
static void p_kernelframe(void) { forged_return(0xc0100000u); }

static const struct probe {
	const char *name;
	void (*fn)(void);
} probes[] = {
	{ "sysenter", p_sysenter }, { "int $0x81", p_int81 }, { "hlt", p_hlt },
	{ "inb", p_inb }, { "store to 0xc0001000", p_kstore }, { "read of uml's memory", p_umlread },
	{ "write to uml's memory", p_umlwrite }, { "frame into uml's space", p_umlframe },
	{ "frame into the host kernel", p_kernelframe },
};

/* Frames naming host descriptors as spaces: each return stays here. */
static volatile uint32_t marker = 0x600d;
static volatile int forged_mm;
static void forge_mm(int sig, siginfo_t *si, void *ucv)
{
	struct altmm_ucontext *uc = ucv;
	(void)sig, (void)si;
	uc->uc_flags |= UC_ALTMM;
	uc->uc_mm = forged_mm;
}

static int frames_stay(void)
{
	pid_t me = getpid();
	struct sigaction sa = { .sa_sigaction = forge_mm, .sa_flags = SA_SIGINFO };
	sigaction(SIGUSR1, &sa, NULL);
	for (forged_mm = 0; forged_mm < 32; forged_mm++) {
		raise(SIGUSR1);
		if (getpid() != me || marker != 0x600d) {
			printf("escape: a frame with uc_mm %d: FAILED\n", forged_mm);
			return 0;
		}
	}
	printf("escape: frames naming descriptors 0-31 stay in the process\n");
	return 1;
}

/* Buffers in uml's memory and in the host kernel: EFAULT. */
static int buffers_refused(void)
{
	int p[2];
	if (pipe(p) < 0)
		return 0;
	const uint32_t addrs[] = { uml_addr, 0xc0001000u };
	int good = 1;
	for (int i = 0; i < 2; i++) {
		long w = __syscall3(__NR_write, p[1], addrs[i], 16);
		__syscall3(__NR_write, p[1], "0123456789abcdef", 16);
		long r = __syscall3(__NR_read, p[0], addrs[i], 16);
		long o = __syscall3(__NR_open, addrs[i], O_RDONLY, 0);
		if (w != -EFAULT || r != -EFAULT || o != -EFAULT) {
			printf("escape: buffer %#x: write %ld, read %ld, open %ld: FAILED\n",
			       (unsigned)addrs[i], w, r, o);
			good = 0;
		}
	}
	close(p[0]);
	close(p[1]);
	if (good)
		printf("escape: buffers in uml's memory and the host kernel are EFAULT\n");
	return good;
}

/* The host's altmm calls, and numbers past them: -ENOSYS. */
static int no_altmm_calls(void)
{
	for (long nr = __NR_mm_mmap; nr < __NR_mm_mmap + 16; nr++) {
		long r = __syscall3(nr, 3, 0x10000000, 0x1000);
		if (r != -ENOSYS) {
			printf("escape: system call %ld returned %ld: FAILED\n", nr, r);
			return 0;
		}
	}
	printf("escape: system calls 1000-1015 are ENOSYS\n");
	return 1;
}

/* Run one probe in a child; 1 if SIGSEGV killed it. */
static int run_probe(const struct probe *pr)
{
	int status;
	pid_t pid = fork();
	if (pid == 0) {
		pr->fn();
		_exit(99);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid) {
		printf("escape: %s: fork or wait failed\n", pr->name);
		return 0;
	}
	int ok = WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV;
	if (ok)
		printf("escape: %s: SIGSEGV\n", pr->name);
	else
		printf("escape: %s: FAILED, wait status %#x\n", pr->name, status);
	return ok;
}

/* 1 if path does not open. */
static int shut(const char *path)
{
	int fd = open(path, O_RDWR);
	if (fd >= 0) {
		close(fd);
		printf("escape: %s opened: FAILED\n", path);
		return 0;
	}
	printf("escape: %s does not open\n", path);
	return 1;
}

int main(int argc, char **argv)
{
	in_guest_or_exit("guesttest-escape");
	if (argc != 2) {
		fprintf(stderr, "usage: guesttest-escape ADDR\n");
		return 2;
	}
	uml_addr = strtoul(argv[1], NULL, 16);
	/* The probe means nothing if ADDR is (or may become) our own memory. */
	if (uml_addr < (uintptr_t)sbrk(0) + 0x10000) {
		printf("escape: %#lx is too close to our own memory\n", (unsigned long)uml_addr);
		return 2;
	}
	int good = 0, n = sizeof probes / sizeof probes[0];
	for (int i = 0; i < n; i++)
		good += run_probe(&probes[i]);
	good += shut("/proc/new-mm") + shut("/proc/self/mm");
	good += frames_stay() + no_altmm_calls() + buffers_refused();
	printf("escape: %d of %d held\n", good, n + 5);
	return good == n + 5 ? 0 : 1;
}

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
 *
 * Last, the host's altmm doors must be shut: /proc/new-mm and
 * /proc/self/mm do not open inside the guest.
 *
 * Usage: guesttest-escape ADDR (hexadecimal).  Exits 0 when all held.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
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

static const struct probe {
	const char *name;
	void (*fn)(void);
} probes[] = {
	{ "sysenter", p_sysenter }, { "int $0x81", p_int81 }, { "hlt", p_hlt },
	{ "inb", p_inb }, { "store to 0xc0001000", p_kstore }, { "read of uml's memory", p_umlread },
};

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
	printf("escape: %d of %d held\n", good, n + 2);
	return good == n + 2 ? 0 : 1;
}

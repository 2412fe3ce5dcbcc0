/*
 * fuzz [-s SEED] [-n CALLS | -t SECONDS] [-c CALLS_PER_BATCH] [-b BATCH] [-v] [-p]
 * fuzz -x PROGRAM [ARGS...]   (see around() below):
 * random system calls, to find what makes the kernel panic, hang or leak.
 *
 * Calls are made by forked children, CALLS_PER_BATCH (default 64) each,
 * so that a child killed by a signal, or one that exits through a random
 * exit(), is an ordinary outcome: it is counted and the next batch starts.
 * Batch N's calls depend only on SEED and N (its own generator, seeded
 * from both), and each batch starts from the same state (a fresh working
 * directory, the same descriptors, the same buffers), so a seed names a
 * run and `-b N` replays one batch of it (`-v` prints each call first).
 *
 * The calls: numbers over the whole i386 table (0..450), altmm's own
 * (1000..1004) and some out of range; arguments drawn from small
 * integers, -1 and other edge values, page boundaries, kernel addresses,
 * unmapped addresses, pointers into valid buffers (random bytes, names of
 * files, short timespecs, iovecs), and descriptors of every kind the
 * child has (regular files, a memfd, directories, pipes, /dev/null and
 * /dev/zero, the console, procfs files, altmm's mm descriptors).
 *
 * The verdict never depends on timing: it is that every child could be
 * reaped (a child that is still there after a generous limit is killed
 * and counted as hung; one that a SIGKILL does not end is a failure), and
 * that, with all children reaped and their files removed, the kernel's
 * free memory (MemFree + Slab of /proc/meminfo) and its heap's live block
 * count (/proc/kheap, where there is one) are exactly what they were.
 * Exit status 0 when both held, else 1.
 *
 * Run it as pid 1 (init=/bin/fuzz, or as the guest's init: uml --
 * /bin/fuzz): the kernel then protects it from its children's signals
 * and it can end every descendant (kill(-1)) before the second look at
 * memory.  Elsewhere it keeps its children's signals away from itself
 * and its own process group, and the memory check is only reported.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <dirent.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <uapi/altmm.h>


#define WORKDIR "/tmp/fuzz"
#define BUF ((uint8_t *)0x50000000)	/* the valid buffers */
#define BUF_RW_PAGES 12			/* then one PROT_READ, one PROT_NONE, a hole */
#define PAGE 4096
#define CHILD_LIMIT_S 30		/* a batch still running after this is hung */
#define KILL_LIMIT_S 30			/* a SIGKILLed child still there: a failure */

/* What a child tells its parent, in a page they share: the call it is in. */
struct progress {
	uint32_t calls;			/* calls made (started) */
	uint32_t nr;			/* the last one's number and arguments */
	uint32_t args[6];
};
extern volatile struct progress *progress;

#define VERBOSE_FD (3 + 64)		/* the parent's console copy, for -v */

extern int verbose, show_batches;
/* Who the children must spare (set by the parent before the first batch). */
extern int parent_is_init;
extern pid_t parent_pid, parent_pgid;

/* In a new child: batch `batch` of run `seed`, `calls` calls; never returns. */
void run_batch(uint32_t seed, uint32_t batch, uint32_t calls) __attribute__((noreturn));

#endif

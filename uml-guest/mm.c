/*
 * Address spaces of guest processes.
 *
 * A struct mm is what a process runs in: a host address space (the
 * descriptor /proc/new-mm gave us, which the frame's uc_mm names to enter
 * it), the page table that says what is mapped there (pgtable.c), the
 * areas that say what may be (vma.c), and the heap's bounds.  Usually one
 * process has one; a vfork child borrows its parent's (the parent sleeps
 * meanwhile), hence the reference count.
 */
#include "uml.h"
#include <stdlib.h>
#include <unistd.h>
#include <altmm.h>

struct mm *mm_create(void)
{
	struct mm *mm = calloc(1, sizeof *mm);
	if (!mm)
		return NULL;
	mm->refs = 1;
	mm->stack_limit = STACK_SIZE;
	mm->fd = mm_new();              /* the host's new, empty space */
	if (mm->fd < 0) {
		free(mm);
		return NULL;
	}
	if (pt_new(mm) < 0) {
		close(mm->fd);
		free(mm);
		return NULL;
	}
	return mm;
}

/* fork: the same areas, and every page shared copy-on-write. */
struct mm *mm_fork(struct mm *parent)
{
	struct mm *mm = mm_create();
	if (!mm)
		return NULL;
	mm->brk_start = parent->brk_start;
	mm->brk = parent->brk;
	mm->stack_limit = parent->stack_limit;
	busy_fork(mm, parent);
	mm->layout = parent->layout;
	if (vma_copy_all(mm, parent) < 0 || pt_fork(mm, parent) < 0) {
		mm_put(mm);
		return NULL;
	}
	return mm;
}

/* The last user gone: pages, tables and areas go back, and the host
 * space with its descriptor. */
void mm_put(struct mm *mm)
{
	if (!mm || --mm->refs)
		return;
	pt_free(mm);
	vma_free_all(mm);
	busy_allow_write(mm);
	close(mm->fd);
	free(mm);
}

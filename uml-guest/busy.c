/*
 * ETXTBSY in the guest, as Linux keeps it (i_writecount): per host file,
 * a count that opens for writing raise and running programs lower.  A
 * file some guest address space was built from (mm->exe) cannot be
 * opened for writing or truncated, and a file open for writing cannot be
 * run, until the other side is gone.
 *
 * The host cannot do this for us: the guest maps a program's pages
 * through its own descriptor (filemap.c), which to the host is an
 * ordinary reader.  So the guest counts, keyed by the host file's device
 * and inode numbers; a file nobody counts has no entry.  (What host
 * processes outside the guest do to the file is the host's business.)
 */
#include "file.h"
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>

struct wcount {
	uint64_t dev, ino;
	int count;                      /* > 0: open for writing; < 0: programs run it */
	struct wcount *next;
};

static struct wcount *counts;

static struct wcount *find(uint64_t dev, uint64_t ino)
{
	for (struct wcount *w = counts; w; w = w->next)
		if (w->dev == dev && w->ino == ino)
			return w;
	return NULL;
}

/* Move (dev, ino)'s count by delta if it has the sign `sign` or is 0:
 * the entry, or NULL with *err = -ETXTBSY (the other kind holds it) or
 * -ENOMEM. */
static struct wcount *move(uint64_t dev, uint64_t ino, int delta, int *err)
{
	struct wcount *w = find(dev, ino);
	if (w && (w->count > 0) != (delta > 0)) {
		*err = -ETXTBSY;
		return NULL;
	}
	if (!w) {
		w = calloc(1, sizeof *w);
		if (!w) {
			*err = -ENOMEM;
			return NULL;
		}
		w->dev = dev;
		w->ino = ino;
		w->next = counts;
		counts = w;
	}
	w->count += delta;
	return w;
}

/* Undo one move; the entry goes when its count is back at 0. */
static void unmove(struct wcount *w, int delta)
{
	w->count -= delta;
	if (w->count)
		return;
	for (struct wcount **at = &counts; *at; at = &(*at)->next)
		if (*at == w) {
			*at = w->next;
			break;
		}
	free(w);
}

int busy_may_write(const char *hostpath)
{
	struct stat64 st;
	if (__syscall3(__NR_stat64, hostpath, &st, 0) < 0 || !S_ISREG(st.st_mode))
		return 0;               /* not there yet, or no program: the open decides */
	struct wcount *w = find(st.st_dev, st.st_ino);
	return w && w->count < 0 ? -ETXTBSY : 0;
}

int busy_get_write(struct gfile *f)
{
	struct stat64 st;
	if (__syscall2(__NR_fstat64, f->hostfd, &st) < 0 || !S_ISREG(st.st_mode))
		return 0;
	int err = 0;
	f->wc = move(st.st_dev, st.st_ino, 1, &err);
	return err;
}

void busy_put_write(struct gfile *f)
{
	if (f->wc)
		unmove(f->wc, 1);
	f->wc = NULL;
}

int busy_written(uint64_t dev, uint64_t ino)
{
	struct wcount *w = find(dev, ino);
	return w && w->count > 0 ? -ETXTBSY : 0;
}

int busy_deny_write(struct mm *mm, uint64_t dev, uint64_t ino)
{
	int err = 0;
	mm->exe_wc = move(dev, ino, -1, &err);
	return err;
}

void busy_fork(struct mm *child, struct mm *parent)
{
	child->exe_wc = parent->exe_wc;
	if (child->exe_wc)
		child->exe_wc->count--;         /* denied already: it stays so */
}

void busy_allow_write(struct mm *mm)
{
	if (mm->exe_wc)
		unmove(mm->exe_wc, -1);
	mm->exe_wc = NULL;
}

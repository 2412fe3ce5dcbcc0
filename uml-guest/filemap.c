/*
 * Mappings of regular files, through the host's page cache.
 *
 * A guest kernel with a page cache of its own would have to route every
 * read and write of a mapped file through it to stay coherent.  We let
 * the host be the page cache instead: a page of a file mapping is the
 * host file's own page, mapped into the process's host space with
 * mm_mmap(space, va, 4096, prot, MAP_SHARED | MAP_FIXED, hostfd, pgoff).
 * A write() to the file (by any process, through any descriptor) shows in
 * every mapping at once, and a store into a shared mapping is in the file
 * at once, because on the host they are all the same page.
 *
 * Such an entry of the page table is PTE_F: present, but naming no page
 * of guest physical memory (no pfn, no reference count).  The area keeps
 * the file (a struct fmap: our own descriptor of it, so that the mapping
 * outlives the process's descriptor) and its page offset:
 *
 *   - MAP_SHARED: the file's page, writable if the area is (the host then
 *     checks the descriptor was opened for writing, as Linux does);
 *   - MAP_PRIVATE: the file's page, read-only, as long as the process only
 *     reads it (so it sees the file's changes, as on Linux); its first
 *     write gives it a copy in guest memory (filemap_copy), its own ever
 *     after, like any copy-on-write page;
 *   - a page wholly beyond the end of the file, as it is at the fault, is
 *     SIGBUS (the last page, partly file, reads as zeros after the end).
 *
 * System calls that reach such a page (uaccess.c) see it through a small
 * ring of windows: the same file page, mapped into our own space.
 */
#include "uml.h"
#include <stdlib.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#define NWINDOWS        16

struct fmap *fmap_new(int hostfd, int writable)
{
	struct fmap *fm = malloc(sizeof *fm);
	if (!fm)
		return NULL;
	fm->hostfd = dup(hostfd);
	if (fm->hostfd < 0) {
		free(fm);
		return NULL;
	}
	fm->refs = 1;
	fm->writable = writable;
	return fm;
}

void fmap_get(struct fmap *fm)
{
	if (fm)
		fm->refs++;
}

void fmap_put(struct fmap *fm)
{
	if (fm && --fm->refs == 0) {
		close(fm->hostfd);
		free(fm);
	}
}

/* The page of the file that va of area v shows. */
static uint32_t file_pgoff(struct vma *v, uint32_t va)
{
	return v->pgoff + (PAGE_DOWN(va) - v->start) / PAGE;
}

/* Is that page (partly) inside the file now? */
static int in_file(struct vma *v, uint32_t va)
{
	struct stat64 st;
	if (__syscall2(__NR_fstat64, v->fm->hostfd, &st) < 0)
		return 0;
	return ((uint64_t)file_pgoff(v, va) << PAGE_SHIFT) < (uint64_t)st.st_size;
}

/* A private copy of the file's page at va, in guest memory, replacing
 * whatever entry was there (0, -EIO or -ENOMEM). */
int filemap_copy(struct mm *mm, struct vma *v, uint32_t va)
{
	uint32_t pfn = page_alloc();
	if (!pfn)
		return -ENOMEM;
	uint64_t off = (uint64_t)file_pgoff(v, va) << PAGE_SHIFT;
	long r = __syscall5(__NR_pread64, v->fm->hostfd, pfn_ptr(pfn), PAGE, (uint32_t)off,
	                    (uint32_t)(off >> 32));
	if (r < 0) {
		page_put(pfn);
		return -EIO;
	}
	return pt_map(mm, PAGE_DOWN(va), pfn, v->prot);         /* the rest stays zero */
}

/* A fault on a page of file area v with no entry yet (pgtable.c). */
int filemap_fault(struct mm *mm, struct vma *v, uint32_t va, uint32_t *e, int write)
{
	if (!in_file(v, va))
		return -EIO;
	int shared = v->flags & VMA_SHARED;
	if (write && !shared)
		return filemap_copy(mm, v, va);
	int writable = shared && (v->prot & PROT_WRITE);
	*e = PTE_F | PTE_P | (writable ? PTE_W : 0);
	struct hostbatch b;
	hb_begin(&b, mm->fd);
	hb_map_fd(&b, PAGE_DOWN(va), v->fm->hostfd, file_pgoff(v, va),
	          writable ? v->prot : v->prot & ~PROT_WRITE);
	hb_flush(&b);
	return 0;
}

/* fork: the child maps the same file page where the parent has one. */
void filemap_fork(struct hostbatch *b, struct vma *v, uint32_t va, int writable)
{
	hb_map_fd(b, va, v->fm->hostfd, file_pgoff(v, va),
	          writable ? v->prot : v->prot & ~PROT_WRITE);
}

/*
 * The file page behind a PTE_F entry at va, in our own space, for a
 * system call's copy (uaccess.c): writable only if the mapping is shared
 * and writable.  The window stays valid until NWINDOWS more are made,
 * longer than any one copy needs it.  NULL if it cannot be made, or the
 * page is no longer in the file (touching it would be SIGBUS to us).
 */
uint8_t *filemap_window(struct mm *mm, uint32_t va)
{
	static void *ring[NWINDOWS];
	static unsigned next;
	struct vma *v = vma_find(mm, va);
	if (!v || !v->fm || !in_file(v, va))
		return NULL;
	unsigned slot = next++ % NWINDOWS;
	if (ring[slot])
		munmap(ring[slot], PAGE);
	int writable = (v->flags & VMA_SHARED) && v->fm->writable;
	long r = __syscall6(__NR_mmap2, 0, PAGE, PROT_READ | (writable ? PROT_WRITE : 0), MAP_SHARED,
	                    v->fm->hostfd, file_pgoff(v, va));
	ring[slot] = (unsigned long)r >= -4095ul ? NULL : (void *)r;
	return ring[slot];
}

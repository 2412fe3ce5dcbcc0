/*
 * A guest process's memory, as its system calls see it.
 *
 * A pointer a guest process passes (a buffer for read, a path for open)
 * is an address in its own space, which is not ours: we never follow it.
 * Instead each page is looked up in the process's page table and reached
 * through our own mapping of physical memory (or, for a page of a mapped
 * file, through a window on it: filemap.c).  A page that is not there
 * yet is faulted in exactly as the process's own access would have done
 * (demand-zero, copy-on-write), and an address outside its areas makes
 * the call fail with EFAULT, as on Linux.  This is the guest's
 * copy_from_user: no host system call at all on the common path.
 */
#include "uml.h"
#include <string.h>
#include <sys/mman.h>

/* The bytes of p's page holding va, in our mapping of physical memory,
 * ready for a read or a write; NULL if p may not access it so. */
static uint8_t *user_page(struct mm *mm, uint32_t va, int write)
{
	if (va >= USER_TOP)
		return NULL;
	uint32_t *e = pt_lookup(mm, va, 0);
	if (!e || !(*e & PTE_P) || (write && !(*e & PTE_W))) {
		if (pt_fault_in(mm, va, write) < 0)
			return NULL;
		e = pt_lookup(mm, va, 0);
	} else if (!write) {
		/* Present, but mprotect may have taken every right away. */
		struct vma *v = vma_find(mm, va);
		if (!v || !(v->prot & (PROT_READ | PROT_WRITE | PROT_EXEC)))
			return NULL;
	}
	if (*e & PTE_F) {                       /* a host file's page (filemap.c) */
		uint8_t *w = filemap_window(mm, va);
		return w ? w + (va & (PAGE - 1)) : NULL;
	}
	return (uint8_t *)pfn_ptr(*e >> PAGE_SHIFT) + (va & (PAGE - 1));
}

int copy_from_user(struct proc *p, void *dst, uint32_t src, uint32_t n)
{
	uint8_t *d = dst;
	while (n) {
		uint32_t chunk = PAGE - (src & (PAGE - 1));
		if (chunk > n)
			chunk = n;
		uint8_t *s = user_page(p->mm, src, 0);
		if (!s)
			return -EFAULT;
		memcpy(d, s, chunk);
		d += chunk;
		src += chunk;
		n -= chunk;
	}
	return 0;
}

int copy_to_user(struct proc *p, uint32_t dst, const void *src, uint32_t n)
{
	return copy_to_mm(p->mm, dst, src, n);
}

/* The same, into a space no process runs in yet (exec builds a stack). */
int copy_to_mm(struct mm *mm, uint32_t dst, const void *src, uint32_t n)
{
	const uint8_t *s = src;
	while (n) {
		uint32_t chunk = PAGE - (dst & (PAGE - 1));
		if (chunk > n)
			chunk = n;
		uint8_t *d = user_page(mm, dst, 1);
		if (!d)
			return -EFAULT;
		memcpy(d, s, chunk);
		s += chunk;
		dst += chunk;
		n -= chunk;
	}
	return 0;
}

int clear_user(struct proc *p, uint32_t dst, uint32_t n)
{
	while (n) {
		uint32_t chunk = PAGE - (dst & (PAGE - 1));
		if (chunk > n)
			chunk = n;
		uint8_t *d = user_page(p->mm, dst, 1);
		if (!d)
			return -EFAULT;
		memset(d, 0, chunk);
		dst += chunk;
		n -= chunk;
	}
	return 0;
}

/* A NUL-terminated string of at most max - 1 bytes: its length, -EFAULT,
 * or -ENAMETOOLONG when no NUL comes in time. */
int strncpy_from_user(struct proc *p, char *dst, uint32_t src, uint32_t max)
{
	uint32_t len = 0;
	while (len < max) {
		uint8_t *s = user_page(p->mm, src + len, 0);
		if (!s)
			return -EFAULT;
		uint32_t chunk = PAGE - ((src + len) & (PAGE - 1));
		if (chunk > max - len)
			chunk = max - len;
		for (uint32_t i = 0; i < chunk; i++) {
			dst[len] = (char)s[i];
			if (!s[i])
				return (int)len;
			len++;
		}
	}
	return -ENAMETOOLONG;
}

/* Is va on a mapped file's page, reached through a window? */
static int file_page(struct mm *mm, uint32_t va)
{
	uint32_t *e = pt_lookup(mm, va, 0);
	return e && (*e & (PTE_P | PTE_F)) == (PTE_P | PTE_F);
}

/*
 * For passing a buffer straight to a host call: the longest stretch of
 * p's memory from va (at most n bytes) that is contiguous in physical
 * memory, faulted in for the access.  Its length, with *at pointing to
 * it in our mapping, or -EFAULT if not even the first byte is usable.
 */
int user_span(struct proc *p, uint32_t va, uint32_t n, int write, uint8_t **at)
{
	uint8_t *first = user_page(p->mm, va, write);
	if (!first)
		return -EFAULT;
	uint32_t len = PAGE - (va & (PAGE - 1));
	while (len < n && !file_page(p->mm, va) && !file_page(p->mm, va + len) &&
	       user_page(p->mm, va + len, write) == first + len)
		len += PAGE;                    /* (a file page's window is one page alone) */
	*at = first;
	return (int)(len < n ? len : n);
}

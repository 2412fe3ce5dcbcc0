/*
 * The fake CPU under the host build of kernel/mm (see fake.h): CR3, a
 * TLB, and user loads and stores that walk the page tables as the i386
 * MMU does; and the kernel's panic and printk.
 *
 * The TLB is what makes the fake worth having: a translation stays
 * cached until invlpg or a CR3 write drops it, so kernel/mm code that
 * changes a loaded space's page table without flushing (a page made
 * read-only for copy-on-write, say) is caught the next time a test
 * touches that page through the stale entry.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include "fake.h"
#include "harness.h"
#include <kernel/layout.h>
#include <kernel/mm.h>
#include <kernel/paging.h>
#include <kernel/printk.h>
#include <uapi/errno.h>

#define TLB_SIZE 64

static uint32_t cr3;
static struct { bool valid; uint32_t page, pte; } tlb[TLB_SIZE];
static unsigned long flushes;

static unsigned tlb_index(uint32_t va) { return (va >> PAGE_SHIFT) % TLB_SIZE; }

uint32_t fake_read_cr3(void) { return cr3; }

void fake_write_cr3(uint32_t pgdir_phys)
{
	if (pgdir_phys % PAGE_SIZE)
		panic("write_cr3(%08x): not a page", pgdir_phys);
	cr3 = pgdir_phys;
	for (int i = 0; i < TLB_SIZE; i++)
		tlb[i].valid = false;
	flushes++;
}

void fake_invlpg(uint32_t va)
{
	unsigned i = tlb_index(va);
	if (tlb[i].page == (va & PTE_ADDR_MASK))
		tlb[i].valid = false;
	flushes++;
}

uint32_t fake_tlb_entries(void)
{
	uint32_t n = 0;
	for (int i = 0; i < TLB_SIZE; i++)
		n += tlb[i].valid;
	return n;
}

unsigned long fake_tlb_flushes(void) { return flushes; }

/* The MMU's walk for a user access; false is a page fault.  Sets the
 * accessed bit (and dirty on a write), as the hardware does. */
static bool walk(uint32_t va, bool write, uint32_t *pte_out)
{
	uint32_t *pgdir = phys_to_virt(cr3);
	uint32_t pde = pgdir[va >> 22];
	if (!(pde & PTE_PRESENT) || !(pde & PTE_USER))
		return false;
	uint32_t *pt = phys_to_virt(pde & PTE_ADDR_MASK);
	uint32_t *pte = &pt[(va >> 12) & 0x3FF];
	if (!(*pte & PTE_PRESENT) || !(*pte & PTE_USER) || (write && !(pde & PTE_WRITE)) ||
	    (write && !(*pte & PTE_WRITE)))
		return false;
	*pte |= PTE_ACCESSED | (write ? PTE_DIRTY : 0);
	*pte_out = *pte;
	return true;
}

int cpu_access(struct mm *mm, uint32_t va, bool write, uint32_t *val)
{
	if (cr3 != mm->pgdir_phys)
		panic("cpu_access: the space is not the one loaded");
	if (va % 4)
		panic("cpu_access(%08x): unaligned", va);
	for (int faults = 0;; faults++) {
		unsigned i = tlb_index(va);
		uint32_t pte;
		bool hit = tlb[i].valid && tlb[i].page == (va & PTE_ADDR_MASK);
		if (hit && (!write || (tlb[i].pte & PTE_WRITE))) {
			pte = tlb[i].pte;
		} else {
			if (hit)	/* a write through a read-only entry: it goes, and the CPU faults */
				tlb[i].valid = false;
			if (!walk(va, write, &pte)) {
				/* The trap handler's part (kernel/mm/page_fault.c). */
				if (faults == 2)
					panic("cpu_access(%08x): mm_fault said resolved, the access still faults", va);
				if (va >= USER_END)
					return -EFAULT;
				int err = mm_fault(mm, va, write);
				if (err)
					return err;
				continue;
			}
			tlb[i].valid = true;
			tlb[i].page = va & PTE_ADDR_MASK;
			tlb[i].pte = pte;
		}
		uint32_t *word = (uint32_t *)fake_phys((pte & PTE_ADDR_MASK) | (va & (PAGE_SIZE - 1)));
		if (write)
			*word = *val;
		else
			*val = *word;
		return 0;
	}
}

/* ---- panic and printk ---- */
jmp_buf *fake_panic_jmp;
char fake_panic_msg[256];
char fake_printk_last[256];

void panic(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(fake_panic_msg, sizeof fake_panic_msg, fmt, ap);
	va_end(ap);
	if (fake_panic_jmp)
		longjmp(*fake_panic_jmp, 1);
	/* The kernel's state cannot be trusted after a panic: the run ends,
	 * the test it happened in named. */
	printf("FAIL %s: KERNEL PANIC: %s\n", host_current_test ? host_current_test : "(boot)", fake_panic_msg);
	fflush(stdout);
	abort();
}

void printk(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(fake_printk_last, sizeof fake_printk_last, fmt, ap);
	va_end(ap);
	if (getenv("HOST_VERBOSE"))
		fputs(fake_printk_last, stdout);
}

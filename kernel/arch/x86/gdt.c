/*
 * The global descriptor table and the task-state segment.
 *
 * Flat segments (base 0, limit 4 GiB) for kernel and user code and data;
 * protection comes from paging, not segmentation.  The TSS is used only
 * for esp0/ss0: the stack the CPU switches to when a trap arrives from
 * ring 3.  Selector values are in <kernel/arch.h>.
 */
#include <kernel/arch.h>
#include <kernel/string.h>
#include <stdint.h>

struct gdt_entry {
	uint16_t limit_low;
	uint16_t base_low;
	uint8_t base_mid;
	uint8_t access;		/* present, DPL, type */
	uint8_t flags_limit;	/* granularity, size, limit 16..19 */
	uint8_t base_high;
} __attribute__((packed));

struct tss {
	uint32_t prev, esp0, ss0, esp1, ss1, esp2, ss2;
	uint32_t cr3, eip, eflags, eax, ecx, edx, ebx, esp, ebp, esi, edi;
	uint32_t es, cs, ss, ds, fs, gs, ldt;
	uint16_t trap, iomap_base;
} __attribute__((packed));

#define GDT_ENTRIES 9	/* 6, 7, 8: TLS slots (kernel/arch/x86/tls.c) */

static struct gdt_entry gdt[GDT_ENTRIES];
static struct tss tss;

static void set_entry(int i, uint32_t base, uint32_t limit, uint8_t access, uint8_t flags)
{
	gdt[i].limit_low = limit & 0xFFFF;
	gdt[i].base_low = base & 0xFFFF;
	gdt[i].base_mid = (base >> 16) & 0xFF;
	gdt[i].access = access;
	gdt[i].flags_limit = (uint8_t)((flags << 4) | ((limit >> 16) & 0x0F));
	gdt[i].base_high = (base >> 24) & 0xFF;
}

/* Write a descriptor given as its two raw words (TLS slots). */
void gdt_set_raw(int index, uint32_t low, uint32_t high)
{
	uint32_t *d = (uint32_t *)&gdt[index];
	d[0] = low;
	d[1] = high;
}

void tss_set_kernel_stack(uint32_t esp0)
{
	tss.esp0 = esp0;
}

void gdt_init(void)
{
	/* access: 0x9A code ring 0, 0x92 data ring 0, 0xFA/0xF2 the same for ring 3,
	 * 0x89 an available 32-bit TSS.  flags 0xC: 4 KiB granularity, 32-bit. */
	set_entry(0, 0, 0, 0, 0);
	set_entry(SEL_KERNEL_CS >> 3, 0, 0xFFFFF, 0x9A, 0xC);
	set_entry(SEL_KERNEL_DS >> 3, 0, 0xFFFFF, 0x92, 0xC);
	set_entry(SEL_USER_CS >> 3, 0, 0xFFFFF, 0xFA, 0xC);
	set_entry(SEL_USER_DS >> 3, 0, 0xFFFFF, 0xF2, 0xC);

	memset(&tss, 0, sizeof tss);
	tss.ss0 = SEL_KERNEL_DS;
	tss.iomap_base = sizeof tss;	/* no I/O bitmap: ring 3 gets no ports */
	set_entry(SEL_TSS >> 3, (uint32_t)&tss, sizeof tss - 1, 0x89, 0x0);

	struct {
		uint16_t limit;
		uint32_t base;
	} __attribute__((packed)) gdtr = { sizeof gdt - 1, (uint32_t)gdt };

	__asm__ volatile(
		"lgdt %0\n\t"
		"mov %1, %%ds\n\t"
		"mov %1, %%es\n\t"
		"mov %1, %%fs\n\t"
		"mov %1, %%gs\n\t"
		"mov %1, %%ss\n\t"
		"ljmp %2, $1f\n"
		"1:\n\t"
		"ltr %w3\n\t"
		/* No LDT.  The CPU leaves reset with one at base 0, limit 0xffff:
		 * user memory, where a program could write itself descriptors (a
		 * call gate into ring 0 among them) and use them through selectors
		 * with the table bit set.  A null LDT makes every such selector
		 * fault (user/tests/ldt_none.c). */
		"lldt %w4"
		: : "m"(gdtr), "r"(SEL_KERNEL_DS), "i"(SEL_KERNEL_CS), "r"(SEL_TSS), "r"(0)
		: "memory");
}

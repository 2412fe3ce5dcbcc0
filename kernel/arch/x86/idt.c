/*
 * The interrupt descriptor table: 256 interrupt gates, all pointing at the
 * stubs of trap_entry.S.  Interrupt gates clear IF on entry, so handlers
 * start with interrupts off.  Gates are DPL 0, so a user `int $n` is a
 * general protection fault, except three that are DPL 3 because user code
 * raises them on purpose, as on Linux: the system-call gate (0x80), the
 * breakpoint (int3, 3) and the overflow check (into, 4).
 */
#include <kernel/arch.h>
#include <kernel/trap.h>
#include <stdint.h>

struct idt_gate {
	uint16_t offset_low;
	uint16_t selector;
	uint8_t zero;
	uint8_t type_attr;	/* present, DPL, gate type */
	uint16_t offset_high;
} __attribute__((packed));

extern const uint32_t trap_vectors[NUM_VECTORS];
static struct idt_gate idt[NUM_VECTORS];

void idt_init(void)
{
	for (int i = 0; i < NUM_VECTORS; i++) {
		idt[i].offset_low = trap_vectors[i] & 0xFFFF;
		idt[i].offset_high = trap_vectors[i] >> 16;
		idt[i].selector = SEL_KERNEL_CS;
		idt[i].zero = 0;
		idt[i].type_attr = 0x8E;	/* present, DPL 0, 32-bit interrupt gate */
	}
	idt[T_SYSCALL].type_attr = 0xEE;	/* present, DPL 3, 32-bit interrupt gate */
	idt[T_BREAKPOINT].type_attr = 0xEE;
	idt[T_OVERFLOW].type_attr = 0xEE;
	struct {
		uint16_t limit;
		uint32_t base;
	} __attribute__((packed)) idtr = { sizeof idt - 1, (uint32_t)idt };
	__asm__ volatile("lidt %0" : : "m"(idtr));
}

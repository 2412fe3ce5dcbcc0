/*
 * The host build's stand-in for <kernel/x86.h>, found first on the host
 * include path (-Itests/host/include).  kernel/mm needs three things of
 * the CPU: CR3 (which page directory is loaded), invlpg, and the
 * interrupt flag.  Here they are calls into the fake CPU
 * (tests/host/fake_cpu.c), which keeps a small TLB so that a missing
 * flush shows up as a stale translation; interrupts do not exist.
 */
#ifndef KERNEL_X86_H
#define KERNEL_X86_H

#include <stdint.h>

#define EFLAGS_IF 0x200

uint32_t fake_read_cr3(void);
void fake_write_cr3(uint32_t pgdir_phys);	/* flushes the fake TLB */
void fake_invlpg(uint32_t va);

static inline uint32_t read_cr3(void) { return fake_read_cr3(); }
static inline void write_cr3(uint32_t v) { fake_write_cr3(v); }
static inline void invlpg(uint32_t va) { fake_invlpg(va); }
static inline void cli(void) {}
static inline void sti(void) {}
static inline uint32_t irq_save(void) { return 0; }
static inline void irq_restore(uint32_t f) { (void)f; }

#endif

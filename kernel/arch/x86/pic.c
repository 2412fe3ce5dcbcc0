/*
 * The two 8259A interrupt controllers.  At power-on they deliver IRQs on
 * vectors 8-15 and 0x70-0x77, which collide with CPU exceptions, so we
 * remap IRQ 0-15 to vectors IRQ_BASE..IRQ_BASE+15 and mask every line
 * until a driver asks for it.
 */
#include <kernel/arch.h>
#include <kernel/trap.h>
#include <kernel/x86.h>

#define PIC1_CMD	0x20
#define PIC1_DATA	0x21
#define PIC2_CMD	0xA0
#define PIC2_DATA	0xA1
#define PIC_EOI		0x20

static uint16_t mask = 0xFFFF & ~(1 << 2);	/* line 2 chains the second PIC */

static void write_mask(void)
{
	outb(PIC1_DATA, mask & 0xFF);
	outb(PIC2_DATA, mask >> 8);
}

void pic_init(void)
{
	outb(PIC1_CMD, 0x11);		/* ICW1: initialise, ICW4 follows */
	outb(PIC2_CMD, 0x11);
	outb(PIC1_DATA, IRQ_BASE);	/* ICW2: vector offset */
	outb(PIC2_DATA, IRQ_BASE + 8);
	outb(PIC1_DATA, 1 << 2);	/* ICW3: the slave is on line 2 */
	outb(PIC2_DATA, 2);		/* ICW3: the slave's identity */
	outb(PIC1_DATA, 0x01);		/* ICW4: 8086 mode */
	outb(PIC2_DATA, 0x01);
	write_mask();
}

void pic_unmask(int irq)
{
	mask &= (uint16_t)~(1u << irq);
	write_mask();
}

void pic_eoi(int irq)
{
	if (irq >= 8)
		outb(PIC2_CMD, PIC_EOI);
	outb(PIC1_CMD, PIC_EOI);
}

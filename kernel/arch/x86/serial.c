/*
 * COM1, the 16550 UART at I/O port 0x3F8: 115200 baud, 8N1.  Output is
 * polled (wait until the transmit register is empty); input raises IRQ 4.
 */
#include <kernel/console.h>
#include <kernel/trap.h>
#include <kernel/x86.h>

#define COM1		0x3F8
#define REG_DATA	0	/* with DLAB=1: divisor low byte */
#define REG_IER		1	/* with DLAB=1: divisor high byte */
#define REG_FCR		2
#define REG_LCR		3
#define REG_MCR		4
#define REG_LSR		5
#define LSR_DATA_READY	0x01
#define LSR_THR_EMPTY	0x20
#define LSR_TX_IDLE	0x40	/* transmitter and its FIFO empty */
#define IRQ_COM1	4

static void serial_irq(struct trapframe *tf)
{
	(void)tf;
	while (inb(COM1 + REG_LSR) & LSR_DATA_READY) {
		/* As sent: Enter is CR and Backspace DEL on a terminal; the tty's
		 * ICRNL and VERASE (or console_getc) deal with them. */
		console_input((char)inb(COM1 + REG_DATA));
	}
}

void serial_init(void)
{
	outb(COM1 + REG_IER, 0x00);	/* no interrupts while we set it up */
	outb(COM1 + REG_LCR, 0x80);	/* DLAB: the next two bytes are the divisor */
	outb(COM1 + REG_DATA, 1);	/* 115200 / 1 */
	outb(COM1 + REG_IER, 0);
	outb(COM1 + REG_LCR, 0x03);	/* 8 bits, no parity, one stop bit */
	outb(COM1 + REG_FCR, 0xC7);	/* FIFOs on, cleared, 14-byte threshold */
	outb(COM1 + REG_MCR, 0x0B);	/* DTR, RTS, OUT2 (OUT2 gates the IRQ line) */
}

/* Called once interrupts can be taken: turn on the receive interrupt. */
void serial_enable_input(void)
{
	irq_register(IRQ_COM1, serial_irq);
	outb(COM1 + REG_IER, 0x01);	/* interrupt when data arrives */
}

/* Wait until every byte written has left the UART (Bochs drops bytes still
 * in the FIFO when the machine ends). */
void serial_drain(void)
{
	for (int i = 0; i < 1000000 && !(inb(COM1 + REG_LSR) & LSR_TX_IDLE); i++)
		;
}

void serial_putc(char c)
{
	while (!(inb(COM1 + REG_LSR) & LSR_THR_EMPTY))
		;
	outb(COM1 + REG_DATA, (uint8_t)c);
}

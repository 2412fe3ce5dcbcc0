/*
 * The console: output fans out to the serial port and the VGA screen;
 * input from both the keyboard and the serial port goes to the console
 * tty when a process has it open, else into one ring buffer, filled by
 * interrupt handlers and drained by console_getc.
 */
#include <kernel/console.h>
#include <kernel/tty.h>
#include <kernel/x86.h>
#include <stdint.h>

#define INPUT_SIZE 256	/* a power of two */

static char input[INPUT_SIZE];
static volatile uint32_t input_head, input_tail;	/* head: next write; tail: next read */

void console_init(void)
{
	serial_init();
	vga_init();
}

void console_write(const char *s, unsigned long n)
{
	for (unsigned long i = 0; i < n; i++) {
		if (s[i] == '\n')
			serial_putc('\r');
		serial_putc(s[i]);
		vga_putc(s[i]);
	}
}

/*
 * Output without any translation, for the tty (which does its own ONLCR
 * processing as its termios says).
 */
void console_write_raw(const char *s, unsigned long n)
{
	for (unsigned long i = 0; i < n; i++) {
		serial_putc(s[i]);
		vga_putc(s[i]);
	}
}

/*
 * Input.  While a process has the console tty open, every character goes
 * straight into its line discipline (kernel/fs/tty.c), which echoes and
 * edits.  Otherwise it waits in the raw queue below: console_getc (the
 * kernel monitor) reads from there, and the tty drains it when it is
 * first opened, so nothing typed early is lost.
 */
void console_input(char c)
{
	if (tty_console_active()) {
		tty_console_receive(c);
		return;
	}
	if (input_head - input_tail == INPUT_SIZE)
		return;	/* full: drop the character, as a UART would */
	input[input_head % INPUT_SIZE] = c;
	input_head++;
}

int console_raw_pop(void)
{
	uint32_t irq = irq_save();
	int c = -1;
	if (input_head != input_tail) {
		c = (unsigned char)input[input_tail % INPUT_SIZE];
		input_tail++;
	}
	irq_restore(irq);
	return c;
}

/* The monitor wants Enter as '\n' and Backspace as '\b', whatever the
 * terminal sends (CR, DEL). */
char console_getc(void)
{
	for (;;) {
		cli();
		if (input_head != input_tail) {
			char c = input[input_tail % INPUT_SIZE];
			input_tail++;
			sti();
			if (c == '\r')
				c = '\n';
			if (c == 0x7f)
				c = '\b';
			return c;
		}
		sti_hlt();	/* an interrupt that adds input wakes us */
	}
}

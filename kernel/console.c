/*
 * The console: output fans out to the serial port and the VGA screen;
 * input from both the keyboard and the serial port meets in one ring
 * buffer, filled by interrupt handlers and drained by console_getc.
 */
#include <kernel/console.h>
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

void console_input(char c)
{
	if (c == '\r')
		c = '\n';
	if (input_head - input_tail == INPUT_SIZE)
		return;	/* full: drop the character, as a UART would */
	input[input_head % INPUT_SIZE] = c;
	input_head++;
}

char console_getc(void)
{
	for (;;) {
		cli();
		if (input_head != input_tail) {
			char c = input[input_tail % INPUT_SIZE];
			input_tail++;
			sti();
			return c;
		}
		sti_hlt();	/* an interrupt that adds input wakes us */
	}
}

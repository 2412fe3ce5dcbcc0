/*
 * The console: every byte printk writes goes to COM1 and to the VGA text
 * screen; bytes typed on the PS/2 keyboard or received on COM1 land in one
 * input queue that console_getc reads.
 */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

void console_init(void);
void console_write(const char *s, unsigned long n);
/* The same bytes exactly, with no "\n" -> "\r\n" (the tty does its own). */
void console_write_raw(const char *s, unsigned long n);
/* Called from interrupt handlers with one received character. */
void console_input(char c);
/* Wait (halting the CPU) until a character is typed; interrupts must be on.
 * Only sees input while no process has the console tty open. */
char console_getc(void);
/* The next character of the raw queue, or -1 (for the tty). */
int console_raw_pop(void);

/* Drivers (kernel/arch/x86). */
void serial_init(void);
void serial_putc(char c);
void serial_drain(void);
void serial_enable_input(void);
void vga_init(void);
void vga_putc(char c);
void keyboard_init(void);

#endif

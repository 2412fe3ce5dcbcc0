/*
 * The console: every byte printk writes goes to COM1 and to the VGA text
 * screen; bytes typed on the PS/2 keyboard or received on COM1 land in one
 * input queue that console_getc reads.
 */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

void console_init(void);
void console_write(const char *s, unsigned long n);
/* Called from interrupt handlers with one received character. */
void console_input(char c);
/* Wait (halting the CPU) until a character is typed; interrupts must be on. */
char console_getc(void);

/* Drivers (kernel/arch/x86). */
void serial_init(void);
void serial_putc(char c);
void serial_enable_input(void);
void vga_init(void);
void vga_putc(char c);
void keyboard_init(void);

#endif

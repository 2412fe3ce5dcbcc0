/*
 * The PS/2 keyboard on IRQ 1, scan code set 1 (what the 8042 controller
 * delivers by default, translated).  Only what a console needs: letters,
 * digits, punctuation, Shift, Ctrl (Ctrl-letter gives the control code),
 * Enter, Backspace (DEL, as Linux's console sends: the tty's ERASE
 * character), Tab, Escape.  Key releases have bit 7 set.
 */
#include <kernel/console.h>
#include <kernel/trap.h>
#include <kernel/x86.h>
#include <stdbool.h>

#define KBD_DATA	0x60
#define KBD_STATUS	0x64
#define IRQ_KEYBOARD	1

#define SC_LSHIFT	0x2A
#define SC_RSHIFT	0x36
#define SC_CTRL		0x1D
#define SC_RELEASE	0x80

static const char plain[128] = {
	0, 27, '1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '-', '=', 0177,
	'\t', 'q', 'w', 'e', 'r', 't', 'y', 'u', 'i', 'o', 'p', '[', ']', '\n',
	0, 'a', 's', 'd', 'f', 'g', 'h', 'j', 'k', 'l', ';', '\'', '`',
	0, '\\', 'z', 'x', 'c', 'v', 'b', 'n', 'm', ',', '.', '/', 0,
	'*', 0, ' ',
};

static const char shifted[128] = {
	0, 27, '!', '@', '#', '$', '%', '^', '&', '*', '(', ')', '_', '+', 0177,
	'\t', 'Q', 'W', 'E', 'R', 'T', 'Y', 'U', 'I', 'O', 'P', '{', '}', '\n',
	0, 'A', 'S', 'D', 'F', 'G', 'H', 'J', 'K', 'L', ':', '"', '~',
	0, '|', 'Z', 'X', 'C', 'V', 'B', 'N', 'M', '<', '>', '?', 0,
	'*', 0, ' ',
};

static bool shift, ctrl;

static void keyboard_irq(struct trapframe *tf)
{
	(void)tf;
	uint8_t sc = inb(KBD_DATA);
	bool release = sc & SC_RELEASE;
	uint8_t key = sc & ~SC_RELEASE;

	if (key == SC_LSHIFT || key == SC_RSHIFT) {
		shift = !release;
		return;
	}
	if (key == SC_CTRL) {
		ctrl = !release;
		return;
	}
	if (release)
		return;
	char c = (shift ? shifted : plain)[key];
	if (!c)
		return;
	if (ctrl && c >= 'a' && c <= 'z')
		c = (char)(c - 'a' + 1);
	else if (ctrl && c >= 'A' && c <= 'Z')
		c = (char)(c - 'A' + 1);
	console_input(c);
}

void keyboard_init(void)
{
	while (inb(KBD_STATUS) & 1)	/* drop whatever the BIOS left behind */
		inb(KBD_DATA);
	irq_register(IRQ_KEYBOARD, keyboard_irq);
}

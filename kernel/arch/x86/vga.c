/*
 * VGA text mode: 80x25 cells at physical 0xB8000, each a character byte
 * and an attribute byte.  Scrolls when the cursor passes the last line and
 * moves the hardware cursor through the CRT controller ports.
 */
#include <kernel/console.h>
#include <kernel/layout.h>
#include <kernel/string.h>
#include <kernel/x86.h>
#include <stdint.h>

#define COLS	80
#define ROWS	25
#define ATTR	0x07	/* light grey on black */

static uint16_t *const screen = (uint16_t *)(KERNEL_VIRT + 0xB8000);
static int row, col;

static void move_cursor(void)
{
	uint16_t pos = (uint16_t)(row * COLS + col);
	outb(0x3D4, 0x0F);
	outb(0x3D5, pos & 0xFF);
	outb(0x3D4, 0x0E);
	outb(0x3D5, pos >> 8);
}

void vga_init(void)
{
	for (int i = 0; i < COLS * ROWS; i++)
		screen[i] = ATTR << 8 | ' ';
	row = col = 0;
	move_cursor();
}

static void scroll(void)
{
	memmove(screen, screen + COLS, (ROWS - 1) * COLS * sizeof *screen);
	for (int i = 0; i < COLS; i++)
		screen[(ROWS - 1) * COLS + i] = ATTR << 8 | ' ';
	row = ROWS - 1;
}

void vga_putc(char c)
{
	switch (c) {
	case '\n':
		col = 0;
		row++;
		break;
	case '\r':
		col = 0;
		break;
	case '\b':
		if (col > 0)
			col--;
		break;
	case '\t':
		col = (col + 8) & ~7;
		break;
	default:
		screen[row * COLS + col] = (uint16_t)(ATTR << 8 | (uint8_t)c);
		col++;
	}
	if (col >= COLS) {
		col = 0;
		row++;
	}
	if (row >= ROWS)
		scroll();
	move_cursor();
}

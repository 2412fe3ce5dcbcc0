/*
 * Terminal ioctls and struct termios as the Linux i386 kernel sees them.
 *
 * Note: this is the kernel's struct termios (36 bytes, NCCS = 19), which
 * TCGETS/TCSETS copy.  glibc's user-level struct termios is larger
 * (NCCS = 32 plus speeds) and glibc converts; our libc uses this one.
 */
#ifndef UAPI_IOCTL_H
#define UAPI_IOCTL_H

#include <stdint.h>

/* ioctl request numbers (the 'T' = 0x54 group). */
#define TCGETS          0x5401  /* get struct termios */
#define TCSETS          0x5402  /* set it now */
#define TCSETSW         0x5403  /* set it after output drains */
#define TCSETSF         0x5404  /* drain output, discard input, then set */
#define TCXONC          0x540A
#define TCFLSH          0x540B
#define TIOCSCTTY       0x540E  /* make this tty the controlling terminal */
#define TIOCGPGRP       0x540F  /* get the foreground process group (int *) */
#define TIOCSPGRP       0x5410  /* set the foreground process group (const int *) */
#define TIOCGWINSZ      0x5413  /* get struct winsize */
#define TIOCSWINSZ      0x5414  /* set struct winsize */
#define FIONREAD        0x541B  /* bytes ready to read (int *) */
#define TIOCINQ         FIONREAD
#define FIONBIO         0x5421  /* set/clear O_NONBLOCK (const int *) */
#define TIOCNOTTY       0x5422
#define TIOCGSID        0x5429

typedef unsigned char cc_t;
typedef unsigned int  speed_t;
typedef unsigned int  tcflag_t;

#define NCCS 19

struct termios {
	tcflag_t c_iflag;       /* input modes */
	tcflag_t c_oflag;       /* output modes */
	tcflag_t c_cflag;       /* control modes (baud rate, size) */
	tcflag_t c_lflag;       /* local modes (canonical, echo, signals) */
	cc_t     c_line;        /* line discipline, 0 */
	cc_t     c_cc[NCCS];    /* control characters, indexed by V* */
};

_Static_assert(sizeof(struct termios) == 36, "termios size");

/* Window size (TIOCGWINSZ). */
struct winsize {
	unsigned short ws_row;
	unsigned short ws_col;
	unsigned short ws_xpixel;
	unsigned short ws_ypixel;
};

/* Indices into c_cc. */
#define VINTR       0   /* ^C: SIGINT */
#define VQUIT       1   /* ^\: SIGQUIT */
#define VERASE      2   /* DEL or ^H: erase a character */
#define VKILL       3   /* ^U: erase the line */
#define VEOF        4   /* ^D: end of file */
#define VTIME       5   /* raw mode: timeout in 1/10 s */
#define VMIN        6   /* raw mode: minimum bytes per read */
#define VSWTC       7
#define VSTART      8   /* ^Q */
#define VSTOP       9   /* ^S */
#define VSUSP       10  /* ^Z: SIGTSTP */
#define VEOL        11
#define VREPRINT    12  /* ^R */
#define VDISCARD    13
#define VWERASE     14  /* ^W: erase a word */
#define VLNEXT      15  /* ^V */
#define VEOL2       16

/* c_iflag bits. */
#define IGNBRK  0x0001
#define BRKINT  0x0002
#define IGNPAR  0x0004
#define PARMRK  0x0008
#define INPCK   0x0010
#define ISTRIP  0x0020
#define INLCR   0x0040  /* map NL to CR */
#define IGNCR   0x0080  /* ignore CR */
#define ICRNL   0x0100  /* map CR to NL (so Enter ends a line) */
#define IUCLC   0x0200
#define IXON    0x0400
#define IXANY   0x0800
#define IXOFF   0x1000
#define IMAXBEL 0x2000
#define IUTF8   0x4000

/* c_oflag bits. */
#define OPOST   0x0001  /* process output at all */
#define OLCUC   0x0002
#define ONLCR   0x0004  /* NL -> CR NL */
#define OCRNL   0x0008
#define ONOCR   0x0010
#define ONLRET  0x0020
#define OFILL   0x0040
#define OFDEL   0x0080

/* c_cflag bits (the ones anyone looks at). */
#define CBAUD   0x0000100f
#define B9600   0x0000000d
#define B38400  0x0000000f
#define B115200 0x00001002
#define CSIZE   0x00000030
#define CS8     0x00000030
#define CSTOPB  0x00000040
#define CREAD   0x00000080
#define PARENB  0x00000100
#define HUPCL   0x00000400
#define CLOCAL  0x00000800

/* c_lflag bits. */
#define ISIG    0x00001 /* INTR, QUIT, SUSP send signals */
#define ICANON  0x00002 /* canonical mode: line editing, read by lines */
#define ECHO    0x00008 /* echo input */
#define ECHOE   0x00010 /* ERASE erases the character on screen */
#define ECHOK   0x00020
#define ECHONL  0x00040
#define NOFLSH  0x00080
#define TOSTOP  0x00100
#define ECHOCTL 0x00200 /* echo control characters as ^X */
#define ECHOPRT 0x00400
#define ECHOKE  0x00800
#define IEXTEN  0x08000

/* tcflush() / TCFLSH queue selectors. */
#define TCIFLUSH    0
#define TCOFLUSH    1
#define TCIOFLUSH   2

#endif

/*
 * wait4 / waitpid options and the status word they store.
 *
 * Status word (16 bits used):
 *   exited normally:   (code & 0xff) << 8            low 7 bits 0
 *   killed by signal:  sig | 0x80 if it dumped core  (sig in 1..0x7e)
 *   stopped:           (sig << 8) | 0x7f
 *   continued:         0xffff
 */
#ifndef UAPI_WAIT_H
#define UAPI_WAIT_H

/* Options. */
#define WNOHANG     0x00000001  /* return 0 at once if no child has changed */
#define WUNTRACED   0x00000002  /* also report stopped children */
#define WSTOPPED    WUNTRACED
#define WEXITED     0x00000004  /* waitid */
#define WCONTINUED  0x00000008
#define WNOWAIT     0x01000000  /* waitid: leave the child waitable */
#define __WNOTHREAD 0x20000000
#define __WALL      0x40000000
#define __WCLONE    0x80000000

/* waitid id types. */
#define P_ALL   0
#define P_PID   1
#define P_PGID  2

/* Building a status word (kernel side). */
#define W_EXITCODE(ret, sig)    (((ret) & 0xff) << 8 | ((sig) & 0x7f))
#define W_STOPCODE(sig)         ((sig) << 8 | 0x7f)
#define W_CONTINUED             0xffff
#define WCOREFLAG               0x80

/* Taking it apart (user side). */
#define WEXITSTATUS(s)  (((s) & 0xff00) >> 8)
#define WTERMSIG(s)     ((s) & 0x7f)
#define WSTOPSIG(s)     WEXITSTATUS(s)
#define WIFEXITED(s)    (WTERMSIG(s) == 0)
#define WIFSIGNALED(s)  (WTERMSIG(s) != 0 && WTERMSIG(s) != 0x7f)
#define WIFSTOPPED(s)   (((s) & 0xff) == 0x7f)
#define WIFCONTINUED(s) ((s) == W_CONTINUED)
#define WCOREDUMP(s)    ((s) & WCOREFLAG)

#endif

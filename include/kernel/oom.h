/*
 * The out-of-memory killer (kernel/oom.c).
 */
#ifndef KERNEL_OOM_H
#define KERNEL_OOM_H

#include <stdbool.h>

/*
 * Memory has run out in a page fault from user space: kill the process
 * with the most memory resident (never init), or wait for the one killed
 * before to finish dying.  True when memory is on its way back, so the
 * faulting task should let others run and try again (it may be the
 * victim itself, and then dies first); false when there is nothing that
 * may be killed.
 */
bool oom_kill(void);

#endif

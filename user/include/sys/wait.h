/* Waiting for children; status macros come from uapi. */
#ifndef _SYS_WAIT_H
#define _SYS_WAIT_H

#include <sys/types.h>
#include <uapi/wait.h>

pid_t wait(int *status);
pid_t waitpid(pid_t pid, int *status, int options);       /* via wait4 */
pid_t wait4(pid_t pid, int *status, int options, void *rusage);

#endif

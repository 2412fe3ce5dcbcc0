/* Signal numbers only, for now (handlers come with the signals issue). */
#ifndef _SIGNAL_H
#define _SIGNAL_H

#include <sys/types.h>
#include <uapi/signal.h>

int kill(pid_t pid, int sig);

#endif

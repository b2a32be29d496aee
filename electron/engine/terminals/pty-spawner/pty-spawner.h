/*
 * What the parts of photon-pty-spawner share (pty-spawner.c has the whole story): why a start
 * failed, what the child does between vfork and exec, and the spawner's care of its descriptors.
 */
#ifndef PHOTON_PTY_SPAWNER_H
#define PHOTON_PTY_SPAWNER_H

#include <stdint.h>
#include <sys/types.h>

/** Both protocols' integers: 32 bits, big-endian. */
static inline void put32(unsigned char *at, uint32_t value) {
  at[0] = (unsigned char)(value >> 24);
  at[1] = (unsigned char)(value >> 16);
  at[2] = (unsigned char)(value >> 8);
  at[3] = (unsigned char)value;
}

static inline uint32_t get32(const unsigned char *at) {
  return ((uint32_t)at[0] << 24) | ((uint32_t)at[1] << 16) | ((uint32_t)at[2] << 8) | (uint32_t)at[3];
}

/** What failed, so the host can say it in the user's words. */
enum stage {
  stage_request = 1,  /* a malformed request, or no memory for it */
  stage_fork = 2,     /* vfork() in the spawner */
  stage_terminal = 3, /* setsid, opening the far side, making it the controlling terminal */
  stage_cwd = 4,      /* chdir to the working folder */
  stage_exec = 5,     /* execvp */
};

/** Why a child could not exec, written by it into the memory it shares with the spawner (vfork). */
struct child_failure {
  volatile int stage; /* enum stage; 0 while nothing failed */
  volatile int error; /* errno */
};

/**
 * In the child of a vfork: makes `pts` its controlling terminal and stdio, set as node-pty sets it,
 * enters `cwd` and execs `file`. What fails is written to `failure` (the spawner reads it once the
 * vfork returns, the child having exited then) and it exits 127.
 */
_Noreturn void run_child(struct child_failure *failure, const char *pts, const char *cwd, const char *file, char **argv, char **envp);

/**
 * Starts a child that runs run_child (vfork: this process sleeps until the exec or the failure).
 * Returns its pid, or -1 with errno set when vfork failed; `failure->stage` is then still 0, and
 * otherwise says what failed in the child, which has exited (reap it).
 */
pid_t start_child(struct child_failure *failure, const char *pts, const char *cwd, const char *file, char **argv, char **envp);

/** Notes which signals the spawner does not leave at their default, for run_child to reset: call once its own are set. */
void note_signal_dispositions(void);

void set_cloexec(int fd);
void set_nonblocking(int fd);
/** Closes `*fd` if it is open, and marks it closed (-1). */
void close_fd(int *fd);
/** Closes every descriptor above stderr, as it came from the host. */
void close_inherited(void);
/** Keeps 0, 1 and 2 taken, so no pipe opened later lands there and is lost to a dup2. */
void hold_stdio(void);

/**
 * Starts a loop's process (pty-spawner-start.c): stdio held, inherited descriptors closed, SIGPIPE,
 * SIGINT and SIGHUP ignored, SIGCHLD made readable. Returns the descriptor that becomes readable
 * after a child's exit (drain it with drain_child_wakes, then reap), or -1, having said why.
 */
int start_loop_process(void);
void drain_child_wakes(void);

/** photon-pty-spawner --host: the pty host's protocol on stdin and stdout (pty-spawner-host.c). */
int host_main(void);

#endif

/*
 * What the parts of photon-pty-spawner share (pty-spawner.c has the whole story): why a start
 * failed, what the child does between fork and exec, and the spawner's care of its descriptors.
 */
#ifndef PHOTON_PTY_SPAWNER_H
#define PHOTON_PTY_SPAWNER_H

/** What failed, so the host can say it in the user's words. */
enum stage {
  stage_request = 1,  /* a malformed request, or no memory for it */
  stage_fork = 2,     /* pipe() or fork() in the spawner */
  stage_terminal = 3, /* setsid, opening the far side, making it the controlling terminal */
  stage_cwd = 4,      /* chdir to the working folder */
  stage_exec = 5,     /* execvp */
};

/**
 * In the child of a fork: makes `pts` its controlling terminal and stdio, set as node-pty sets it,
 * enters `cwd` and execs `file`. What fails is written to `pipe_fd` (close-on-exec, so the spawner
 * reads nothing once the exec has happened) as two ints, the stage and errno, and it exits 127.
 */
_Noreturn void run_child(int pipe_fd, const char *pts, const char *cwd, const char *file, char **argv, char **envp);

void set_cloexec(int fd);
void set_nonblocking(int fd);
/** Closes every descriptor above stderr, as it came from the host. */
void close_inherited(void);
/** Keeps 0, 1 and 2 taken, so no pipe opened later lands there and is lost to a dup2. */
void hold_stdio(void);

#endif

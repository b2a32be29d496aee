/*
 * How each of photon-pty-spawner's loops starts (the spawner's, pty-spawner.c, and the pty host's,
 * pty-spawner-host.c): stdio held, the descriptors it was started with closed, the signals its
 * group gets ignored, and SIGCHLD turned into a byte on a pipe that poll() can wait on with the rest.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "pty-spawner.h"

/** The SIGCHLD handler's way into poll(): one byte per signal, read and dropped by the loop. */
static int wake[2] = {-1, -1};

static void on_child(int signal_number) {
  (void)signal_number;
  int saved = errno;
  ssize_t ignored = write(wake[1], "", 1);
  (void)ignored; /* A full pipe already holds a wake-up. */
  errno = saved;
}

int start_loop_process(void) {
  hold_stdio();
  close_inherited();
  signal(SIGPIPE, SIG_IGN);
  /* Ctrl-C or a closing terminal signal the whole group of `photon run` or of the app, this process
   * too: the engine decides what to stop, through this process. It ends with its stdin. (run_child
   * resets them for the programs it starts.) */
  signal(SIGINT, SIG_IGN);
  signal(SIGHUP, SIG_IGN);
  if (pipe(wake) < 0) {
    perror("photon-pty-spawner: pipe");
    return -1;
  }
  for (int i = 0; i < 2; i++) {
    set_cloexec(wake[i]);
    set_nonblocking(wake[i]);
  }
  struct sigaction on_signal;
  memset(&on_signal, 0, sizeof on_signal);
  on_signal.sa_handler = on_child;
  on_signal.sa_flags = SA_RESTART | SA_NOCLDSTOP;
  sigemptyset(&on_signal.sa_mask);
  sigaction(SIGCHLD, &on_signal, NULL);
  note_signal_dispositions();
  return wake[0];
}

void drain_child_wakes(void) {
  char drained[64];
  while (read(wake[0], drained, sizeof drained) > 0) continue;
}

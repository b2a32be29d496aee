/*
 * photon-pty-spawner's child, between vfork and exec: signals reset, its own session with the
 * terminal's far side as controlling terminal and stdio, node-pty's terminal settings, its folder,
 * and the program. It shares the spawner's memory until the exec: it writes none of it but `environ`
 * (which the spawner restores) and what it says of a failure, and calls only system calls' wrappers.
 */
#define _DEFAULT_SOURCE /* glibc: termios flags beyond POSIX (ECHOKE, IMAXBEL, IUTF8), TIOCSCTTY */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "pty-spawner.h"

#ifndef NSIG
#define NSIG 65
#endif

extern char **environ;

/** The terminal settings node-pty's PtyFork gives every terminal (node-pty 1.1, src/unix/pty.cc). */
static void node_pty_termios(struct termios *term) {
  memset(term, 0, sizeof *term);
  term->c_iflag = ICRNL | IXON | IXANY | IMAXBEL | BRKINT;
#ifdef IUTF8
  term->c_iflag |= IUTF8; /* The host reads UTF-8: erasing a character erases all its bytes. */
#endif
  term->c_oflag = OPOST | ONLCR;
  term->c_cflag = CREAD | CS8 | HUPCL;
  term->c_lflag = ICANON | ISIG | IEXTEN | ECHO | ECHOE | ECHOK | ECHOKE | ECHOCTL;
  term->c_cc[VEOF] = 4;
  term->c_cc[VEOL] = (cc_t)-1;
  term->c_cc[VEOL2] = (cc_t)-1;
  term->c_cc[VERASE] = 0x7f;
  term->c_cc[VWERASE] = 23;
  term->c_cc[VKILL] = 21;
  term->c_cc[VREPRINT] = 18;
  term->c_cc[VINTR] = 3;
  term->c_cc[VQUIT] = 0x1c;
  term->c_cc[VSUSP] = 26;
  term->c_cc[VSTART] = 17;
  term->c_cc[VSTOP] = 19;
  term->c_cc[VLNEXT] = 22;
  term->c_cc[VDISCARD] = 15;
  term->c_cc[VMIN] = 1;
  term->c_cc[VTIME] = 0;
#ifdef __APPLE__
  term->c_cc[VDSUSP] = 25;
  term->c_cc[VSTATUS] = 20;
#endif
  cfsetispeed(term, B38400);
  cfsetospeed(term, B38400);
}

/** Tells the spawner what failed, in the memory they share, and ends. */
static _Noreturn void child_fail(struct child_failure *failure, enum stage stage) {
  failure->error = errno;
  failure->stage = (int)stage;
  _exit(127);
}

/** The signals whose disposition is not the default in the spawner (after its own are set). */
static int changed[NSIG];
static int changed_count;

void note_signal_dispositions(void) {
  changed_count = 0;
  for (int number = 1; number < NSIG; number++) {
    struct sigaction current;
    if (sigaction(number, NULL, &current) == 0 && current.sa_handler != SIG_DFL) changed[changed_count++] = number;
  }
}

void run_child(struct child_failure *failure, const char *pts, const char *cwd, const char *file, char **argv, char **envp) {
  /* Signals as a fresh program expects them: the spawner's handler and ignored SIGPIPE are not its,
   * nor what it was started ignoring. Only those: the others are the default already, and a call
   * for each of the 64 cost 15 to 40 us here, between a request and its program's exec. */
  struct sigaction fresh;
  memset(&fresh, 0, sizeof fresh);
  fresh.sa_handler = SIG_DFL;
  sigemptyset(&fresh.sa_mask);
  for (int i = 0; i < changed_count; i++) sigaction(changed[i], &fresh, NULL);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);

  if (setsid() < 0) child_fail(failure, stage_terminal);
  int terminal = open(pts, O_RDWR);
  if (terminal < 0) child_fail(failure, stage_terminal);
  if (ioctl(terminal, TIOCSCTTY, 0) < 0) child_fail(failure, stage_terminal);
  struct termios term;
  node_pty_termios(&term);
  if (tcsetattr(terminal, TCSANOW, &term) < 0) child_fail(failure, stage_terminal);
  for (int fd = 0; fd <= 2; fd++)
    if (dup2(terminal, fd) < 0) child_fail(failure, stage_terminal);
  if (terminal > 2) close(terminal);

  if (cwd[0] != '\0' && chdir(cwd) < 0) child_fail(failure, stage_cwd);
  /* execvp searches the PATH of `environ`: the program's own environment, as node-pty does. */
  environ = envp;
  execvp(file, argv);
  child_fail(failure, stage_exec);
}

pid_t start_child(struct child_failure *failure, const char *pts, const char *cwd, const char *file, char **argv, char **envp) {
  /* Blocked across the vfork: no handler of the spawner's may run in the child before it resets them. */
  sigset_t all, before;
  sigfillset(&all);
  sigprocmask(SIG_SETMASK, &all, &before);
  /* The child sets `environ` for execvp in the memory it shares with this process until its exec. */
  char **own_environ = environ;
  pid_t pid = vfork();
  if (pid == 0) run_child(failure, pts, cwd, file, argv, envp);
  int fork_error = errno;
  environ = own_environ;
  sigprocmask(SIG_SETMASK, &before, NULL);
  errno = fork_error;
  return pid;
}

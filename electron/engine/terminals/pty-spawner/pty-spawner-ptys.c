/*
 * The pty host's pseudo-terminals (pty-spawner-host.c has the whole story): opened as node-pty
 * opens them, and one kept open ahead while terminals are being started.
 */
#define _XOPEN_SOURCE 700 /* posix_openpt, grantpt, unlockpt, ptsname */
#define _DARWIN_C_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pty-spawner-host.h"
#include "pty-spawner.h"

/**
 * Opening a pty (posix_openpt, grantpt, unlockpt, ptsname, the far side's open, 11 system calls)
 * lay between the engine's request and the program's vfork: the host took a median 190 us from
 * one to the other in a chain of steps at load 15, 13 us with a pty opened ahead (60 us a pty on a
 * quiet machine). One is opened as a turn that reported an exit ends, its frames written: the
 * engine then works out what to start next, and the host would only wait (in a turn that started a
 * program, the program and the engine want the processors). Kept only while terminals are being
 * started: once none has run for `spare_idle_ms` it is closed, and a host that has started nothing
 * holds none. The program never sees the difference: its far side is opened by its path in the
 * child, set as a new one (run_child), and the size it asked is set at its spawn.
 */
enum { spares_wanted = 1 };
static const double spare_idle_ms = 2000;
static struct pty spares[spares_wanted];
static int spare_count;
/** A terminal was started since the spares were last closed: the host is at work. */
static int spares_on;
/** When the spares close, no terminal having started meanwhile (0: not while terminals run). */
static double spare_deadline;

/**
 * A new pty, as node-pty's: POSIX's calls rather than openpty, which older glibc keeps in libutil.
 * Neither side reaches a program (close-on-exec): each child opens its own far side by its path, as
 * stdio. Returns -1 with errno set, having closed what it opened.
 */
static int open_pty(struct pty *pty) {
  pty->slave = -1;
  pty->master = posix_openpt(O_RDWR | O_NOCTTY);
  if (pty->master < 0) return -1;
  set_cloexec(pty->master);
  const char *pts = grantpt(pty->master) == 0 && unlockpt(pty->master) == 0 ? ptsname(pty->master) : NULL;
  if (pts && strlen(pts) < sizeof pty->path) {
    strcpy(pty->path, pts);
    pty->slave = open(pty->path, O_RDWR | O_NOCTTY);
  } else if (pts) errno = ENAMETOOLONG;
  if (pty->slave < 0) {
    int error = errno;
    close_fd(&pty->master);
    errno = error;
    return -1;
  }
  set_cloexec(pty->slave);
  set_nonblocking(pty->master);
  return 0;
}

void close_pty(struct pty *pty) {
  close_fd(&pty->slave);
  close_fd(&pty->master);
}

/** A spare when there is one, else a new pty (0, or -1 with errno set). */
int take_pty(struct pty *pty) {
  spares_on = 1;
  spare_deadline = 0;
  if (spare_count > 0) {
    *pty = spares[--spare_count];
    return 0;
  }
  return open_pty(pty);
}

void close_spares(void) {
  while (spare_count > 0) close_pty(&spares[--spare_count]);
  spares_on = 0;
  spare_deadline = 0;
}

void tend_spares(int reported_exit, size_t terminals_running, double now) {
  if (!spares_on) return;
  if (reported_exit)
    while (spare_count < spares_wanted && open_pty(&spares[spare_count]) == 0) spare_count++;
  if (terminals_running > 0) spare_deadline = 0;
  else if (spare_deadline == 0) spare_deadline = now + spare_idle_ms;
  else if (spare_deadline <= now) close_spares();
}

double spares_close_at(void) {
  return spare_deadline;
}

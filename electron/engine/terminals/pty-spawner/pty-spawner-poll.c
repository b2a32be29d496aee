/*
 * How the pty host waits for its descriptors: poll(), or select() where poll does not watch a pty.
 */
#define _DEFAULT_SOURCE
#define _DARWIN_C_SOURCE

#include <poll.h>

#include "pty-spawner-host.h"

#if defined(__APPLE__) || defined(PHOTON_PTY_HOST_SELECT)
#include <sys/select.h>
/*
 * macOS's poll() does not watch devices ("The poll() system call currently does not support
 * devices", its manual's BUGS), a pty master among them: select() does. The same events, as poll
 * would report them (a closed stdin or master reads as readable, and the read says the rest).
 * PHOTON_PTY_HOST_SELECT builds this elsewhere, to test it.
 */
int wait_for_events(struct pollfd *watched, nfds_t count, int timeout_ms) {
  fd_set readable, writable;
  FD_ZERO(&readable);
  FD_ZERO(&writable);
  int highest = -1;
  for (nfds_t i = 0; i < count; i++) {
    watched[i].revents = 0;
    int fd = watched[i].fd;
    if (fd < 0 || fd >= FD_SETSIZE) continue; /* Beyond select's reach: a thousand terminals open. */
    if (watched[i].events & POLLIN) FD_SET(fd, &readable);
    if (watched[i].events & POLLOUT) FD_SET(fd, &writable);
    if ((watched[i].events & (POLLIN | POLLOUT)) && fd > highest) highest = fd;
  }
  struct timeval wait = {timeout_ms / 1000, (timeout_ms % 1000) * 1000};
  int ready = select(highest + 1, &readable, &writable, NULL, timeout_ms < 0 ? NULL : &wait);
  if (ready <= 0) return ready;
  for (nfds_t i = 0; i < count; i++) {
    int fd = watched[i].fd;
    if (fd < 0 || fd >= FD_SETSIZE) continue;
    if (FD_ISSET(fd, &readable)) watched[i].revents |= POLLIN;
    if (FD_ISSET(fd, &writable)) watched[i].revents |= POLLOUT;
  }
  return ready;
}
#else
int wait_for_events(struct pollfd *watched, nfds_t count, int timeout_ms) {
  return poll(watched, count, timeout_ms);
}
#endif

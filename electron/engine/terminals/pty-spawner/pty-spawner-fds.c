/*
 * photon-pty-spawner's care of its own descriptors: none inherited from the host survives its start,
 * and its own pipes are close-on-exec, so no program it starts holds anything but its terminal.
 */
#define _POSIX_C_SOURCE 200809L /* dirfd */

#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "pty-spawner.h"

void set_cloexec(int fd) {
  int flags = fcntl(fd, F_GETFD);
  if (flags >= 0) fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
}

void close_fd(int *fd) {
  if (*fd >= 0) close(*fd);
  *fd = -1;
}

void set_nonblocking(int fd) {
  int flags = fcntl(fd, F_GETFL);
  if (flags >= 0) fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

/**
 * Closes every descriptor above stderr that came from the host. node-pty leaves its masters
 * inheritable (node-pty issue #657), so without this every program started here would hold the
 * masters of the terminals open when the spawner started.
 */
void close_inherited(void) {
  DIR *dir = opendir("/dev/fd");
  if (!dir) {
    long max = sysconf(_SC_OPEN_MAX);
    if (max < 0 || max > 65536) max = 65536;
    for (int fd = 3; fd < max; fd++) close(fd);
    return;
  }
  int listing = dirfd(dir);
  int found[256];
  size_t count = 0;
  int more = 0;
  struct dirent *entry;
  /* Closing while listing could skip entries; collect first, and list again if there were many. */
  while ((entry = readdir(dir)) != NULL) {
    char *end;
    long fd = strtol(entry->d_name, &end, 10);
    if (*end != '\0' || end == entry->d_name || fd <= 2 || fd == listing) continue;
    if (count == sizeof found / sizeof found[0]) {
      more = 1;
      break;
    }
    found[count++] = (int)fd;
  }
  closedir(dir);
  for (size_t i = 0; i < count; i++) close(found[i]);
  if (more) close_inherited();
}

void hold_stdio(void) {
  for (int fd = 0; fd <= 2; fd++) {
    if (fcntl(fd, F_GETFD) >= 0) continue;
    int null = open("/dev/null", O_RDWR);
    if (null >= 0 && null != fd) {
      dup2(null, fd);
      close(null);
    }
  }
}

/*
 * photon-pty-spawner: starts each terminal's program for Photon's pty host (pty-host-main.js).
 * Started with --host it is that host itself, in C (pty-spawner-host.c): the engine starts it so
 * where it is built, and the Node host with this process only where PHOTON_PTY_HOST=node asks.
 *
 * Why: node-pty starts a program with forkpty() from the host, a Node process of some 50 MB with
 * a thread pool; fork() copies its page tables and node-pty adds a thread per process to wait for
 * it. Here a process of about 1.5 MB starts them with vfork (no page tables copied, nor torn down
 * at the exec) and one SIGCHLD handler waits for them all. The host opens the pseudo-terminal itself
 * (openpty, no fork) and keeps the master; this process only starts the child, which makes the far
 * side its controlling terminal and stdio, and execs. This file holds the protocol, the loop and the
 * reaping; pty-spawner-child.c what the child does between vfork and exec; pty-spawner-fds.c the
 * care of its own descriptors.
 *
 * Protocol (pty-spawner-client.js is the other side). Integers are unsigned 32-bit big-endian
 * unless said otherwise.
 *   host -> spawner, one request per frame:
 *     [length][id][argc][envc] then 3 + argc + envc NUL-terminated strings:
 *     the far side's path (/dev/pts/N), the working folder ("" keeps the spawner's), the program
 *     (found on the PATH of the given environment when it has no slash, as execvp does), argv[0..argc),
 *     and the environment's NAME=value entries. `length` counts everything after itself. A string
 *     may hold any byte but NUL (exec could not pass a NUL on), so tabs and newlines are safe.
 *   spawner -> host:
 *     [length][type u8][id][a i32][b i32][text], `length` counting everything after itself:
 *     'S' spawned: a = pid (sent once the program was exec'd)
 *     'X' exited: a = exit code, b = signal number (0 unless killed by a signal), as node-pty's onExit
 *     'F' failed, never after 'S': a = stage (see enum stage), b = errno, text = strerror(b)
 *
 * `photon-pty-spawner --protocol` prints the protocol's version (2) and exits: the host asks before
 * using a build, so one made from other sources is found out at once.
 *
 * It ends when its stdin closes (the host exited); programs it started keep running, as they do
 * when a node-pty host dies, and lose their terminal when the host's masters close.
 */
#define _DEFAULT_SOURCE /* glibc: POSIX 2008 and SA_RESTART under -std=c11 */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pty-spawner.h"

enum { protocol_version = 2 };

/** Requests larger than this are a broken host, not a big environment (Linux's ARG_MAX is 2 MB). */
enum { max_request = 64 * 1024 * 1024 };

struct child {
  pid_t pid;
  uint32_t id;
};

static struct child *children;
static size_t child_count, child_capacity;

/** Writes all of it; the host gone (EPIPE) ends this process, which has no one left to serve. */
static void write_all(int fd, const unsigned char *data, size_t length) {
  while (length > 0) {
    ssize_t written = write(fd, data, length);
    if (written < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        struct pollfd writable = {fd, POLLOUT, 0};
        poll(&writable, 1, -1);
        continue;
      }
      _exit(0);
    }
    data += written;
    length -= (size_t)written;
  }
}

static void report(char type, uint32_t id, int32_t a, int32_t b, const char *text) {
  size_t text_length = text ? strlen(text) : 0;
  if (text_length > 1024) text_length = 1024;
  unsigned char frame[4 + 13 + 1024];
  put32(frame, (uint32_t)(13 + text_length));
  frame[4] = (unsigned char)type;
  put32(frame + 5, id);
  put32(frame + 9, (uint32_t)a);
  put32(frame + 13, (uint32_t)b);
  if (text_length > 0) memcpy(frame + 17, text, text_length);
  write_all(STDOUT_FILENO, frame, 17 + text_length);
}

static void report_failure(uint32_t id, enum stage stage, int error) {
  report('F', id, (int32_t)stage, error, strerror(error));
}

static int remember(pid_t pid, uint32_t id) {
  if (child_count == child_capacity) {
    size_t capacity = child_capacity ? child_capacity * 2 : 64;
    struct child *grown = realloc(children, capacity * sizeof *grown);
    if (!grown) return -1;
    children = grown;
    child_capacity = capacity;
  }
  children[child_count].pid = pid;
  children[child_count].id = id;
  child_count++;
  return 0;
}

static pid_t wait_for(pid_t pid, int *status) {
  pid_t reaped;
  do reaped = waitpid(pid, status, 0);
  while (reaped < 0 && errno == EINTR);
  return reaped;
}

/**
 * Starts one program with vfork, waiting (as posix_spawn does) until the exec has happened or the
 * child said why it could not: a missing program or folder is then a clear failure, never an exit
 * status the program could also have given. vfork, not fork: this process sleeps until the exec
 * and is then woken as any other, where with fork it waited on a close-on-exec pipe, whose close
 * wakes its reader "in sync" on the exec'ing program's processor: the 'S' report then mostly waited
 * for the program to end (a `bash -c true` of a chain: 'S' came with 'X'), and the host's and the
 * engine's handling of the start fell between the program's end and its exit being reported.
 */
static void spawn_program(uint32_t id, const char *pts, const char *cwd, const char *file, char **argv, char **envp) {
  struct child_failure failure = {0, 0};
  pid_t pid = start_child(&failure, pts, cwd, file, argv, envp);
  if (pid < 0) {
    report_failure(id, stage_fork, errno);
    return;
  }
  if (failure.stage != 0) {
    int status;
    wait_for(pid, &status);
    report_failure(id, (enum stage)failure.stage, failure.error);
    return;
  }
  if (remember(pid, id) < 0) {
    /* Nowhere to keep its id: it would end unreported. Better not to leave it running. */
    kill(pid, SIGKILL);
    int status;
    wait_for(pid, &status);
    report_failure(id, stage_request, ENOMEM);
    return;
  }
  report('S', id, (int32_t)pid, 0, NULL);
}

static void reap(void) {
  int status;
  pid_t pid;
  while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
    for (size_t i = 0; i < child_count; i++) {
      if (children[i].pid != pid) continue;
      int32_t code = WIFEXITED(status) ? WEXITSTATUS(status) : 0;
      int32_t signal_number = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
      report('X', children[i].id, code, signal_number, NULL);
      children[i] = children[--child_count];
      break;
    }
  }
}

/** One request's body (after its length): checks its shape, then spawns. */
static void handle_request(unsigned char *body, size_t length) {
  if (length < 12) {
    report_failure(0, stage_request, EINVAL);
    return;
  }
  uint32_t id = get32(body);
  uint32_t argc = get32(body + 4);
  uint32_t envc = get32(body + 8);
  char *strings = (char *)body + 12;
  size_t size = length - 12;
  /* Every string takes at least its NUL, so the counts can be checked against the size first. */
  if (argc == 0 || argc > size || envc > size || 3u + (size_t)argc + envc > size || strings[size - 1] != '\0') {
    report_failure(id, stage_request, EINVAL);
    return;
  }
  size_t count = 3 + (size_t)argc + envc;
  char **fields = malloc((count + 2) * sizeof *fields);
  if (!fields) {
    report_failure(id, stage_request, ENOMEM);
    return;
  }
  size_t at = 0, i = 0;
  for (; i < count && at < size; i++) {
    fields[i] = strings + at;
    at += strlen(strings + at) + 1; /* strings[size - 1] is a NUL: this stays inside */
  }
  if (i != count || at != size) {
    free(fields);
    report_failure(id, stage_request, EINVAL);
    return;
  }
  /* argv and envp each end with NULL: argv's end is made by moving the environment up one place. */
  char **argv = fields + 3;
  char **envp = fields + 3 + argc + 1;
  memmove(envp, fields + 3 + argc, envc * sizeof *fields);
  argv[argc] = NULL;
  envp[envc] = NULL;
  spawn_program(id, fields[0], fields[1], fields[2], argv, envp);
  free(fields);
}

struct input {
  unsigned char *data;
  size_t length, capacity;
};

/** Reads what stdin has and handles every whole request; returns 0 once stdin has closed. */
static int read_requests(struct input *in) {
  if (in->capacity - in->length < 65536) {
    size_t capacity = in->capacity ? in->capacity * 2 : 131072;
    unsigned char *grown = realloc(in->data, capacity);
    if (!grown) {
      fprintf(stderr, "photon-pty-spawner: out of memory for a request\n");
      exit(1);
    }
    in->data = grown;
    in->capacity = capacity;
  }
  ssize_t got = read(STDIN_FILENO, in->data + in->length, in->capacity - in->length);
  if (got == 0) return 0;
  if (got < 0) return errno == EINTR || errno == EAGAIN ? 1 : 0;
  in->length += (size_t)got;

  size_t at = 0;
  while (in->length - at >= 4) {
    uint32_t length = get32(in->data + at);
    if (length > max_request) {
      fprintf(stderr, "photon-pty-spawner: a request of %u bytes: the host and the spawner disagree on the protocol\n", length);
      exit(2);
    }
    if (in->length - at - 4 < length) {
      /* Room for the rest of a large request in one piece. */
      size_t needed = at + 4 + (size_t)length + 65536;
      if (needed > in->capacity) {
        unsigned char *grown = realloc(in->data, needed);
        if (!grown) {
          fprintf(stderr, "photon-pty-spawner: out of memory for a request of %u bytes\n", length);
          exit(1);
        }
        in->data = grown;
        in->capacity = needed;
      }
      break;
    }
    handle_request(in->data + at + 4, length);
    at += 4 + (size_t)length;
  }
  memmove(in->data, in->data + at, in->length - at);
  in->length -= at;
  return 1;
}

int main(int argc, char **argv) {
  if (argc == 2 && strcmp(argv[1], "--protocol") == 0) {
    printf("%d\n", protocol_version);
    return 0;
  }
  if (argc == 2 && strcmp(argv[1], "--host") == 0) return host_main();
  if (argc != 1) {
    fprintf(stderr, "usage: %s [--protocol | --host]  (run by Photon's pty host, which speaks to it on stdin and stdout)\n", argv[0]);
    return 2;
  }
  int child_wake = start_loop_process();
  if (child_wake < 0) return 1;

  struct input in = {NULL, 0, 0};
  for (;;) {
    struct pollfd watched[2] = {{STDIN_FILENO, POLLIN, 0}, {child_wake, POLLIN, 0}};
    if (poll(watched, 2, -1) < 0) {
      if (errno == EINTR) continue;
      perror("photon-pty-spawner: poll");
      return 1;
    }
    if (watched[1].revents & POLLIN) {
      drain_child_wakes();
      reap();
    }
    /* POLLNVAL too: a stdin that is gone must end this loop, never spin it. */
    if (watched[0].revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL)) {
      if (!read_requests(&in)) return 0;
      /* A child that ended while this one was being spawned is reported now, not at the next wake-up. */
      reap();
    }
  }
}

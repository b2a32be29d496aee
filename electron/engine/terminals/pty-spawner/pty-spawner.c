/*
 * photon-pty-spawner: starts each terminal's program for Photon's pty host (pty-host-main.js).
 *
 * Why: node-pty starts a program with forkpty() from the host, a Node process of some 50 MB with
 * a thread pool; fork() copies its page tables and node-pty adds a thread per process to wait for
 * it. Here the fork happens in a process of about 1.5 MB and one SIGCHLD handler waits for them all.
 * The host opens the pseudo-terminal itself (openpty, no fork) and keeps the master; this process
 * only forks, makes the far side the child's controlling terminal and stdio, and execs.
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
 * `photon-pty-spawner --protocol` prints the protocol's version (1) and exits: the host asks before
 * using a build, so one made from other sources is found out at once.
 *
 * It ends when its stdin closes (the host exited); programs it started keep running, as they do
 * when a node-pty host dies, and lose their terminal when the host's masters close.
 */
#define _DEFAULT_SOURCE /* glibc: termios flags beyond POSIX (ECHOKE, IMAXBEL, IUTF8), TIOCSCTTY */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#ifndef NSIG
#define NSIG 65
#endif

extern char **environ;

enum { protocol_version = 1 };

/** What failed, so the host can say it in the user's words. */
enum stage {
  stage_request = 1, /* a malformed request, or no memory for it */
  stage_fork = 2,    /* pipe() or fork() in the spawner */
  stage_terminal = 3, /* setsid, opening the far side, making it the controlling terminal */
  stage_cwd = 4,     /* chdir to the working folder */
  stage_exec = 5,    /* execvp */
};

/** Requests larger than this are a broken host, not a big environment (Linux's ARG_MAX is 2 MB). */
enum { max_request = 64 * 1024 * 1024 };

struct child {
  pid_t pid;
  uint32_t id;
};

static struct child *children;
static size_t child_count, child_capacity;

/** The SIGCHLD handler's way into poll(): one byte per signal, read and dropped by the loop. */
static int wake[2] = {-1, -1};

static void put32(unsigned char *at, uint32_t value) {
  at[0] = (unsigned char)(value >> 24);
  at[1] = (unsigned char)(value >> 16);
  at[2] = (unsigned char)(value >> 8);
  at[3] = (unsigned char)value;
}

static uint32_t get32(const unsigned char *at) {
  return ((uint32_t)at[0] << 24) | ((uint32_t)at[1] << 16) | ((uint32_t)at[2] << 8) | (uint32_t)at[3];
}

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

static void set_cloexec(int fd) {
  int flags = fcntl(fd, F_GETFD);
  if (flags >= 0) fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
}

static void set_nonblocking(int fd) {
  int flags = fcntl(fd, F_GETFL);
  if (flags >= 0) fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

/**
 * Closes every descriptor above stderr that came from the host. node-pty leaves its masters
 * inheritable (node-pty issue #657), so without this every program started here would hold the
 * masters of the terminals open when the spawner started.
 */
static void close_inherited(void) {
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

/** Keeps 0, 1 and 2 taken, so no pipe or terminal opened later lands there and is lost to a dup2. */
static void hold_stdio(void) {
  for (int fd = 0; fd <= 2; fd++) {
    if (fcntl(fd, F_GETFD) >= 0) continue;
    int null = open("/dev/null", O_RDWR);
    if (null >= 0 && null != fd) {
      dup2(null, fd);
      close(null);
    }
  }
}

static void on_child(int signal_number) {
  (void)signal_number;
  int saved = errno;
  ssize_t ignored = write(wake[1], "", 1);
  (void)ignored; /* A full pipe already holds a wake-up. */
  errno = saved;
}

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

/** In the child: tells the spawner what failed, through the close-on-exec pipe, and ends. */
static void child_fail(int pipe_fd, enum stage stage) {
  int failure[2] = {(int)stage, errno};
  ssize_t ignored = write(pipe_fd, failure, sizeof failure);
  (void)ignored;
  _exit(127);
}

static void run_child(int pipe_fd, const char *pts, const char *cwd, const char *file, char **argv, char **envp) {
  /* Signals as a fresh program expects them: the spawner's handler and ignored SIGPIPE are not its. */
  struct sigaction fresh;
  memset(&fresh, 0, sizeof fresh);
  fresh.sa_handler = SIG_DFL;
  sigemptyset(&fresh.sa_mask);
  for (int number = 1; number < NSIG; number++) sigaction(number, &fresh, NULL);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);

  if (setsid() < 0) child_fail(pipe_fd, stage_terminal);
  int terminal = open(pts, O_RDWR);
  if (terminal < 0) child_fail(pipe_fd, stage_terminal);
  if (ioctl(terminal, TIOCSCTTY, 0) < 0) child_fail(pipe_fd, stage_terminal);
  struct termios term;
  node_pty_termios(&term);
  if (tcsetattr(terminal, TCSANOW, &term) < 0) child_fail(pipe_fd, stage_terminal);
  for (int fd = 0; fd <= 2; fd++)
    if (dup2(terminal, fd) < 0) child_fail(pipe_fd, stage_terminal);
  if (terminal > 2) close(terminal);

  if (cwd[0] != '\0' && chdir(cwd) < 0) child_fail(pipe_fd, stage_cwd);
  /* execvp searches the PATH of `environ`: the program's own environment, as node-pty does. */
  environ = envp;
  execvp(file, argv);
  child_fail(pipe_fd, stage_exec);
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
 * Forks and execs one program, waiting (as posix_spawn does) until the exec has happened or the
 * child said why it could not: a missing program or folder is then a clear failure, never an exit
 * status the program could also have given.
 */
static void spawn_program(uint32_t id, const char *pts, const char *cwd, const char *file, char **argv, char **envp) {
  int pipe_fds[2];
  if (pipe(pipe_fds) < 0) {
    report_failure(id, stage_fork, errno);
    return;
  }
  set_cloexec(pipe_fds[0]);
  set_cloexec(pipe_fds[1]);

  /* Blocked across fork: no handler of the spawner's may run in the child before it resets them. */
  sigset_t all, before;
  sigfillset(&all);
  sigprocmask(SIG_SETMASK, &all, &before);
  pid_t pid = fork();
  if (pid == 0) {
    close(pipe_fds[0]);
    run_child(pipe_fds[1], pts, cwd, file, argv, envp);
  }
  int fork_error = errno;
  sigprocmask(SIG_SETMASK, &before, NULL);
  close(pipe_fds[1]);
  if (pid < 0) {
    close(pipe_fds[0]);
    report_failure(id, stage_fork, fork_error);
    return;
  }

  int failure[2];
  size_t got = 0;
  while (got < sizeof failure) {
    ssize_t read_now = read(pipe_fds[0], (char *)failure + got, sizeof failure - got);
    if (read_now < 0 && errno == EINTR) continue;
    if (read_now <= 0) break;
    got += (size_t)read_now;
  }
  close(pipe_fds[0]);
  if (got == sizeof failure) {
    int status;
    wait_for(pid, &status);
    report_failure(id, (enum stage)failure[0], failure[1]);
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
  if (argc != 1) {
    fprintf(stderr, "usage: %s [--protocol]  (run by Photon's pty host, which speaks to it on stdin and stdout)\n", argv[0]);
    return 2;
  }
  hold_stdio();
  close_inherited();
  signal(SIGPIPE, SIG_IGN);
  if (pipe(wake) < 0) {
    perror("photon-pty-spawner: pipe");
    return 1;
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

  struct input in = {NULL, 0, 0};
  for (;;) {
    struct pollfd watched[2] = {{STDIN_FILENO, POLLIN, 0}, {wake[0], POLLIN, 0}};
    if (poll(watched, 2, -1) < 0) {
      if (errno == EINTR) continue;
      perror("photon-pty-spawner: poll");
      return 1;
    }
    if (watched[1].revents & POLLIN) {
      char drained[64];
      while (read(wake[0], drained, sizeof drained) > 0) continue;
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

/*
 * photon-pty-spawner --host: the pty host itself, in C. The engine (terminals/pty-host.ts) speaks
 * to it as to pty-host-main.js, the Node host it replaces where this is built: no Node process sits
 * between the engine and the ptys. Issue 17 measured that hop as the largest part of what Photon
 * adds: about 10 ms of the host's CPU per MB of a terminal's flood, and 1 ms of a processor and two
 * wake-ups on every link of a chain of steps, besides a Node start-up on every `photon run`.
 *
 * Protocol (pty-host.ts and pty-host-main.js are the other sides): frames on stdin and stdout,
 * [length u32 BE][type u8][terminal id u32 BE][payload], `length` counting the type, the id and the
 * payload. Integers are big-endian.
 *   engine -> host
 *     1 spawn: [cols u32][rows u32][folders u32][args u32][set u32][unset u32], then NUL-terminated
 *       strings: the program, its folder, the folders to make, its arguments, the variables it sets
 *       (NAME=value) and those it unsets (NAME), both as changes to the environment of frame 6.
 *     2 write: bytes for the program.   3 resize: [cols u32][rows u32].   4 pause, 5 resume: none.
 *     6 environment: NAME=value strings, each NUL-terminated: the base of every spawn's environment.
 *   host -> engine
 *     1 spawned: [pid u32].   2 data: the output as read (a UTF-8 character may be cut).
 *     3 exit: [exit code i32][signal i32].   4 failed: the reason, UTF-8 text in the user's words.
 *
 * What the Node host learned and this one keeps (pty-host-main.js and pty-spawner-client.js say why):
 * the far side is held open until the leader's exit is reaped, so a program that closes its stdio
 * before it exits never hangs its terminal up early; then the master is read until EIO, or for at
 * most 200 ms when something else holds the far side, and only then is the exit reported, after the
 * last of the output. Output goes in frames of at most 32 KB, gathered over up to 2 ms after the
 * first; past 1 MB the engine has not read, every terminal stops being read until it has all gone;
 * a terminal the engine paused is not read until resumed; what the program does not read is written
 * again 2 ms later, in order; the frames of one turn of the loop go in one write; the host ends when
 * its stdin does (the masters close, the terminals hang up). Folders are made (0700) before the
 * program starts, which starts as the spawner starts it (vfork, exec; pty-spawner-child.c), in a pty
 * opened ahead when there is one (pty-spawner-ptys.c). What a start needs (folders, environment,
 * the words of a failure) is in pty-spawner-program.c, and how the loop waits in pty-spawner-poll.c.
 */
#define _DEFAULT_SOURCE   /* glibc: clock_gettime, TIOCSWINSZ */
#define _DARWIN_C_SOURCE

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
#include <time.h>
#include <unistd.h>

#include "pty-spawner-host.h"
#include "pty-spawner.h"


enum { to_host_spawn = 1, to_host_write = 2, to_host_resize = 3, to_host_pause = 4, to_host_resume = 5, to_host_environment = 6 };
enum { to_engine_spawned = 1, to_engine_data = 2, to_engine_exit = 3, to_engine_failed = 4 };

/** A frame's output, at most (pty-host-main.js outputFrameBytes says why this much). */
enum { frame_bytes = 32 * 1024 };
/** How long output is gathered into one frame after the first of it (pty-host-main.js outputIntervalMs). */
static const double output_interval_ms = 2;
/** Unsent past this, no terminal is read until the engine has read it all (pty-host-main.js maxBacklog). */
enum { max_backlog = 1024 * 1024 };
/** How long after its leader's exit a terminal's output may take to end (pty-spawner-client.js endGraceMs). */
static const double end_grace_ms = 200;
/** How soon a write the terminal had no room for is tried again (pty-spawner-client.js writeRetryMs). */
static const double write_retry_ms = 2;
/** What one drain of a master reads at most: the cap only guards against a writer that never stops. */
enum { drain_cap = 1024 * 1024 };

struct chunk {
  struct chunk *next;
  size_t length, at;
  unsigned char data[];
};

struct terminal {
  uint32_t id;
  pid_t pid;
  int master, slave; /* -1 once closed */
  int paused;        /* by the engine (its views' flow control) */
  int exited, exit_code, exit_signal;
  int output_ended;
  double end_deadline;   /* 0: none */
  double write_deadline; /* 0: none */
  struct chunk *writes, *last_write;
  /* Which program, for the words of a failure. */
};

static struct terminal **terminals;
static size_t terminal_count, terminal_capacity;

/** Bytes for the engine not yet written to stdout. */
static unsigned char *outbound;
static size_t outbound_length, outbound_capacity;
static int backlogged;
/** The pipe to the engine was full at the last write: the next waits until poll says it has room. */
static int stdout_full;

/** Output read and not yet put in a frame: frames of data, one after the other (same id: one frame). */
static unsigned char staged[frame_bytes + 64 * 9];
static size_t staged_length, staged_data;
static size_t staged_frame_at; /* where the last frame's head is, for a read of the same terminal to extend it */
static uint32_t staged_frame_id;
static int staged_has_frame;
static double output_deadline; /* 0: none */
/** Exits reported so far (a turn that reported one opens a spare pty once its frames are written). */
static unsigned long exits_reported;
static double last_output_sent = -1e9;

/** The base environment (frame 6), as NAME=value strings in one block. */
static char *base_block;
static char **base_env;
static size_t base_count;

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1000.0 + (double)t.tv_nsec / 1e6;
}

static void *must_grow(void *memory, size_t size) {
  void *grown = realloc(memory, size);
  if (!grown) {
    fprintf(stderr, "photon-pty-spawner: out of memory\n");
    exit(1);
  }
  return grown;
}

static void outbound_append(const unsigned char *data, size_t length) {
  if (outbound_length + length > outbound_capacity) {
    size_t capacity = outbound_capacity ? outbound_capacity : 65536;
    while (capacity < outbound_length + length) capacity *= 2;
    outbound = must_grow(outbound, capacity);
    outbound_capacity = capacity;
  }
  memcpy(outbound + outbound_length, data, length);
  outbound_length += length;
}

/**
 * Writes what it can of the outbound bytes now; the engine gone ends this host. A write the pipe
 * took only part of says it is full: no other is tried (each a system call) until poll says it has
 * room again.
 */
static void flush_outbound(void) {
  size_t at = 0;
  while (at < outbound_length && !stdout_full) {
    ssize_t written = write(STDOUT_FILENO, outbound + at, outbound_length - at);
    if (written < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        stdout_full = 1;
        break;
      }
      exit(0); /* The engine stopped reading: nothing here has anyone to report to. */
    }
    at += (size_t)written;
    if (at < outbound_length) stdout_full = 1;
  }
  memmove(outbound, outbound + at, outbound_length - at);
  outbound_length -= at;
  if (outbound_length > max_backlog) backlogged = 1;
  else if (outbound_length == 0) backlogged = 0;
  /* Small frees are not worth it; a flood's backlog is given back once it has gone. */
  if (outbound_length == 0 && outbound_capacity > 4 * 1024 * 1024) {
    free(outbound);
    outbound = NULL;
    outbound_capacity = 0;
  }
}

/** The output staged goes into the outbound bytes (written as the loop's turn ends). */
static void send_output(void) {
  output_deadline = 0;
  if (staged_length == 0) return;
  last_output_sent = now_ms();
  outbound_append(staged, staged_length);
  staged_length = 0;
  staged_data = 0;
  staged_has_frame = 0;
}

static void frame_head(unsigned char *head, uint32_t payload_length, int type, uint32_t id) {
  put32(head, 5 + payload_length);
  head[4] = (unsigned char)type;
  put32(head + 5, id);
}

/** A report other than output: what the terminals printed before it goes first. */
static void send_report(int type, uint32_t id, const unsigned char *payload, size_t length) {
  send_output();
  unsigned char head[9];
  frame_head(head, (uint32_t)length, type, id);
  outbound_append(head, 9);
  if (length > 0) outbound_append(payload, length);
}

static void send_failed(uint32_t id, const char *message) {
  send_report(to_engine_failed, id, (const unsigned char *)message, strlen(message));
}

/** Room for output in the frame being gathered (0: send it first). */
static size_t output_room(void) {
  return frame_bytes - staged_data;
}

/** Adds `length` bytes, read into `data`, to terminal `id`'s output. */
static void stage_output(uint32_t id, const unsigned char *data, size_t length) {
  while (length > 0) {
    if (output_room() == 0) send_output();
    size_t take = length < output_room() ? length : output_room();
    if (!staged_has_frame || staged_frame_id != id) {
      staged_frame_at = staged_length;
      frame_head(staged + staged_length, 0, to_engine_data, id);
      staged_length += 9;
      staged_frame_id = id;
      staged_has_frame = 1;
    }
    memcpy(staged + staged_length, data, take);
    staged_length += take;
    staged_data += take;
    put32(staged + staged_frame_at, (uint32_t)(staged_length - staged_frame_at - 4));
    data += take;
    length -= take;
  }
  /* A whole frame has nothing to wait for. */
  if (output_room() == 0) send_output();
  if (staged_length == 0 || output_deadline != 0) return;
  double wait = last_output_sent + output_interval_ms - now_ms();
  if (wait <= 0) send_output();
  else output_deadline = now_ms() + wait;
}

/* Room for 64 frame heads beside the output: a read of another terminal than the last one's starts
 * a frame. Past that the output gathered is sent early (only ever with many terminals printing bytes). */
static void stage_read_guard(void) {
  if (staged_length - staged_data + 9 > 64 * 9) send_output();
}

static struct terminal *find_terminal(uint32_t id) {
  for (size_t i = 0; i < terminal_count; i++)
    if (terminals[i]->id == id) return terminals[i];
  return NULL;
}

static void drop_writes(struct terminal *terminal) {
  while (terminal->writes) {
    struct chunk *next = terminal->writes->next;
    free(terminal->writes);
    terminal->writes = next;
  }
  terminal->last_write = NULL;
  terminal->write_deadline = 0;
}

static void forget(struct terminal *terminal) {
  for (size_t i = 0; i < terminal_count; i++) {
    if (terminals[i] != terminal) continue;
    terminals[i] = terminals[--terminal_count];
    break;
  }
  drop_writes(terminal);
  close_fd(&terminal->slave);
  close_fd(&terminal->master);
  free(terminal);
}

/** Not to be read now: the engine paused it, or the engine has too much unread. */
static int held_back(const struct terminal *terminal) {
  return terminal->paused || backlogged;
}

/** Reads what the master has, into the frames; returns 1 at its end (EIO or end of file), 0 when it has nothing now (or `cap` was read). */
static int read_master(struct terminal *terminal, size_t cap) {
  size_t total = 0;
  for (;;) {
    stage_read_guard();
    if (output_room() == 0) send_output();
    unsigned char buffer[frame_bytes];
    size_t room = output_room();
    ssize_t got = read(terminal->master, buffer, room);
    if (got > 0) {
      stage_output(terminal->id, buffer, (size_t)got);
      total += (size_t)got;
      /* One read a wake-up, as the loop goes: a drain reads on to its end. */
      if (cap == 0 || total >= cap) return 0;
      continue;
    }
    if (got < 0 && errno == EINTR) continue;
    if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return 0;
    return 1; /* EIO: the far side is closed and everything it wrote is read. */
  }
}

/** The leader has exited and its output is all read (or its grace is over): the exit is reported. */
static void finish(struct terminal *terminal) {
  unsigned char payload[8];
  put32(payload, (uint32_t)terminal->exit_code);
  put32(payload + 4, (uint32_t)terminal->exit_signal);
  uint32_t id = terminal->id;
  forget(terminal);
  send_report(to_engine_exit, id, payload, 8);
  exits_reported++;
}

static void end_of_output(struct terminal *terminal) {
  terminal->output_ended = 1;
  close_fd(&terminal->master);
  if (terminal->exited) finish(terminal);
}

static void exited(struct terminal *terminal, int status) {
  terminal->exited = 1;
  terminal->exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 0;
  terminal->exit_signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
  close_fd(&terminal->slave);
  if (terminal->output_ended) {
    finish(terminal);
    return;
  }
  /* Read to its end at once, where nothing else holds the far side; not while held back. */
  if (!held_back(terminal) && read_master(terminal, drain_cap) && terminal->master >= 0) {
    terminal->output_ended = 1;
    finish(terminal);
    return;
  }
  terminal->end_deadline = now_ms() + end_grace_ms;
}

static void reap(void) {
  int status;
  pid_t pid;
  while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
    for (size_t i = 0; i < terminal_count; i++) {
      if (terminals[i]->pid != pid || terminals[i]->exited) continue;
      exited(terminals[i], status);
      break;
    }
  }
}

static void flush_writes(struct terminal *terminal) {
  terminal->write_deadline = 0;
  while (terminal->writes && terminal->master >= 0) {
    struct chunk *head = terminal->writes;
    ssize_t written = write(terminal->master, head->data + head->at, head->length - head->at);
    if (written < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) terminal->write_deadline = now_ms() + write_retry_ms;
      else drop_writes(terminal); /* EIO: the program is gone, and its input with it. */
      return;
    }
    head->at += (size_t)written;
    if (head->at < head->length) continue;
    terminal->writes = head->next;
    if (!terminal->writes) terminal->last_write = NULL;
    free(head);
  }
}

static void write_to(struct terminal *terminal, const unsigned char *data, size_t length) {
  if (terminal->master < 0 || length == 0) return;
  struct chunk *chunk = must_grow(NULL, sizeof *chunk + length);
  chunk->next = NULL;
  chunk->length = length;
  chunk->at = 0;
  memcpy(chunk->data, data, length);
  if (terminal->last_write) terminal->last_write->next = chunk;
  else terminal->writes = chunk;
  terminal->last_write = chunk;
  if (terminal->writes == chunk) flush_writes(terminal);
}

/* --- starting a program ------------------------------------------------------------------- */

static void send_start_failure(uint32_t id, enum stage stage, int error, const char *file, const char *cwd, const char *search_path) {
  char *message = start_failure_message(stage, error, file, cwd, search_path);
  send_failed(id, message ? message : "cannot start a program: Photon's terminal host is out of memory");
  free(message);
}

static void remember(struct terminal *terminal) {
  if (terminal_count == terminal_capacity) {
    terminal_capacity = terminal_capacity ? terminal_capacity * 2 : 64;
    terminals = must_grow(terminals, terminal_capacity * sizeof *terminals);
  }
  terminals[terminal_count++] = terminal;
}

/** A request of another shape than this host's: a build of other sources (never with a current one). */
static void refuse(uint32_t id) {
  send_failed(id, "cannot start a program: Photon's terminal host refused the request; the engine and the host disagree on the protocol");
}

static void spawn(uint32_t id, unsigned char *body, size_t length) {
  if (length < 24 || body[length - 1] != '\0') {
    refuse(id);
    return;
  }
  uint32_t cols = get32(body), rows = get32(body + 4);
  uint32_t folders = get32(body + 8), args = get32(body + 12), sets = get32(body + 16), unsets = get32(body + 20);
  char *strings = (char *)body + 24;
  size_t size = length - 24;
  size_t count = 2 + (size_t)folders + args + sets + unsets;
  if (folders > size || args > size || sets > size || unsets > size || count > size) {
    refuse(id);
    return;
  }
  char **fields = must_grow(NULL, count * sizeof *fields);
  size_t at = 0, i = 0;
  for (; i < count && at < size; i++) {
    fields[i] = strings + at;
    at += strlen(strings + at) + 1;
  }
  if (i != count || at != size) {
    free(fields);
    refuse(id);
    return;
  }
  const char *file = fields[0], *cwd = fields[1];
  char **folder_list = fields + 2, **arg_list = folder_list + folders, **set_list = arg_list + args, **unset_list = set_list + sets;

  for (uint32_t f = 0; f < folders; f++) {
    if (make_folders(folder_list[f]) == 0) continue;
    const char *reason = strerror(errno);
    char *message = must_grow(NULL, strlen(folder_list[f]) + strlen(reason) + 64);
    sprintf(message, "cannot make its folder %s: %s", folder_list[f], reason);
    send_failed(id, message);
    free(message);
    free(fields);
    return;
  }

  /* The environment: the base, its changes, then PWD and TERM as node-pty sets them. */
  char **envp = must_grow(NULL, (base_count + sets + 3) * sizeof *envp);
  size_t envc = 0;
  for (size_t e = 0; e < base_count; e++) envp[envc++] = base_env[e];
  for (uint32_t s = 0; s < sets; s++) set_entry(envp, &envc, set_list[s]);
  for (uint32_t u = 0; u < unsets; u++) {
    size_t name_length = strlen(unset_list[u]);
    for (size_t e = 0; e < envc; e++) {
      if (strncmp(envp[e], unset_list[u], name_length) != 0 || envp[e][name_length] != '=') continue;
      memmove(envp + e, envp + e + 1, (envc - e - 1) * sizeof *envp);
      envc--;
      break;
    }
  }
  char *pwd = must_grow(NULL, strlen(cwd) + 5);
  sprintf(pwd, "PWD=%s", cwd);
  set_entry(envp, &envc, pwd);
  set_entry(envp, &envc, "TERM=xterm-256color");
  envp[envc] = NULL;
  char **argv = must_grow(NULL, ((size_t)args + 2) * sizeof *argv);
  argv[0] = (char *)file;
  for (uint32_t a = 0; a < args; a++) argv[a + 1] = arg_list[a];
  argv[args + 1] = NULL;

  struct pty pty;
  struct winsize size_of_window = {(unsigned short)rows, (unsigned short)cols, 0, 0};
  int opened = take_pty(&pty);
  if (opened < 0 || ioctl(pty.master, TIOCSWINSZ, &size_of_window) < 0) {
    const char *reason = strerror(errno);
    char *message = must_grow(NULL, strlen(file) + strlen(reason) + 64);
    sprintf(message, "cannot open a terminal for %s: %s", file, reason);
    if (opened == 0) close_pty(&pty);
    send_failed(id, message);
    free(message);
    goto done;
  }
  int master = pty.master, slave = pty.slave;

  struct child_failure failure = {0, 0};
  pid_t pid = start_child(&failure, pty.path, cwd, file, argv, envp);
  int fork_error = errno;
  const char *search_path = lookup(envp, envc, "PATH");
  if (pid < 0 || failure.stage != 0) {
    close(master);
    close(slave);
    if (pid > 0) {
      int status;
      while (waitpid(pid, &status, 0) < 0 && errno == EINTR) continue;
    }
    send_start_failure(id, pid < 0 ? stage_fork : (enum stage)failure.stage, pid < 0 ? fork_error : failure.error, file, cwd, search_path);
    goto done;
  }
  struct terminal *terminal = must_grow(NULL, sizeof *terminal);
  memset(terminal, 0, sizeof *terminal);
  terminal->id = id;
  terminal->pid = pid;
  terminal->master = master;
  terminal->slave = slave;
  remember(terminal);
  unsigned char payload[4];
  put32(payload, (uint32_t)pid);
  send_report(to_engine_spawned, id, payload, 4);
done:
  free(pwd);
  free(argv);
  free(envp);
  free(fields);
}

static void set_environment(unsigned char *body, size_t length) {
  free(base_block);
  free(base_env);
  base_block = must_grow(NULL, length + 1);
  memcpy(base_block, body, length);
  base_block[length] = '\0';
  base_count = 0;
  for (size_t at = 0; at < length; at += strlen(base_block + at) + 1) base_count++;
  base_env = must_grow(NULL, (base_count + 1) * sizeof *base_env);
  size_t i = 0;
  for (size_t at = 0; at < length; at += strlen(base_block + at) + 1) base_env[i++] = base_block + at;
}

static void handle(int type, uint32_t id, unsigned char *payload, size_t length) {
  if (type == to_host_environment) {
    set_environment(payload, length);
    return;
  }
  if (type == to_host_spawn) {
    spawn(id, payload, length);
    return;
  }
  struct terminal *terminal = find_terminal(id);
  if (!terminal) return; /* Exited meanwhile: what was meant for it has nowhere to go. */
  if (type == to_host_write) write_to(terminal, payload, length);
  else if (type == to_host_resize && length >= 8 && terminal->master >= 0) {
    struct winsize size = {(unsigned short)get32(payload + 4), (unsigned short)get32(payload), 0, 0};
    ioctl(terminal->master, TIOCSWINSZ, &size);
  } else if (type == to_host_pause) terminal->paused = 1;
  else if (type == to_host_resume) terminal->paused = 0;
}

struct input {
  unsigned char *data;
  size_t length, capacity;
};

/** Reads what stdin has and handles every whole frame; returns 0 once stdin has closed. */
static int read_requests(struct input *in) {
  if (in->capacity - in->length < 65536) {
    in->capacity = in->capacity ? in->capacity * 2 : 131072;
    in->data = must_grow(in->data, in->capacity);
  }
  ssize_t got = read(STDIN_FILENO, in->data + in->length, in->capacity - in->length);
  if (got == 0) return 0;
  if (got < 0) return errno == EINTR || errno == EAGAIN ? 1 : 0;
  in->length += (size_t)got;
  size_t at = 0;
  while (in->length - at >= 9) {
    uint32_t length = get32(in->data + at);
    if (length < 5 || length > 256u * 1024 * 1024) {
      fprintf(stderr, "photon-pty-spawner --host: a frame of %u bytes: the engine and the host disagree on the protocol\n", length);
      exit(2);
    }
    if (in->length - at - 4 < length) {
      size_t needed = at + 4 + (size_t)length + 65536;
      if (needed > in->capacity) {
        in->data = must_grow(in->data, needed);
        in->capacity = needed;
      }
      break;
    }
    handle(in->data[at + 4], get32(in->data + at + 5), in->data + at + 9, length - 5);
    at += 4 + (size_t)length;
  }
  memmove(in->data, in->data + at, in->length - at);
  in->length -= at;
  return 1;
}

/** Timers that are due: output gathered long enough, writes to try again, graces over. */
static void run_timers(void) {
  double now = now_ms();
  if (output_deadline != 0 && output_deadline <= now) send_output();
  for (size_t i = 0; i < terminal_count;) {
    struct terminal *terminal = terminals[i];
    if (terminal->write_deadline != 0 && terminal->write_deadline <= now) flush_writes(terminal);
    if (terminal->end_deadline != 0 && terminal->end_deadline <= now) {
      if (terminal->master >= 0) read_master(terminal, drain_cap);
      finish(terminal); /* Takes it out of the list: the same index holds another now. */
      continue;
    }
    i++;
  }
}

static int poll_timeout(void) {
  double next = output_deadline;
  double spares_close = spares_close_at();
  if (spares_close != 0 && (next == 0 || spares_close < next)) next = spares_close;
  for (size_t i = 0; i < terminal_count; i++) {
    double deadlines[2] = {terminals[i]->write_deadline, terminals[i]->end_deadline};
    for (int d = 0; d < 2; d++)
      if (deadlines[d] != 0 && (next == 0 || deadlines[d] < next)) next = deadlines[d];
  }
  if (next == 0) return -1;
  double wait = next - now_ms();
  if (wait <= 0) return 0;
  return (int)wait + 1;
}

int host_main(void) {
  int child_wake = start_loop_process();
  if (child_wake < 0) return 1;
  set_nonblocking(STDOUT_FILENO);

  struct input in = {NULL, 0, 0};
  struct pollfd *watched = NULL;
  struct terminal **watched_terminals = NULL;
  size_t watched_capacity = 0;
  for (;;) {
    unsigned long exits_before = exits_reported;
    if (watched_capacity < terminal_count + 3) {
      watched_capacity = (terminal_count + 3) * 2;
      watched = must_grow(watched, watched_capacity * sizeof *watched);
      watched_terminals = must_grow(watched_terminals, watched_capacity * sizeof *watched_terminals);
    }
    nfds_t count = 0;
    watched[count++] = (struct pollfd){STDIN_FILENO, POLLIN, 0};
    watched[count++] = (struct pollfd){child_wake, POLLIN, 0};
    watched[count++] = (struct pollfd){STDOUT_FILENO, stdout_full ? POLLOUT : 0, 0};
    for (size_t i = 0; i < terminal_count; i++) {
      struct terminal *terminal = terminals[i];
      if (terminal->master < 0 || held_back(terminal) || terminal->output_ended) continue;
      watched_terminals[count] = terminal;
      watched[count++] = (struct pollfd){terminal->master, POLLIN, 0};
    }
    if (wait_for_events(watched, count, poll_timeout()) < 0 && errno != EINTR) {
      perror("photon-pty-spawner: poll");
      return 1;
    }
    if (watched[2].revents & (POLLOUT | POLLERR | POLLHUP)) stdout_full = 0;
    /* Output first, then exits: an exit reaped in this turn follows the output read in it. */
    for (nfds_t i = 3; i < count; i++) {
      if (!(watched[i].revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL))) continue;
      struct terminal *terminal = watched_terminals[i];
      if (find_terminal(terminal->id) != terminal || terminal->master < 0 || held_back(terminal)) continue;
      if (read_master(terminal, 0)) end_of_output(terminal);
    }
    if (watched[1].revents & POLLIN) {
      drain_child_wakes();
      reap();
    }
    if (watched[0].revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL)) {
      /* The engine is gone: so is everything started here (the masters close, the terminals hang up). */
      if (!read_requests(&in)) {
        close_spares();
        return 0;
      }
      reap();
    }
    run_timers();
    /* Everything of this turn in one write. */
    flush_outbound();
    tend_spares(exits_reported != exits_before, terminal_count, now_ms());
  }
}

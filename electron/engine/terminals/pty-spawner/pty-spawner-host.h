/*
 * What the parts of photon-pty-spawner --host share (pty-spawner-host.c has the whole story): its
 * pseudo-terminals (pty-spawner-ptys.c), what a program's start needs (pty-spawner-program.c) and
 * how it waits (pty-spawner-poll.c).
 */
#ifndef PHOTON_PTY_SPAWNER_HOST_H
#define PHOTON_PTY_SPAWNER_HOST_H

#include <poll.h>
#include <stddef.h>

#include "pty-spawner.h"

/** A pseudo-terminal, both sides open in this host (close-on-exec), the master non-blocking. */
struct pty {
  int master, slave;
  char path[128];
};

/** A spare when there is one, else a new pty (0, or -1 with errno set). */
int take_pty(struct pty *pty);
void close_pty(struct pty *pty);
void close_spares(void);
/**
 * At a turn's end, its frames written: a spare opened after an exit (`reported_exit`), and closed
 * once no terminal has run for a while.
 */
void tend_spares(int reported_exit, size_t terminals_running, double now);
/** When the spares close if no terminal starts meanwhile (0: none), for the loop's timeout. */
double spares_close_at(void);

/** Makes `path` and its missing parents, each 0700 (as mkdir -p with that mode). */
int make_folders(char *path);
/** The value of NAME in `env` (NAME=value strings), or NULL. */
const char *lookup(char **env, size_t count, const char *name);
/** Sets `entry` (NAME=value) in `env`, replacing the same NAME in place. */
void set_entry(char **env, size_t *count, char *entry);
/**
 * What the user reads when a program could not start (pty-spawner-client.js failureMessage says
 * the same), to free; NULL without memory for it.
 */
char *start_failure_message(enum stage stage, int error, const char *file, const char *cwd, const char *search_path);

/** poll(), or select() where poll() does not watch a pty (macOS), reporting as poll does. */
int wait_for_events(struct pollfd *watched, nfds_t count, int timeout_ms);

#endif

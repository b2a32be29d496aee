/*
 * What the pty host needs to start a program (pty-spawner-host.c has the whole story): its folders
 * made, its environment put together, and, when it could not start, why, in the user's words.
 */
#define _DEFAULT_SOURCE
#define _DARWIN_C_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pty-spawner-host.h"

/** Makes `path` and its missing parents, each 0700 (as mkdir -p with that mode). */
int make_folders(char *path) {
  struct stat seen;
  if (stat(path, &seen) == 0) return S_ISDIR(seen.st_mode) ? 0 : (errno = ENOTDIR, -1);
  for (char *slash = path + 1; *slash; slash++) {
    if (*slash != '/') continue;
    *slash = '\0';
    int made = mkdir(path, 0700);
    int error = errno;
    *slash = '/';
    if (made < 0 && error != EEXIST) {
      errno = error;
      return -1;
    }
  }
  if (mkdir(path, 0700) < 0 && errno != EEXIST) return -1;
  if (stat(path, &seen) < 0) return -1;
  if (!S_ISDIR(seen.st_mode)) return errno = ENOTDIR, -1;
  return 0;
}

/** The value of NAME in `env` (NAME=value strings), or NULL. */
const char *lookup(char **env, size_t count, const char *name) {
  size_t length = strlen(name);
  for (size_t i = 0; i < count; i++)
    if (env[i] && strncmp(env[i], name, length) == 0 && env[i][length] == '=') return env[i] + length + 1;
  return NULL;
}

/** Sets `entry` (NAME=value) in `env`, replacing the same NAME in place. */
void set_entry(char **env, size_t *count, char *entry) {
  size_t name_length = strcspn(entry, "=");
  for (size_t i = 0; i < *count; i++) {
    if (env[i] && strncmp(env[i], entry, name_length) == 0 && env[i][name_length] == '=') {
      env[i] = entry;
      return;
    }
  }
  env[(*count)++] = entry;
}

/**
 * The program's path, found as execvp finds it, when it is a script whose #! line names an
 * interpreter that is not there (exec then fails with ENOENT, as for a missing program); NULL else.
 * Written to `path` and `interpreter`.
 */
static int script_without_interpreter(const char *program, const char *cwd, const char *search_path, char *path, size_t path_size, char *interpreter, size_t interpreter_size) {
  int has_slash = strchr(program, '/') != NULL;
  const char *folders = has_slash ? "" : (search_path ? search_path : "/bin:/usr/bin");
  const char *folder = folders;
  for (;;) {
    size_t folder_length = strcspn(folder, ":");
    if (program[0] == '/') snprintf(path, path_size, "%s", program);
    else if (folder_length > 0 && folder[0] == '/') snprintf(path, path_size, "%.*s/%s", (int)folder_length, folder, program);
    else if (folder_length > 0) snprintf(path, path_size, "%s/%.*s/%s", cwd, (int)folder_length, folder, program);
    else snprintf(path, path_size, "%s/%s", cwd, program);
    int fd = open(path, O_RDONLY);
    if (fd >= 0) {
      char head[257];
      ssize_t got = read(fd, head, 256);
      close(fd);
      if (got < 0) got = 0;
      head[got] = '\0';
      if (got < 2 || head[0] != '#' || head[1] != '!') return 0;
      char *start = head + 2;
      start[strcspn(start, "\n")] = '\0';
      start += strspn(start, " \t");
      size_t length = strcspn(start, " \t");
      if (length == 0) return 0;
      snprintf(interpreter, interpreter_size, "%.*s", (int)length, start);
      if (access(interpreter, X_OK) == 0) return 0;
      if (has_slash) snprintf(path, path_size, "%s", program);
      return 1;
    }
    if (folder[folder_length] == '\0') return 0;
    folder += folder_length + 1;
  }
}

char *start_failure_message(enum stage stage, int error, const char *file, const char *cwd, const char *search_path) {
  size_t size = 3 * PATH_MAX + 512 + (search_path ? strlen(search_path) : 0);
  char *message = malloc(size);
  if (!message) return NULL;
  if (stage == stage_exec && error == ENOENT) {
    char path[PATH_MAX + 1], interpreter[257];
    if (script_without_interpreter(file, cwd, search_path, path, sizeof path, interpreter, sizeof interpreter)) {
      if (strcmp(path, file) == 0) snprintf(message, size, "cannot start %s: the interpreter its #! line names, %s, is not there", file, interpreter);
      else snprintf(message, size, "cannot start %s (%s): the interpreter its #! line names, %s, is not there", file, path, interpreter);
      return message;
    }
    if (!strchr(file, '/')) {
      snprintf(message, size, "cannot start %s: no such program on its PATH (%s)", file, search_path ? search_path : "PATH is not set");
      return message;
    }
  }
  const char *reason = strerror(error);
  if (stage == stage_exec) snprintf(message, size, "cannot start %s: %s", file, reason);
  else if (stage == stage_cwd) snprintf(message, size, "cannot start %s in %s: %s", file, cwd, reason);
  else if (stage == stage_terminal) snprintf(message, size, "cannot give %s its terminal: %s", file, reason);
  else if (stage == stage_fork) snprintf(message, size, "cannot start %s: Photon's pty spawner could not fork (%s)", file, reason);
  else snprintf(message, size, "cannot start %s: Photon's terminal host refused the request (%s); the engine and the host disagree on the protocol", file, reason);
  return message;
}

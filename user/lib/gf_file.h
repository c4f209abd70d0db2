/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Input files read as a copy, never mapped: a file that someone rewrites
 * in place while the agent reads it (`cp new.mmdb country.mmdb` truncates
 * the inode a mapping of it would point into) gives a short or mixed copy,
 * which the parsers refuse as damaged, instead of a SIGBUS that ends the
 * agent.  The next change notification reads the finished file.
 */
#ifndef GF_FILE_H
#define GF_FILE_H

#include <stddef.h>

/* The bytes of the open file fd, to its end, into *buf (malloc'ed; NUL after them). 0 or -errno. */
int gf_file_read_fd(int fd, char **buf, size_t *len);
/*
 * A copy of path in an anonymous memory file (memfd), for libraries that
 * open by name: /proc/self/fd/N.  *fd to close.  0 or -errno.
 */
int gf_file_snapshot(const char *path, int *fd, size_t *len);

#endif

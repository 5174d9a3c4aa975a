/**
 * @file file_path.h
 * @brief The directory part of a path, as the atomic writer
 *        (atomic_file.c, which defines it) and the scenario reader (for a
 *        policy_file beside the scenario) both need it.  Internal.
 */
#ifndef BOPLACE_FILE_PATH_H
#define BOPLACE_FILE_PATH_H

/* The directory of path, newly allocated: "." when path has no '/', "/"
 * for a file in the root, else everything before the last '/'. */
char *bp_directory_of(const char *path);
/* The last part of path: everything after the last '/'. */
const char *bp_base_name(const char *path);

#endif

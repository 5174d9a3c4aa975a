/**
 * @file command_line.c
 * @brief What every command line says on wrong usage (command.h): one way
 *        of writing it, so that `boplace` and each subcommand read alike.
 */
#include <stdio.h>

#include "boplace.h"
#include "command.h"

int bp_command_usage(const char *program, const char *message,
                     const char *detail) {
  fprintf(stderr, "%s: %s%s\n", program, message, detail ? detail : "");
  fprintf(stderr, "Try '%s --help'.\n", program);
  return BP_USAGE;
}

/**
 * @file command.h
 * @brief Subcommands that live in their own files and parse their own
 *        arguments (argv[0] is the command's name).  main.c dispatches to
 *        them from its table; each returns a process exit status (SPEC.md:
 *        0 done, 1 usage, 2 invalid input, 3 failure).  Also the one
 *        message of wrong usage that main.c and every command share.
 */
#ifndef BOPLACE_COMMAND_H
#define BOPLACE_COMMAND_H

/* Each command: int bp_command_NAME(int argc, char **argv); */

/** Wrong usage, said alike by every command: "PROGRAM: MESSAGEDETAIL" and
 *  "Try 'PROGRAM --help'." on stderr (detail may be NULL); returns
 *  BP_USAGE.  PROGRAM is "boplace" or "boplace NAME" (command_line.c). */
int bp_command_usage(const char *program, const char *message,
                     const char *detail);

/** `boplace compare CASE_DIR SCENARIO.json...`: baseline against what-if
 *  scenarios, side by side (command_compare.c). */
int bp_command_compare(int argc, char **argv);
/** `boplace accept OUT_DIR --case CASE_DIR`: record accepted proposals in
 *  CASE_DIR/history.csv (command_accept.c). */
int bp_command_accept(int argc, char **argv);
/** `boplace history CASE_DIR`: the accepted placements week by week
 *  (command_history.c). */
int bp_command_history(int argc, char **argv);
/** `boplace report OUT_DIR [--lang en|da]`: render report.html again from
 *  OUT_DIR/summary.json (command_report.c). */
int bp_command_report(int argc, char **argv);

#endif

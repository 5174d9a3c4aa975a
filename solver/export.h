/**
 * @file export.h
 * @brief Writing the model for other solvers, and the atomic file writer
 *        that every output of boplace goes through.
 */
#ifndef BOPLACE_EXPORT_H
#define BOPLACE_EXPORT_H

#include "boplace.h"

/** Writes the model of a case: FILE.dat (MathProg data for
 *  models/boplace.mod), FILE.lp (CPLEX LP) or FILE.mps (free MPS). */
bp_status bp_export(const bp_case *kase, const bp_derived *derived,
                    const char *path, bp_diagnostics *diag);

/** Writes a whole file atomically: a temporary file in the same directory,
 *  fsync, rename.  Readers see the old file or the new one, never a mix.
 *  The file is created readable by its owner only (it may hold personal
 *  data). */
bp_status bp_write_file_atomically(const char *path, const char *data,
                                   size_t length, bp_diagnostics *diag);

/** Creates path (it must not exist) with mode 0600, writes data and flushes
 *  it to disk.  Not atomic by itself: for a directory no reader sees yet,
 *  such as output_dir.c's staging directory, which is swapped in whole. */
bp_status bp_write_file_whole(const char *path, const char *data,
                              size_t length, bp_diagnostics *diag);

#endif

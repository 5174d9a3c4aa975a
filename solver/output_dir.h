/**
 * @file output_dir.h
 * @brief Replacing a run's output directory all at once (output_dir.c).
 */
#ifndef BOPLACE_OUTPUT_DIR_H
#define BOPLACE_OUTPUT_DIR_H

#include "boplace.h"

typedef struct {
  const char *name; /**< file name within the output directory */
  const char *data;
  size_t length;
} bp_output_file;

/** Puts the files into out_dir so that a reader (or a crash) sees either
 *  the previous set of outputs or this one, never a mix: a staging
 *  directory beside out_dir, swapped in with one rename.  out_dir is created
 *  (mode 0700) when missing; its parent must exist.  Files are mode 0600.
 *  Other files in out_dir are never touched: with any present, the outputs
 *  are renamed into place one by one instead (each still atomic). */
bp_status bp_replace_outputs(const char *out_dir, const bp_output_file *files,
                             size_t n, bp_diagnostics *diag);

#endif

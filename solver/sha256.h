/**
 * @file sha256.h
 * @brief SHA-256 (FIPS 180-4), for the input-file hashes of the run record.
 *
 * The run record names every input file with the hash of its bytes, so that
 * a proposal can later be tied to exactly the data it came from.  Files are
 * hashed while they are read (read_csv.c streams them), hence the streaming
 * interface beside the one-call bp_sha256_hex().
 */
#ifndef BOPLACE_SHA256_H
#define BOPLACE_SHA256_H

#include <stddef.h>
#include <stdint.h>

/** A hash in progress: feed it with bp_sha256_update, then finish it. */
typedef struct {
  uint32_t state[8];
  uint64_t length;          /**< bytes hashed so far */
  unsigned char block[64];  /**< the block being filled */
  size_t used;              /**< bytes in block */
} bp_sha256;

void bp_sha256_init(bp_sha256 *hash);
void bp_sha256_update(bp_sha256 *hash, const void *data, size_t length);
/** Finishes the hash and writes 64 lowercase hex digits and a NUL. */
void bp_sha256_final_hex(bp_sha256 *hash, char out[65]);

/** The lowercase hex SHA-256 of data[0..length). */
void bp_sha256_hex(const unsigned char *data, size_t length, char out[65]);

#endif

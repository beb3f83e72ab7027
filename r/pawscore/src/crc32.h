/* CRC-32 of the AWS event-stream framing (crc32.c).  Free of R's headers: the
 * Python runtime's C accelerator (python/native/) compiles the same crc32.c. */

#ifndef PAWSCORE_CRC32_H
#define PAWSCORE_CRC32_H

#include <stddef.h>
#include <stdint.h>

/* Builds the tables and picks the PCLMULQDQ path when the CPU has it; call once
 * at load time, before any other function here. */
void pawscore_crc32_init(void);
/* The CRC of buf, continuing from crc (0 to start), as zlib's crc32(). */
uint32_t pawscore_crc32(uint32_t crc, const unsigned char *buf, size_t len);
/* The same, forcing the portable table path when tables is non-zero (for tests). */
uint32_t pawscore_crc32_with(uint32_t crc, const unsigned char *buf, size_t len, int tables);

#endif

/* CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), as used by the AWS
 * event-stream framing.  Slicing-by-8: eight lookup tables let the inner loop
 * fold 8 input bytes per step instead of one, several times faster than the
 * byte-at-a-time table on the large payloads that dominate streaming data. */

#include <stddef.h>
#include <stdint.h>

#include "pawscore.h"

static uint32_t crc_table[8][256];
static int crc_ready = 0;

void pawscore_crc32_init(void) {
  if (crc_ready) return;
  for (uint32_t n = 0; n < 256; n++) {
    uint32_t c = n;
    for (int k = 0; k < 8; k++) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    crc_table[0][n] = c;
  }
  for (uint32_t n = 0; n < 256; n++) {
    uint32_t c = crc_table[0][n];
    for (int t = 1; t < 8; t++) {
      c = crc_table[0][c & 0xFF] ^ (c >> 8);
      crc_table[t][n] = c;
    }
  }
  crc_ready = 1;
}

uint32_t pawscore_crc32(uint32_t crc, const unsigned char *buf, size_t len) {
  crc = ~crc;
  /* Bytes are combined explicitly (not via a uint64 load) so the result does
   * not depend on the machine's endianness or alignment rules. */
  while (len >= 8) {
    uint32_t lo = crc ^ ((uint32_t) buf[0] | (uint32_t) buf[1] << 8 |
                         (uint32_t) buf[2] << 16 | (uint32_t) buf[3] << 24);
    uint32_t hi = (uint32_t) buf[4] | (uint32_t) buf[5] << 8 |
                  (uint32_t) buf[6] << 16 | (uint32_t) buf[7] << 24;
    crc = crc_table[7][lo & 0xFF] ^ crc_table[6][(lo >> 8) & 0xFF] ^
          crc_table[5][(lo >> 16) & 0xFF] ^ crc_table[4][lo >> 24] ^
          crc_table[3][hi & 0xFF] ^ crc_table[2][(hi >> 8) & 0xFF] ^
          crc_table[1][(hi >> 16) & 0xFF] ^ crc_table[0][hi >> 24];
    buf += 8;
    len -= 8;
  }
  while (len--) crc = crc_table[0][(crc ^ *buf++) & 0xFF] ^ (crc >> 8);
  return ~crc;
}

/* CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), as used by the AWS
 * event-stream framing.
 *
 * Portable path: slicing-by-16, sixteen lookup tables (16 KiB, inside L1) that
 * fold 16 input bytes per step with independent lookups.
 * x86-64 path, when the CPU has PCLMULQDQ (checked at load time): carry-less
 * multiplication folds 64 bytes per step, several times faster again, so the
 * checksum stops dominating the decoding of large payloads. */

#include <stddef.h>
#include <stdint.h>

#include "crc32.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define PAWSCORE_HAVE_CLMUL 1
#endif

static uint32_t crc_table[16][256];
static int crc_ready = 0;
static int crc_clmul = 0;

void pawscore_crc32_init(void) {
  if (crc_ready) return;
  for (uint32_t n = 0; n < 256; n++) {
    uint32_t c = n;
    for (int k = 0; k < 8; k++) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    crc_table[0][n] = c;
  }
  for (uint32_t n = 0; n < 256; n++) {
    uint32_t c = crc_table[0][n];
    for (int t = 1; t < 16; t++) {
      c = crc_table[0][c & 0xFF] ^ (c >> 8);
      crc_table[t][n] = c;
    }
  }
#ifdef PAWSCORE_HAVE_CLMUL
  __builtin_cpu_init();
  crc_clmul = __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse2");
#endif
  crc_ready = 1;
}

static uint32_t le32(const unsigned char *b) {
  return (uint32_t) b[0] | (uint32_t) b[1] << 8 | (uint32_t) b[2] << 16 | (uint32_t) b[3] << 24;
}

/* The "raw" functions work on the CRC register without the initial and final
 * inversion, so they can be chained. */
static uint32_t raw_tables(uint32_t crc, const unsigned char *buf, size_t len) {
  const uint32_t(*t)[256] = (const uint32_t(*)[256]) crc_table;
  /* Words are assembled byte by byte (not loaded as uint32) so the result does
   * not depend on the machine's endianness or alignment rules; compilers turn
   * this into plain loads on little-endian machines. */
  while (len >= 16) {
    uint32_t a = crc ^ le32(buf);
    uint32_t b = le32(buf + 4);
    uint32_t c = le32(buf + 8);
    uint32_t d = le32(buf + 12);
    crc = t[15][a & 0xFF] ^ t[14][(a >> 8) & 0xFF] ^ t[13][(a >> 16) & 0xFF] ^ t[12][a >> 24] ^
          t[11][b & 0xFF] ^ t[10][(b >> 8) & 0xFF] ^ t[9][(b >> 16) & 0xFF] ^ t[8][b >> 24] ^
          t[7][c & 0xFF] ^ t[6][(c >> 8) & 0xFF] ^ t[5][(c >> 16) & 0xFF] ^ t[4][c >> 24] ^
          t[3][d & 0xFF] ^ t[2][(d >> 8) & 0xFF] ^ t[1][(d >> 16) & 0xFF] ^ t[0][d >> 24];
    buf += 16;
    len -= 16;
  }
  while (len--) crc = t[0][(crc ^ *buf++) & 0xFF] ^ (crc >> 8);
  return crc;
}

#ifdef PAWSCORE_HAVE_CLMUL
/* Folding, in the reflected bit order of this CRC: a 128-bit block X = H x^64 + L
 * that has n more bits after it satisfies X x^n = H x^(n+64) + L x^n (mod P), so
 * it can be replaced by H (x^(n+64) mod P) + L (x^n mod P), a value of under 128
 * bits that is XORed into the block n bits later.  A carry-less product of two
 * reflected 64-bit operands comes out multiplied by x, so the constants are
 * x^(n+63) mod P and x^(n-1) mod P, bit-reflected into the upper half of a
 * 64-bit operand.  n = 512 for the four-block main loop, n = 128 to merge
 * blocks.  What is left is one 16-byte block with the same CRC as everything
 * folded into it, which the tables finish.  Tested against zlib on every
 * length up to several KiB (test-eventstream.R, tests/eventstream). */
#define FOLD_512_HI 0x653d982200000000ULL /* x^575 mod P */
#define FOLD_512_LO 0xcad38e8f00000000ULL /* x^511 mod P */
#define FOLD_128_HI 0x65673b4600000000ULL /* x^191 mod P */
#define FOLD_128_LO 0x9ba54c6f00000000ULL /* x^127 mod P */

__attribute__((target("pclmul,sse2"))) static __m128i fold(__m128i x, __m128i k, __m128i next) {
  __m128i hi = _mm_clmulepi64_si128(x, k, 0x00);
  __m128i lo = _mm_clmulepi64_si128(x, k, 0x11);
  return _mm_xor_si128(_mm_xor_si128(hi, lo), next);
}

__attribute__((target("pclmul,sse2"))) static uint32_t raw_clmul(uint32_t crc,
                                                                 const unsigned char *buf,
                                                                 size_t len) {
  const __m128i k512 = _mm_set_epi64x((long long) FOLD_512_LO, (long long) FOLD_512_HI);
  const __m128i k128 = _mm_set_epi64x((long long) FOLD_128_LO, (long long) FOLD_128_HI);
  __m128i x0 = _mm_loadu_si128((const __m128i *) buf);
  __m128i x1 = _mm_loadu_si128((const __m128i *) (buf + 16));
  __m128i x2 = _mm_loadu_si128((const __m128i *) (buf + 32));
  __m128i x3 = _mm_loadu_si128((const __m128i *) (buf + 48));
  x0 = _mm_xor_si128(x0, _mm_cvtsi32_si128((int) crc));
  buf += 64;
  len -= 64;
  while (len >= 64) {
    x0 = fold(x0, k512, _mm_loadu_si128((const __m128i *) buf));
    x1 = fold(x1, k512, _mm_loadu_si128((const __m128i *) (buf + 16)));
    x2 = fold(x2, k512, _mm_loadu_si128((const __m128i *) (buf + 32)));
    x3 = fold(x3, k512, _mm_loadu_si128((const __m128i *) (buf + 48)));
    buf += 64;
    len -= 64;
  }
  x0 = fold(x0, k128, x1);
  x0 = fold(x0, k128, x2);
  x0 = fold(x0, k128, x3);
  while (len >= 16) {
    x0 = fold(x0, k128, _mm_loadu_si128((const __m128i *) buf));
    buf += 16;
    len -= 16;
  }
  unsigned char rest[16];
  _mm_storeu_si128((__m128i *) rest, x0);
  return raw_tables(raw_tables(0, rest, 16), buf, len);
}
#endif

uint32_t pawscore_crc32_with(uint32_t crc, const unsigned char *buf, size_t len, int tables) {
#ifdef PAWSCORE_HAVE_CLMUL
  if (crc_clmul && !tables && len >= 64) return ~raw_clmul(~crc, buf, len);
#endif
  (void) tables;
  return ~raw_tables(~crc, buf, len);
}

uint32_t pawscore_crc32(uint32_t crc, const unsigned char *buf, size_t len) {
  return pawscore_crc32_with(crc, buf, len, 0);
}

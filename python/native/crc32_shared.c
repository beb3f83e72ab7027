/* The R package's CRC-32 (r/pawscore/src/crc32.c), compiled into pawscore._native.
 *
 * One implementation for both runtimes: the build puts r/pawscore/src on the
 * include path (python/setup.py), so this file compiles that one, unchanged. */

#include "crc32.c"

#ifndef PAWSCORE_H
#define PAWSCORE_H

#include <stddef.h>
#include <stdint.h>

#include <Rinternals.h>

void pawscore_crc32_init(void);
uint32_t pawscore_crc32(uint32_t crc, const unsigned char *buf, size_t len);
uint32_t pawscore_crc32_with(uint32_t crc, const unsigned char *buf, size_t len, int tables);

SEXP pawscore_es_decode(SEXP buf, SEXP offset);
SEXP pawscore_es_crc32(SEXP buf, SEXP tables);
SEXP pawscore_es_events(SEXP messages, SEXP plan);

#endif

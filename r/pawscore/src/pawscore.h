#ifndef PAWSCORE_H
#define PAWSCORE_H

#include <stddef.h>
#include <stdint.h>

#include <Rinternals.h>

#include "crc32.h"

SEXP pawscore_es_decode(SEXP buf, SEXP offset);
SEXP pawscore_es_crc32(SEXP buf, SEXP tables);
SEXP pawscore_es_events(SEXP messages, SEXP plan);

#endif

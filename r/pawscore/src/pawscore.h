#ifndef PAWSCORE_H
#define PAWSCORE_H

#include <stddef.h>
#include <stdint.h>

#include <Rinternals.h>
#include <R_ext/Rdynload.h>

#include "crc32.h"

SEXP pawscore_es_decode(SEXP buf, SEXP offset);
SEXP pawscore_es_crc32(SEXP buf, SEXP tables);
SEXP pawscore_es_events(SEXP messages, SEXP plan);

/* Events built in C from decoded frames (events.c). */
typedef struct {
  SEXP types, members, sources;
  SEXP last_headers;
  R_xlen_t last_type;
  SEXP type_names;
  PROTECT_INDEX tidx;
} pawscore_event_plan;
void pawscore_event_plan_init(pawscore_event_plan *p, SEXP plan);
SEXP pawscore_event_from(pawscore_event_plan *p, SEXP headers, SEXP payload);
SEXP pawscore_es_decode_events(SEXP parts, SEXP offset, SEXP plan);
SEXP pawscore_es_call_each(SEXP fn, SEXP events, SEXP values, SEXP progress, SEXP env);
SEXP pawscore_wait_fds(SEXP reads, SEXP writes, SEXP exceptions, SEXP seconds);

/* Payloads as windows on the read that brought them (slices.c).  Payloads
 * up to SLICE_MIN_BYTES are copied: R keeps vectors of up to 128 bytes in its
 * own pools, cheaper than a slice's two objects, and a bound on the size keeps
 * what one payload can hold of its read small (see slices.c). */
#define SLICE_MIN_BYTES 512
void pawscore_slice_init(DllInfo *dll);
SEXP pawscore_slice(SEXP read, size_t offset, size_t length);
int pawscore_is_slice(SEXP x);
SEXP pawscore_slice_state(SEXP x);

#endif

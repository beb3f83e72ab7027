#include <R.h>
#include <R_ext/Rdynload.h>
#include <Rinternals.h>

#include "pawscore.h"

static const R_CallMethodDef call_methods[] = {
  {"pawscore_es_decode", (DL_FUNC) &pawscore_es_decode, 2},
  {"pawscore_es_crc32", (DL_FUNC) &pawscore_es_crc32, 2},
  {"pawscore_es_events", (DL_FUNC) &pawscore_es_events, 2},
  {"pawscore_es_decode_events", (DL_FUNC) &pawscore_es_decode_events, 3},
  {"pawscore_es_call_each", (DL_FUNC) &pawscore_es_call_each, 5},
  {"pawscore_wait_fds", (DL_FUNC) &pawscore_wait_fds, 4},
  {"pawscore_slice_state", (DL_FUNC) &pawscore_slice_state, 1},
  {NULL, NULL, 0}
};

void R_init_pawscore(DllInfo *dll) {
  pawscore_crc32_init();
  pawscore_slice_init(dll);
  R_registerRoutines(dll, NULL, call_methods, NULL, NULL);
  R_useDynamicSymbols(dll, FALSE);
  R_forceSymbols(dll, TRUE);
}

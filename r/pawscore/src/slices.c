/* Event payloads that are windows on the network read that brought them.
 *
 * A 1 KiB payload copied into its own raw vector is, to R, a "large" vector:
 * one malloc(), one write to cold memory, and one free() at a later garbage
 * collection, for every event.  A slice is instead an ALTREP raw vector (two
 * small R objects) that reads its bytes in place from the read (`data1`), at
 * the offset and length held in `data2` (a double vector c(offset, length)).
 *
 * Only reads that nothing outside the decoder can reach are sliced (the
 * response sink's reads, never a vector a caller passed in), and the slices
 * of a read cover disjoint bytes; so a writable pointer into the read changes
 * that payload alone, as it would with a copy.  R itself never writes to a
 * shared vector (it duplicates it first, into a plain raw vector), and a
 * serialized slice is written as a plain raw vector.
 *
 * A slice keeps its whole read alive: curl hands the body over in reads of
 * at most 16 KiB, and payloads of up to SLICE_MIN_BYTES are copied, so a
 * payload kept on its own holds at most 32 times its size.  (R's reference
 * counts are too coarse to tell, after a callback, which payloads it kept.) */

#include <R.h>
#include <Rinternals.h>
/* After Rinternals.h, which Altrep.h needs. */
#include <R_ext/Altrep.h>
#include <R_ext/Rdynload.h>
#include <string.h>

#include "pawscore.h"

static R_altrep_class_t slice_class;

/* Slices made since the package was loaded (for tests). */
static double slices_made = 0;

static R_xlen_t slice_length(SEXP x) {
  return (R_xlen_t) REAL(R_altrep_data2(x))[1];
}

static const Rbyte *slice_bytes(SEXP x) {
  return RAW(R_altrep_data1(x)) + (R_xlen_t) REAL(R_altrep_data2(x))[0];
}

static void *slice_dataptr(SEXP x, Rboolean writeable) {
  (void) writeable; /* the bytes are this payload's alone (see above) */
  return (void *) slice_bytes(x);
}

static const void *slice_dataptr_or_null(SEXP x) {
  return slice_bytes(x);
}

static Rbyte slice_elt(SEXP x, R_xlen_t i) {
  return slice_bytes(x)[i];
}

static R_xlen_t slice_get_region(SEXP x, R_xlen_t i, R_xlen_t n, Rbyte *buf) {
  R_xlen_t len = slice_length(x);
  R_xlen_t take = i >= len ? 0 : (len - i < n ? len - i : n);
  if (take > 0) memcpy(buf, slice_bytes(x) + i, (size_t) take);
  return take;
}

static Rboolean slice_inspect(SEXP x, int pre, int deep, int pvec,
                              void (*inspect_subtree)(SEXP, int, int, int)) {
  (void) pre;
  (void) deep;
  (void) pvec;
  (void) inspect_subtree;
  Rprintf(" pawscore payload (%.0f bytes at %.0f of a %.0f-byte read)\n",
          (double) slice_length(x), REAL(R_altrep_data2(x))[0],
          (double) XLENGTH(R_altrep_data1(x)));
  return TRUE;
}

void pawscore_slice_init(DllInfo *dll) {
  slice_class = R_make_altraw_class("payload_slice", "pawscore", dll);
  R_set_altrep_Length_method(slice_class, slice_length);
  R_set_altrep_Inspect_method(slice_class, slice_inspect);
  R_set_altvec_Dataptr_method(slice_class, slice_dataptr);
  R_set_altvec_Dataptr_or_null_method(slice_class, slice_dataptr_or_null);
  R_set_altraw_Elt_method(slice_class, slice_elt);
  R_set_altraw_Get_region_method(slice_class, slice_get_region);
}

SEXP pawscore_slice(SEXP read, size_t offset, size_t length) {
  SEXP where = PROTECT(Rf_allocVector(REALSXP, 2));
  REAL(where)[0] = (double) offset;
  REAL(where)[1] = (double) length;
  SEXP x = R_new_altrep(slice_class, read, where);
  UNPROTECT(1);
  slices_made++;
  return x;
}

int pawscore_is_slice(SEXP x) {
  return TYPEOF(x) == RAWSXP && ALTREP(x) && R_altrep_inherits(x, slice_class);
}

/* For tests: whether `x` is a slice, and the number of slices made so far. */
SEXP pawscore_slice_state(SEXP x) {
  SEXP out = PROTECT(Rf_allocVector(VECSXP, 2));
  SET_VECTOR_ELT(out, 0, Rf_ScalarLogical(pawscore_is_slice(x)));
  SET_VECTOR_ELT(out, 1, Rf_ScalarReal(slices_made));
  UNPROTECT(1);
  return out;
}

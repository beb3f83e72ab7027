/* Events from decoded messages, the common cases in C (R/events.R has the
 * rules; this file only takes the cases it can answer exactly the same way).
 *
 * The R side turns the event-stream shape into a plan once per call
 * (event_plan() in R/events.R): the event types whose members are all taken
 * from the frame as they are -- the raw payload (an `event_payload` blob) or a
 * header value (`event_header`) -- with, per type, the member names in model
 * order and where each comes from.  Every other message (exceptions, errors,
 * JSON members, anything unusual) is left to message_to_event() in R.
 *
 * The decoder (eventstream.c) calls pawscore_event_from() on each frame as it
 * decodes it, so a read's events are built in the same .Call that decodes it. */

#include <R.h>
#include <Rinternals.h>
#include <string.h>

#include "pawscore.h"

/* The element of named list `x` called `name`, or NULL (R's x[[name]]). */
static SEXP named_elt(SEXP x, const char *name) {
  SEXP names = Rf_getAttrib(x, R_NamesSymbol);
  if (TYPEOF(names) != STRSXP) return R_NilValue;
  R_xlen_t n = XLENGTH(names);
  for (R_xlen_t i = 0; i < n; i++) {
    if (strcmp(CHAR(STRING_ELT(names, i)), name) == 0) return VECTOR_ELT(x, i);
  }
  return R_NilValue;
}

/* Give the fresh list `x` (no attributes yet) the names `names`, as
 * names(x) <- names would, without that path's checks: `names` is a
 * character vector as long as `x`, made not mutable by the caller so it can
 * be shared.  Each object gets its own attribute pairlist, since R may
 * change a pairlist in place when one object's attributes change. */
static void set_names(SEXP x, SEXP names) {
  SEXP attr = PROTECT(Rf_cons(names, R_NilValue));
  SET_TAG(attr, R_NamesSymbol);
  SET_ATTRIB(x, attr);
  UNPROTECT(1);
}

static int is_string(SEXP x) {
  return TYPEOF(x) == STRSXP && XLENGTH(x) == 1 && STRING_ELT(x, 0) != NA_STRING;
}

void pawscore_event_plan_init(pawscore_event_plan *p, SEXP plan) {
  if (TYPEOF(plan) != VECSXP || XLENGTH(plan) != 3) {
    Rf_error("internal error: bad event plan");
  }
  p->types = VECTOR_ELT(plan, 0);
  p->members = VECTOR_ELT(plan, 1);
  p->sources = VECTOR_ELT(plan, 2);
  p->last_headers = R_NilValue;
  p->last_type = -1;
  /* The caller keeps plan_init's protection balanced: one slot, reused. */
  PROTECT_WITH_INDEX(p->type_names = R_NilValue, &p->tidx);
}

/* The event for a message (headers: the decoder's named list, payload: raw),
 * or R_NilValue when message_to_event() must answer (exceptions, errors,
 * unknown or non-text event types, JSON members, unreadable header values).
 * The result is not protected. */
SEXP pawscore_event_from(pawscore_event_plan *p, SEXP headers, SEXP payload) {
  R_xlen_t t = -1;
  if (headers == p->last_headers) {
    /* Frames of a stream share their header list: remember the last answer. */
    t = p->last_type;
  } else {
    /* As message_to_event(): only text "exception"/"error" are special; a
     * missing, empty or non-text event type is left to R (which skips it). */
    SEXP kind = named_elt(headers, ":message-type");
    SEXP event_type = named_elt(headers, ":event-type");
    int plain = kind == R_NilValue || !is_string(kind) ||
                (strcmp(CHAR(STRING_ELT(kind, 0)), "exception") != 0 &&
                 strcmp(CHAR(STRING_ELT(kind, 0)), "error") != 0);
    if (plain && is_string(event_type)) {
      const char *name = CHAR(STRING_ELT(event_type, 0));
      R_xlen_t n_types = XLENGTH(p->types);
      for (R_xlen_t k = 0; k < n_types; k++) {
        if (strcmp(CHAR(STRING_ELT(p->types, k)), name) == 0) {
          t = k;
          break;
        }
      }
    }
    p->last_headers = headers;
    p->last_type = t;
    if (t >= 0) {
      REPROTECT(p->type_names = Rf_ScalarString(STRING_ELT(p->types, t)), p->tidx);
      MARK_NOT_MUTABLE(p->type_names);
    }
  }
  if (t < 0) return R_NilValue;
  SEXP names = VECTOR_ELT(p->members, t);
  SEXP from = VECTOR_ELT(p->sources, t);
  R_xlen_t m = XLENGTH(names);
  /* A header member that is absent is left out; when all are there (the
   * usual case) the plan's member names serve as the names, shared. */
  R_xlen_t present = 0;
  for (R_xlen_t j = 0; j < m; j++) {
    SEXP src = STRING_ELT(from, j);
    SEXP v = src == NA_STRING ? payload : named_elt(headers, CHAR(src));
    if (v != R_NilValue) present++;
    /* A header value R cannot hold arrives as an "es_unreadable" list:
     * reading it is an error, which R raises. */
    if (TYPEOF(v) == VECSXP) return R_NilValue;
  }
  SEXP value = PROTECT(Rf_allocVector(VECSXP, present));
  if (present == m) MARK_NOT_MUTABLE(names);
  SEXP value_names = present == m ? names : Rf_allocVector(STRSXP, present);
  PROTECT(value_names);
  if (present != m) MARK_NOT_MUTABLE(value_names);
  for (R_xlen_t j = 0, k = 0; j < m; j++) {
    SEXP src = STRING_ELT(from, j);
    SEXP v = src == NA_STRING ? payload : named_elt(headers, CHAR(src));
    if (v == R_NilValue) continue;
    SET_VECTOR_ELT(value, k, v);
    if (present != m) SET_STRING_ELT(value_names, k, STRING_ELT(names, j));
    k++;
  }
  set_names(value, value_names);
  SEXP event = PROTECT(Rf_allocVector(VECSXP, 1));
  SET_VECTOR_ELT(event, 0, value);
  set_names(event, p->type_names);
  UNPROTECT(3);
  return event;
}

/* `messages`: list of list(headers, payload) from the decoder.  `plan`:
 * list(types = character, members = list of character, sources = list of
 * character), where sources[[t]][[m]] is NA for the payload and the header
 * name otherwise.  Returns list(events, slow): events[[i]] is the event for
 * message i, or NULL; slow holds the (1-based) indices of the messages that
 * message_to_event() must handle, in order.  A message with no
 * `:event-type` header is also left to R. */
SEXP pawscore_es_events(SEXP messages, SEXP plan) {
  if (TYPEOF(messages) != VECSXP) {
    Rf_error("internal error: bad arguments to pawscore_es_events");
  }
  pawscore_event_plan p;
  pawscore_event_plan_init(&p, plan);
  R_xlen_t n = XLENGTH(messages);
  SEXP events = PROTECT(Rf_allocVector(VECSXP, n));
  int *slow = (int *) R_alloc((size_t) n + 1, sizeof(int));
  R_xlen_t n_slow = 0;
  for (R_xlen_t i = 0; i < n; i++) {
    SEXP msg = VECTOR_ELT(messages, i);
    SEXP event = pawscore_event_from(&p, VECTOR_ELT(msg, 0), VECTOR_ELT(msg, 1));
    if (event == R_NilValue) {
      slow[n_slow++] = (int) (i + 1);
    } else {
      SET_VECTOR_ELT(events, i, event);
    }
  }
  SEXP slow_idx = PROTECT(Rf_allocVector(INTSXP, n_slow));
  if (n_slow) memcpy(INTEGER(slow_idx), slow, (size_t) n_slow * sizeof(int));
  SEXP out = PROTECT(Rf_allocVector(VECSXP, 2));
  SET_VECTOR_ELT(out, 0, events);
  SET_VECTOR_ELT(out, 1, slow_idx);
  SEXP out_names = PROTECT(Rf_allocVector(STRSXP, 2));
  SET_STRING_ELT(out_names, 0, Rf_mkChar("events"));
  SET_STRING_ELT(out_names, 1, Rf_mkChar("slow"));
  Rf_setAttrib(out, R_NamesSymbol, out_names);
  UNPROTECT(5); /* and plan_init's slot */
  return out;
}

/* Run `fn` on each event of `events`, in order, as `on_event` callbacks run:
 * a non-NULL result is stored in `values` (a list as long as `events`, made
 * by the caller for this call alone and filled in place) and `progress[1]`
 * counts the callbacks that returned; returns how many results were not
 * NULL.  An error or condition from `fn`
 * unwinds out of this loop; the caller then reads `progress` to know where
 * the stream stopped.  One R call object serves every event. */
SEXP pawscore_es_call_each(SEXP fn, SEXP events, SEXP values, SEXP progress, SEXP env) {
  if (!Rf_isFunction(fn) || TYPEOF(events) != VECSXP || TYPEOF(values) != VECSXP ||
      XLENGTH(values) != XLENGTH(events) || TYPEOF(progress) != INTSXP ||
      XLENGTH(progress) != 1 || TYPEOF(env) != ENVSXP) {
    Rf_error("internal error: bad arguments to pawscore_es_call_each");
  }
  R_xlen_t n = XLENGTH(events);
  int *done = INTEGER(progress);
  int kept = 0;
  SEXP call = PROTECT(Rf_lang2(fn, R_NilValue));
  for (R_xlen_t i = 0; i < n; i++) {
    SETCADR(call, VECTOR_ELT(events, i));
    SEXP value = Rf_eval(call, env);
    if (value != R_NilValue) {
      SET_VECTOR_ELT(values, i, value);
      kept++;
    }
    done[0] = (int) (i + 1);
  }
  UNPROTECT(1);
  return Rf_ScalarInteger(kept);
}

/* Waiting for curl's sockets: R's curl package can only wait inside
 * multi_run(), which runs its own loop for up to a second; the transfer
 * loops in R/http.R and R/concurrent.R wait here instead, so a read that
 * arrives ends the wait at once and a quiet wait costs no CPU. */

#include <R.h>
#include <Rinternals.h>
#include <math.h>
#include <poll.h>

#include "pawscore.h"

static int add_fds(struct pollfd *fds, int n, SEXP list, short events) {
  for (R_xlen_t i = 0; i < XLENGTH(list); i++) {
    int fd = INTEGER(list)[i];
    int k = 0;
    while (k < n && fds[k].fd != fd) k++;
    if (k == n) {
      fds[n].fd = fd;
      fds[n].events = 0;
      fds[n].revents = 0;
      n++;
    }
    fds[k].events |= events;
  }
  return n;
}

/* Wait until one of the descriptors (integer vectors, as curl::multi_fdset()
 * gives them) is ready, or `seconds` have passed (rounded up to whole
 * milliseconds).  Returns TRUE when one is ready. */
SEXP pawscore_wait_fds(SEXP reads, SEXP writes, SEXP exceptions, SEXP seconds) {
  if (TYPEOF(reads) != INTSXP || TYPEOF(writes) != INTSXP || TYPEOF(exceptions) != INTSXP) {
    Rf_error("internal error: descriptors must be integer vectors");
  }
  double wait = Rf_asReal(seconds);
  int ms = ISNAN(wait) || wait <= 0 ? 0 : (int) ceil(fmin(wait, 3600.0) * 1000.0);
  R_xlen_t cap = XLENGTH(reads) + XLENGTH(writes) + XLENGTH(exceptions);
  struct pollfd *fds = (struct pollfd *) R_alloc((size_t) cap + 1, sizeof(struct pollfd));
  int n = 0;
  n = add_fds(fds, n, reads, POLLIN);
  n = add_fds(fds, n, writes, POLLOUT);
  n = add_fds(fds, n, exceptions, POLLPRI);
  int ready = poll(fds, (nfds_t) n, ms);
  return Rf_ScalarLogical(ready > 0);
}

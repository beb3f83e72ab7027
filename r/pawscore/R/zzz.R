# Package load hook.

# Functions are lazy-loaded: each is read from the package database the first
# time it is used. A call touches most of them, so they are read now, while
# the package loads, and the first call does not pay for it. Likewise a
# young-generation collection of what loading allocated: otherwise the first
# call triggers it (about 20 ms in a fresh session). It only visits objects
# made since the last collection, so it stays cheap in a large session.
.onLoad <- function(libname, pkgname) {
  ns <- parent.env(environment())
  for (name in ls(ns, all.names = TRUE)) get(name, envir = ns, inherits = FALSE)
  gc(verbose = FALSE, full = FALSE)
  invisible()
}

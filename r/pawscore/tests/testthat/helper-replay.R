# A replaying transport: recorded emulator responses (data/recorded.json, written by
# scripts/sync_r_test_data.py --record) served through pawscore's transport seam,
# option `pawscore.replay` (see R/http.R), in pieces of `piece` bytes, so the client
# decodes frames that arrive split at every kind of boundary.

recordings <- local({
  cache <- NULL
  function() {
    if (is.null(cache)) cache <<- read_test_json("recorded.json")
    cache
  }
})

split_raw <- function(bytes, piece) {
  if (!length(bytes)) return(list())
  starts <- seq(1L, length(bytes), by = piece)
  lapply(starts, function(s) bytes[s:min(s + piece - 1L, length(bytes))])
}

# Serve the named recordings, one per request, in order, for the rest of the calling
# test. Returns an environment whose `requests` holds the requests the client sent.
local_replay <- function(..., piece = 7L, .env = parent.frame()) {
  names <- c(...)
  seen <- new.env(parent = emptyenv())
  seen$requests <- list()
  replay <- function(request) {
    i <- length(seen$requests) + 1L
    if (i > length(names)) stop("replay: no recording left for ", request$url)
    seen$requests[[i]] <- request
    rec <- recordings()[[names[[i]]]]
    if (is.null(rec)) stop("replay: no recording named ", names[[i]])
    list(
      status = rec$status,
      headers = rec$headers,
      chunks = split_raw(jsonlite::base64_dec(rec$body), piece),
      failure = rec$failure
    )
  }
  withr::local_options(pawscore.replay = replay, .local_envir = .env)
  seen
}

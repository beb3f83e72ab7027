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

# An InvokeComplete event frame, the last of a Lambda stream.
complete_frame <- function() {
  es_encode_message(
    list(":event-type" = "InvokeComplete", ":content-type" = "application/json",
         ":message-type" = "event"),
    "{}"
  )
}

# Serve `chunks` (a list of raw vectors) as the body of every request.
local_body <- function(chunks, .env = parent.frame()) {
  headers <- paste0(
    "HTTP/1.1 200 OK\r\nContent-Type: application/vnd.amazon.eventstream\r\n",
    "X-Amz-Executed-Version: $LATEST\r\n\r\n"
  )
  replay <- function(request) {
    list(status = 200L, headers = headers, chunks = chunks, failure = NULL)
  }
  withr::local_options(pawscore.replay = replay, .local_envir = .env)
}

# One InvokeWithResponseStream call (one attempt) against what local_body() serves.
batch_invoke <- function(on_event = NULL) {
  call_operation(lambda_api(), "InvokeWithResponseStream",
    list(FunctionName = "f"),
    config = emulator_config(max_attempts = 1), on_event = on_event
  )
}

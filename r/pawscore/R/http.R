# Streaming HTTP over curl's multi interface: the `data` callback hands over
# each read as soon as curl has it (curl_fetch_stream() holds partial reads for
# ~200 ms), so events reach the caller while the server is still sending.

http_state <- new.env(parent = emptyenv())

# Perform `request` (list(method, url, headers, body)). `on_response(status,
# headers)` runs once, before the first body bytes; `on_data(bytes)` runs for
# each read. An error raised by either aborts the transfer and is returned as
# `callback_error`. Returns list(status, headers, started, callback_error,
# failure) where `failure` is curl's message when the transfer broke.
http_stream <- function(request, connect_timeout = 10, read_timeout = 60,
                        on_response = function(status, headers) NULL,
                        on_data = function(bytes) NULL, deadline = NULL) {
  outer <- http_state$depth %||% 0L
  on.exit(http_state$depth <- outer, add = TRUE)
  pool <- acquire_pool(outer + 1L)
  transfer <- http_transfer(
    request, connect_timeout, read_timeout, on_response, on_data, pool,
    deadline = deadline
  )
  # An interrupted run must not leave this transfer queued in the shared pool.
  on.exit(try(curl::multi_cancel(transfer$handle), silent = TRUE), add = TRUE, after = FALSE)
  old <- options(show.error.messages = FALSE)
  on.exit(options(old), add = TRUE)
  curl::multi_run(pool = pool)
  transfer$result()
}

# Queue `request` on curl multi `pool` with the callbacks of http_stream();
# `on_complete()` runs once the transfer has ended (done or failed). Returns
# list(handle, result): `result()` gives what http_stream() returns.
http_transfer <- function(request, connect_timeout, read_timeout, on_response, on_data, pool,
                          on_complete = NULL, deadline = NULL) {
  handle <- new_http_handle(request, connect_timeout, read_timeout, deadline)
  state <- new.env(parent = emptyenv())
  state$started <- FALSE
  state$callback_error <- NULL
  state$failure <- NULL
  start <- function(status, header_bytes) {
    state$started <- TRUE
    state$status <- status
    state$headers <- parse_header_block(header_bytes)
    on_response(status, state$headers)
  }
  # curl prints an error escaping a callback unless show.error.messages is
  # FALSE; the callbacks themselves (the user's on_event) run with the caller's
  # setting, so their own try() still reports.
  shown <- getOption("show.error.messages")
  guarded <- function(fn) {
    run <- function(...) {
      old <- options(show.error.messages = shown)
      on.exit(options(old))
      fn(...)
    }
    function(...) {
      if (!is.null(state$callback_error)) {
        return(invisible())
      }
      err <- tryCatch(
        {
          run(...)
          NULL
        },
        error = function(e) e
      )
      if (!is.null(err)) {
        state$callback_error <- err
        # An error escaping the callback is how curl lets us abort a transfer.
        stop("pawscore: transfer aborted")
      }
    }
  }
  data_cb <- guarded(function(bytes, final = FALSE) {
    if (!state$started) {
      info <- curl::handle_data(handle)
      if (info$status_code > 0) start(info$status_code, info$headers)
    }
    if (length(bytes)) on_data(bytes)
  })
  done_cb <- guarded(function(res) {
    if (!state$started) start(res$status_code, res$headers)
  })
  fail_cb <- function(message) {
    state$failure <- message
    if (!state$started) {
      info <- curl::handle_data(handle)
      state$status <- info$status_code
    }
  }
  if (!is.null(on_complete)) {
    # Among other transfers an error must not escape: it would stop them all.
    done_inner <- done_cb
    fail_inner <- fail_cb
    done_cb <- function(res) {
      try(done_inner(res), silent = TRUE)
      on_complete()
    }
    fail_cb <- function(message) {
      fail_inner(message)
      on_complete()
    }
  }
  curl::multi_add(handle, data = data_cb, done = done_cb, fail = fail_cb, pool = pool)
  result <- function() {
    list(
      status = state$status %||% 0L,
      headers = state$headers %||% character(),
      started = state$started,
      callback_error = state$callback_error,
      failure = state$failure
    )
  }
  list(handle = handle, result = result)
}

new_http_handle <- function(request, connect_timeout, read_timeout, deadline = NULL) {
  handle <- curl::new_handle(url = request$url)
  curl::handle_setopt(handle,
    customrequest = request$method,
    .list = curl_timeouts(connect_timeout, read_timeout, deadline_left(deadline)),
    followlocation = FALSE,
    useragent = user_agent(),
    # paws' close_connection: a fresh connection for each call, none kept
    forbid_reuse = isTRUE(request$close_connection)
  )
  body <- request$body %||% raw()
  if (length(body) || toupper(request$method) %in% c("POST", "PUT", "PATCH")) {
    curl::handle_setopt(handle, post = TRUE, postfieldsize = length(body), postfields = body)
  }
  headers <- request$headers
  headers <- headers[tolower(names(headers)) != "host"]
  # Empty values remove curl's defaults: no form Content-Type, no 100-continue.
  defaults <- c(`Content-Type` = "", Expect = "")
  defaults <- defaults[!tolower(names(defaults)) %in% tolower(names(headers))]
  curl::handle_setheaders(handle, .list = as.list(c(headers, defaults)))
  handle
}

# curl options for the timeouts (seconds, fractions allowed). curl's
# `connecttimeout` takes whole seconds and reads 0 as "the default, 300 s", so a
# connect timeout below one second is given in milliseconds. `left` is what
# remains of the call's deadline: curl's `timeout_ms` ends the whole transfer
# then, however slowly the server keeps sending.
curl_timeouts <- function(connect_timeout, read_timeout, left = Inf) {
  opts <- list(
    connecttimeout_ms = max(1L, as.integer(ceiling(min(connect_timeout, left) * 1000))),
    # curl's way to say "no byte for read_timeout seconds": below 1 byte/s.
    low_speed_limit = 1L,
    low_speed_time = max(1L, as.integer(ceiling(read_timeout)))
  )
  if (is.finite(left)) opts$timeout_ms <- max(1L, as.integer(ceiling(left * 1000)))
  opts
}

# A whole-call deadline (config `deadline`, seconds): NULL when there is none.
start_deadline <- function(seconds) {
  if (is.null(seconds)) {
    return(NULL)
  }
  list(seconds = seconds, at = Sys.time() + seconds)
}

# Seconds left before `deadline` (negative once passed; Inf without one).
deadline_left <- function(deadline) {
  if (is.null(deadline)) {
    return(Inf)
  }
  as.numeric(difftime(deadline$at, Sys.time(), units = "secs"))
}

deadline_error <- function(deadline) {
  timeout_error(sprintf(
    "The call did not finish within its deadline of %s s", format(deadline$seconds)
  ))
}

# curl's message for a transfer that timed out while waiting for data (not for
# the connection: that is a connection error, as in Python).
is_timeout_failure <- function(message) {
  grepl("^(Operation timed out|Operation too slow|Timeout was reached)", message)
}

user_agent <- function() {
  # Worked out once: packageVersion() reads the DESCRIPTION file each time.
  if (is.null(http_state$user_agent)) {
    http_state$user_agent <- sprintf(
      "pawscore/%s R/%s curl/%s",
      utils::packageVersion("pawscore"), getRversion(), curl::curl_version()$version
    )
  }
  http_state$user_agent
}

# Parse the last header block (after any 100-continue) into a named character
# vector keeping the server's name case.
parse_header_block <- function(header_bytes) {
  if (!length(header_bytes)) {
    return(character())
  }
  lines <- strsplit(rawToChar(header_bytes), "\r?\n")[[1]]
  starts <- grep("^HTTP/", lines)
  if (length(starts)) lines <- lines[seq(max(starts) + 1, length.out = length(lines) - max(starts))]
  lines <- lines[grepl(":", lines, fixed = TRUE)]
  colon <- regexpr(":", lines, fixed = TRUE)
  stats::setNames(
    trimws(substring(lines, colon + 1)),
    substr(lines, 1, colon - 1)
  )
}

# Pools are reused so connections stay open between calls. curl pools do not
# nest, so a call made from inside another call's callback uses the pool of its
# nesting depth: one pool per depth, kept too, so calls made in a callback reuse
# their connections instead of leaving a pool of open sockets behind each.
acquire_pool <- function(depth) {
  if (is.null(http_state$pools)) http_state$pools <- list()
  if (length(http_state$pools) < depth) {
    # call_concurrently() runs up to 64 transfers to one host at once (curl's
    # default is 6 per host, which would queue the rest).
    http_state$pools[[depth]] <- curl::new_pool(total_con = 256L, host_con = 64L)
  }
  http_state$depth <- depth
  http_state$pools[[depth]]
}

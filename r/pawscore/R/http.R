# Streaming HTTP over curl's multi interface: the `data` callback only keeps
# each read curl hands over; after each curl pass the reads of that pass go to
# the caller together (one `on_data()` call, so the R work is per pass, not per
# 16 KiB read), while the server is still sending.
#
# `read_timeout` is an idle timeout, checked here rather than by curl (whose
# low-speed check averages over whole seconds and fired 2-4 times late): the
# transfer is driven one curl pass at a time and stops once no byte, header or
# body, has arrived for `read_timeout` seconds after the request was sent.
# Between passes that bring nothing it waits on curl's sockets (poll(), in C:
# curl's multi_run() cannot wait less than a second), up to 1 ms, then 2 ms,
# and 20 ms in a long quiet spell; a read that arrives ends the wait at once.

http_state <- new.env(parent = emptyenv())

# The most of curl's reads (16 KiB each at most) handed over together.
http_batch_reads <- 128L

# curl's buffer: it reads up to this much from the socket at a time (its data
# callback still gets 16 KiB pieces), so a fast stream takes fewer reads. A
# curl pass reads up to 100 times, so the pull mode, which reads ahead only
# what one pass brings, keeps curl's 16 KiB.
http_read_size <- 262144L

# Perform `request` (list(method, url, headers, body)). `on_response(status,
# headers)` runs once, before the first body bytes; `on_data(chunks)` runs
# after each curl pass that brought body bytes, with the list of curl's reads
# (raw vectors, in order; it may return TRUE to ask for a young-generation
# garbage collection once they are let go). An error raised by either aborts the transfer and
# is returned as `callback_error`. Returns list(status, headers, started,
# callback_error, failure, timed_out) where `failure` is curl's message when
# the transfer broke and `timed_out` is TRUE when the read timeout stopped it.
# `proxy` is list(http = , https = ) from the config (NULL: the environment
# decides; `env_proxies`, from env_proxies(), is what it says when already
# read) and `ca_bundle` a PEM file replacing the system's certificates.
http_stream <- function(request, connect_timeout = 10, read_timeout = 60,
                        on_response = function(status, headers) NULL,
                        on_data = function(chunks) NULL, proxy = NULL, ca_bundle = NULL,
                        deadline = NULL, env_proxies = NULL) {
  outer <- http_state$depth %||% 0L
  on.exit(http_state$depth <- outer, add = TRUE)
  pool <- acquire_pool(outer + 1L)
  transfer <- http_transfer(
    request, connect_timeout, on_response, on_data, pool,
    proxy = proxy, ca_bundle = ca_bundle, deadline = deadline, env_proxies = env_proxies
  )
  # An interrupted run must not leave this transfer queued in the shared pool.
  on.exit(try(curl::multi_cancel(transfer$handle), silent = TRUE), add = TRUE, after = FALSE)
  old <- options(show.error.messages = FALSE)
  on.exit(options(old), add = TRUE)
  run_until_idle(transfer, pool, read_timeout, connect_timeout)
  transfer$result()
}

# Queue `request` on curl multi `pool` with the callbacks of http_stream(), for
# the caller to drive: after each curl pass, `pump()` hands the reads curl
# kept to `on_data` (it returns TRUE when there were any; an error from the
# callbacks cancels the transfer, as its end). `on_complete()` runs once the
# transfer has ended (done, failed or cancelled that way). Returns
# list(handle, state, result, pump): `result()` gives what http_stream()
# returns; `state$active_at` is when data last arrived. `batch_reads`: the
# most reads handed over together (see below); `read_size`: curl's buffer.
http_transfer <- function(request, connect_timeout, on_response, on_data, pool,
                          proxy = NULL, ca_bundle = NULL, deadline = NULL,
                          on_complete = NULL, batch_reads = http_batch_reads,
                          read_size = http_read_size, env_proxies = NULL) {
  handle <- new_http_handle(
    request, connect_timeout, proxy, ca_bundle, deadline, read_size, env_proxies
  )
  state <- new.env(parent = emptyenv())
  state$started <- FALSE
  state$timed_out <- FALSE
  state$activity <- 0L
  state$callback_error <- NULL
  state$failure <- NULL
  start <- function(status, header_bytes) {
    state$started <- TRUE
    state$status <- status
    state$headers <- parse_header_block(header_bytes)
    on_response(status, state$headers)
  }
  # curl's reads since the last pump, kept as they come: the data callback
  # does little else, so it costs next to nothing per read. One curl pass
  # reads up to 100 times (1.6 MB); should one bring more, every
  # `http_batch_reads` reads are handed over from the callback itself, so
  # what is held at a time stays bounded. An error there aborts the transfer:
  # raised in curl's data callback, it ends the transfer as a failed write.
  # The list is made when a pass brings its first read, not kept from one pass
  # to the next: a list that lived through a garbage collection (an old one)
  # would keep the next pass's reads alive through R's next young-generation
  # collection, and their memory with them.
  reads <- NULL
  n_reads <- 0L
  # curl also calls it once at the end with no bytes, outside its error
  # guard: that call must never raise.
  data_cb <- function(bytes, final = FALSE) {
    if (!length(bytes)) {
      return(invisible())
    }
    if (!is.null(state$callback_error)) stop("pawscore: transfer aborted")
    if (n_reads == 0L) reads <<- vector("list", batch_reads)
    n_reads <<- n_reads + 1L
    reads[[n_reads]] <<- bytes
    if (n_reads == batch_reads && deliver()) stop("pawscore: transfer aborted")
    invisible()
  }
  # The callbacks (the user's on_event among them) run with the caller's
  # show.error.messages, so their own try() still reports; an error escaping
  # them is kept as `callback_error` (it ends the transfer), never raised here.
  shown <- getOption("show.error.messages")
  capture <- function(fn) {
    function(...) {
      if (!is.null(state$callback_error)) {
        return(invisible(FALSE))
      }
      old <- options(show.error.messages = shown)
      on.exit(options(old))
      tryCatch(
        {
          fn(...)
          invisible(FALSE)
        },
        error = function(e) {
          state$callback_error <- e
          invisible(TRUE)
        }
      )
    }
  }
  take_reads <- function() {
    chunks <- if (n_reads == batch_reads) reads else reads[seq_len(n_reads)]
    reads <<- NULL
    n_reads <<- 0L
    chunks
  }
  deliver <- capture(function() {
    state$activity <- state$activity + 1L
    if (!state$started) {
      info <- curl::handle_data(handle)
      if (info$status_code > 0) start(info$status_code, info$headers)
    }
    # on_data() returns TRUE to ask for a young-generation garbage collection,
    # made here once nothing holds the reads (response_sink() says why).
    if (isTRUE(on_data(take_reads()))) gc(verbose = FALSE, full = FALSE)
    # Time spent in the caller's callback is not time the server was idle.
    state$active_at <- clock()
  })
  ended <- FALSE
  complete <- function() {
    if (!ended) {
      ended <<- TRUE
      if (!is.null(on_complete)) on_complete()
    }
  }
  pump <- function() {
    if (n_reads == 0L) {
      return(FALSE)
    }
    if (!is.null(state$callback_error)) {
      # Already ended by the callbacks: what comes after is not read.
      reads <<- NULL
      n_reads <<- 0L
      return(FALSE)
    }
    if (deliver() && !ended) {
      # An error from the callbacks (or stop_stream()) ends the transfer.
      try(curl::multi_cancel(handle), silent = TRUE)
      complete()
    }
    TRUE
  }
  # At the end, what is still kept is handed over first; an answer whose
  # headers came without a body byte starts then (curl's last data callback,
  # made at the end of every transfer, is where a body-less answer begins).
  begin <- capture(function() {
    if (!state$started) {
      info <- curl::handle_data(handle)
      if (info$status_code > 0) start(info$status_code, info$headers)
    }
  })
  done_cb <- function(res) {
    if (n_reads) deliver() else begin()
    if (!state$started) capture(function() start(res$status_code, res$headers))()
    complete()
  }
  fail_cb <- function(message) {
    if (n_reads) deliver() else begin()
    state$failure <- message
    if (!state$started) {
      info <- curl::handle_data(handle)
      state$status <- info$status_code
    }
    complete()
  }
  replay <- getOption("pawscore.replay")
  if (is.function(replay)) {
    replay_response(replay(request), state, capture(start), data_cb, deliver)
    complete()
  } else {
    curl::multi_add(handle, data = data_cb, done = done_cb, fail = fail_cb, pool = pool)
  }
  result <- function() {
    list(
      status = state$status %||% 0L,
      headers = state$headers %||% character(),
      started = state$started,
      callback_error = state$callback_error,
      failure = state$failure,
      timed_out = state$timed_out
    )
  }
  list(handle = handle, state = state, result = result, pump = pump)
}

# The transport seam, for tests without a network: when option
# `pawscore.replay` is a function, http_transfer() calls it with the request
# instead of queuing it on curl. It returns a recorded response, list(status,
# headers (the raw header block, as text), chunks (list of raw, handed over
# one by one, each as one curl pass's reads would be), failure (curl's message
# when the connection broke, else NULL)), which goes through the same
# callbacks as a real one; the transfer is then complete and nothing is left
# for curl.
replay_response <- function(recorded, state, start, data_cb, deliver) {
  start(as.integer(recorded$status), charToRaw(recorded$headers %||% ""))
  for (bytes in recorded$chunks) {
    if (!is.null(state$callback_error)) break
    if (!length(bytes)) next
    # A copy, as curl's reads are: event payloads may be windows on the reads
    # (src/slices.c), and the recorded chunks are the caller's.
    data_cb(c(bytes))
    deliver()
  }
  state$failure <- recorded$failure
  invisible()
}

clock <- function() proc.time()[["elapsed"]]

# Drive `transfer` (from http_transfer()) until it ends, or until nothing has
# arrived for `read_timeout` seconds (then it is cancelled and
# `state$timed_out` set). As in Python, the idle clock starts once the request
# is sent (the connection, TLS included, is under curl's connect timeout); the
# response's first byte and each body read restart it.
#
# `until()`, when given, ends the drive early once it is TRUE after a pass (the
# pull mode: events are read on demand); the transfer then stays queued, and a
# later call goes on with it, its idle clock restarting then.
run_until_idle <- function(transfer, pool, read_timeout, connect_timeout = Inf,
                           until = NULL) {
  handle <- transfer$handle
  state <- transfer$state
  started_at <- clock()
  state$active_at <- if (isTRUE(state$started)) started_at
  first_byte <- isTRUE(state$started)
  repeat {
    pending <- curl::multi_run(timeout = 0, pool = pool)$pending
    got <- transfer$pump()
    if (pending == 0L || !is.null(state$callback_error)) {
      return(invisible())
    }
    if (!is.null(until) && until()) {
      return(invisible())
    }
    if (got) next
    now <- clock()
    if (!first_byte && !state$started) {
      times <- curl::handle_data(handle)$times
      if (times[["starttransfer"]] > 0) {
        first_byte <- TRUE
        state$active_at <- started_at + times[["starttransfer"]]
      } else if (is.null(state$active_at) && (times[["pretransfer"]] > 0 ||
        now - started_at > connect_timeout)) {
        state$active_at <- started_at + times[["pretransfer"]]
      }
    }
    if (is.null(state$active_at)) {
      idle_wait(pool, idle_nap(now - started_at))
      next
    }
    idle <- now - state$active_at
    if (idle >= read_timeout) {
      state$timed_out <- TRUE
      curl::multi_cancel(handle)
      return(invisible())
    }
    idle_wait(pool, min(idle_nap(idle), read_timeout - idle))
  }
}

# Wait up to `seconds` for one of curl's sockets to be ready (or for curl's own
# next timer), without running curl: the next pass reads what arrived.
idle_wait <- function(pool, seconds) {
  fds <- curl::multi_fdset(pool)
  if (fds$timeout >= 0) seconds <- min(seconds, fds$timeout / 1000)
  .Call(pawscore_wait_fds, fds$reads, fds$writes, fds$exceptions, seconds)
  invisible()
}

# How long to wait before the next curl pass, after `idle` quiet seconds: short
# waits while data is likely to follow soon (a streaming function between two
# chunks), longer ones in a long quiet spell. A read that arrives ends the wait.
idle_nap <- function(idle) {
  if (idle < 0.02) {
    return(0.001)
  }
  if (idle < 0.2) {
    return(0.002)
  }
  0.02
}

new_http_handle <- function(request, connect_timeout, proxy = NULL, ca_bundle = NULL,
                            deadline = NULL, read_size = http_read_size,
                            env_proxies = NULL) {
  # One handle_setopt() call for all options (each call looks the names up),
  # the one new_handle() makes.
  opts <- c(
    list(url = request$url, customrequest = request$method),
    curl_timeouts(connect_timeout, deadline_left(deadline)),
    curl_proxy(request$url, proxy, env_proxies),
    if (!is.null(ca_bundle)) list(cainfo = ca_bundle),
    list(
      followlocation = FALSE,
      useragent = user_agent(),
      # paws' close_connection: a fresh connection for each call, none kept
      forbid_reuse = isTRUE(request$close_connection),
      buffersize = as.integer(read_size)
    )
  )
  body <- request$body %||% raw()
  if (toupper(request$method) == "HEAD") {
    # A HEAD answer has headers only: without `nobody` curl waits for the body its
    # Content-Length announces ("transfer closed with N bytes remaining").
    opts$nobody <- TRUE
  } else if (length(body) || toupper(request$method) %in% c("POST", "PUT", "PATCH")) {
    # The size before the body: curl copies that many bytes.
    opts <- c(opts, list(post = TRUE, postfieldsize = length(body), postfields = body))
  }
  headers <- request$headers
  lower <- tolower(names(headers))
  headers <- headers[lower != "host"]
  # Empty values remove curl's defaults: no form Content-Type, no 100-continue,
  # and no `Accept: */*` (botocore sends none; a modelled Accept member is sent
  # as given, never beside or under curl's).
  defaults <- c(`Content-Type` = "", Expect = "", Accept = "")
  defaults <- defaults[!tolower(names(defaults)) %in% lower]
  opts$httpheader <- header_lines(c(headers, defaults))
  curl::new_handle(.list = opts)
}

# The header lines curl::handle_setheaders() would set for `headers` (a named
# character vector), given as the `httpheader` option instead, in the one
# handle_setopt() call: "Name: value", with an empty Expect (its "Expect" is
# replaced in place, or added last).
header_lines <- function(headers) {
  if ("Expect" %in% names(headers)) headers[["Expect"]] <- "" else headers <- c(headers, Expect = "")
  paste0(names(headers), ": ", unname(headers))
}

# curl options for the timeouts (seconds, fractions allowed). curl's
# `connecttimeout` takes whole seconds and reads 0 as "the default, 300 s", so
# the connect timeout is given in milliseconds. The read timeout is kept by
# run_until_idle(). `left` is what remains of the call's deadline: curl's
# `timeout_ms` ends the whole transfer then, however slowly the server sends.
curl_timeouts <- function(connect_timeout, left = Inf) {
  opts <- list(
    connecttimeout_ms = max(1L, as.integer(ceiling(min(connect_timeout, left) * 1000)))
  )
  if (is.finite(left)) opts$timeout_ms <- max(1L, as.integer(ceiling(left * 1000)))
  opts
}

# curl's proxy option for `url`: the config's proxy for its scheme, else what
# the environment says (HTTP_PROXY, HTTPS_PROXY, NO_PROXY, any case), read
# the way botocore (Python's urllib) reads it; a proxy from the config applies
# to every host, as in botocore. "" tells curl to go direct, so curl's own
# reading of the environment, which differs, never applies.
# `env`: env_proxies() when already read (the resolved config keeps it).
curl_proxy <- function(url, proxy = NULL, env = NULL) {
  # noproxy = "": the choice made here is final, NO_PROXY is not read again by curl.
  list(proxy = proxy_for(url, proxy, env) %||% "", noproxy = "")
}

proxy_for <- function(url, proxy = NULL, env = NULL) {
  parts <- split_url(url)
  if (!is.null(proxy)) {
    found <- proxy[[parts$scheme]]
    return(if (is_string(found)) found)
  }
  env <- env %||% env_proxies()
  found <- env[[parts$scheme]]
  if (!is_string(found) || proxy_bypassed(parts$host, env[["no"]])) {
    return(NULL)
  }
  if (grepl("://", found, fixed = TRUE)) found else paste0("http://", found)
}

# Variables named <scheme>_proxy in any case; the lower-case name wins.
# `vars`: the environment, named values (Sys.getenv() or env_vars()).
env_proxies <- function(vars = Sys.getenv()) {
  vars <- vars[grepl("_proxy$", names(vars), ignore.case = TRUE)]
  # Taken in Sys.getenv()'s order (by name, in the locale's collation)
  # whatever order `vars` came in, so that of two spellings of one variable
  # the same one wins.
  vars <- vars[sort.list(names(vars))]
  names <- names(vars)
  is_proxy <- rep(TRUE, length(names))
  out <- list()
  for (name in names[is_proxy & names != tolower(names)]) {
    if (nzchar(vars[[name]])) out[[tolower(sub("_proxy$", "", name, ignore.case = TRUE))]] <- vars[[name]]
  }
  for (name in names[is_proxy & names == tolower(names)]) {
    scheme <- sub("_proxy$", "", name)
    if (nzchar(vars[[name]])) out[[scheme]] <- vars[[name]] else out[[scheme]] <- NULL
  }
  out
}

# NO_PROXY: "*", or host names matched exactly or as a domain suffix
# (".example.com" and "example.com" both cover "a.example.com").
proxy_bypassed <- function(host, no_proxy) {
  if (!is_string(no_proxy)) {
    return(FALSE)
  }
  if (trimws(no_proxy) == "*") {
    return(TRUE)
  }
  host <- tolower(host)
  host_only <- sub(":[0-9]*$", "", host)
  for (name in strsplit(no_proxy, ",", fixed = TRUE)[[1]]) {
    name <- tolower(sub("^\\.+", "", trimws(name)))
    if (!nzchar(name)) next
    if (host_only == name || host == name ||
      endsWith(host_only, paste0(".", name)) || endsWith(host, paste0(".", name))) {
      return(TRUE)
    }
  }
  FALSE
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

# As AWS SDKs identify themselves: the SDK and its version, then the language
# and its version, then metadata (`md/`), e.g.
# "pawsgen/0.1.0 ua/2.1 os/linux lang/r#4.2.2 md/curl#7.88.1".
user_agent <- function() {
  # Worked out once: packageVersion() reads the DESCRIPTION file each time.
  if (is.null(http_state$user_agent)) {
    os <- tolower(Sys.info()[["sysname"]] %||% "other")
    http_state$user_agent <- sprintf(
      "pawsgen/%s ua/2.1 os/%s lang/r#%s md/curl#%s",
      utils::packageVersion("pawscore"), if (nzchar(os)) os else "other", getRversion(),
      curl::curl_version()$version
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
  lines <- strsplit(rawToChar(header_bytes), "\r?\n", perl = TRUE)[[1]]
  starts <- which(startsWith(lines, "HTTP/"))
  if (length(starts)) lines <- lines[-seq_len(max(starts))]
  colon <- regexpr(":", lines, fixed = TRUE)
  lines <- lines[colon > 0L]
  colon <- colon[colon > 0L]
  # trimws() in one pass (it makes two).
  values <- gsub("^[ \t\r\n]+|[ \t\r\n]+$", "", substring(lines, colon + 1L), perl = TRUE)
  names(values) <- substr(lines, 1L, colon - 1L)
  values
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

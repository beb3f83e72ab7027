# Pull mode: `.stream = TRUE` returns at once with the event-stream member as a
# stream object; events are read from the connection only when asked for
# (next_event()), as Python's `stream=True` iterator reads them. Nothing is read
# ahead beyond what curl hands over in one pass (at most 100 reads of 16 KiB).

# Start the call; retried like any call until the answer's headers are in.
pull_call <- function(call) {
  if (!is.null(call$on_event)) {
    stop(paws_condition("paws_usage_error", "give either .on_event or .stream = TRUE, not both"))
  }
  with_retries(function() pull_attempt(call), call$policy, call$deadline)
}

pull_attempt <- function(call) {
  queue <- fifo()
  # The sink hands each decoded event to the queue instead of a callback.
  call$on_event <- function(event) {
    queue$push(event)
    NULL
  }
  attempt <- start_attempt(call)
  cfg <- call$cfg
  pool <- curl::new_pool() # its own: pulling drives this transfer only
  transfer <- http_transfer(
    attempt$request, cfg$connect_timeout, attempt$sink$on_response, attempt$sink$on_data,
    pool,
    proxy = cfg$proxy, ca_bundle = cfg$ca_bundle, deadline = call$deadline,
    env_proxies = cfg$env_proxies, read_size = 16384L # what one pass reads ahead stays ~1.6 MB (see http.R)
  )
  state <- transfer$state
  old <- options(show.error.messages = FALSE)
  on.exit(options(old))
  drive <- function(until = NULL) {
    run_until_idle(transfer, pool, cfg$read_timeout, cfg$connect_timeout, until)
  }
  drive(until = function() isTRUE(state$started))
  ended <- !transfer_active(transfer$handle, pool)
  status <- state$status %||% 0L
  if (!isTRUE(state$started) || status < 200L || status >= 300L || status == 204L ||
    state$timed_out) {
    # No stream to pull (an error answer, DryRun, no answer at all): the whole
    # answer, as the default mode gives it. A stream that already ended (or
    # broke) within the first read is still handed over event by event.
    if (!ended) drive()
    return(attempt_outcome(call, attempt, transfer$result()))
  }
  output <- as_response_error(
    parse_response(call$api, call$op$name, status, state$headers, raw()),
    sprintf("the %s response (HTTP %s)", call$op$name, status)
  )
  events <- new_event_stream(call, attempt, transfer, queue, drive)
  insert_member(output, names(call$api$shapes[[call$op$output]]$members),
    attempt$sink$stream_member, events)
}

transfer_active <- function(handle, pool) {
  any(vapply(curl::multi_list(pool), identical, TRUE, handle))
}

# A queue with O(1) push and pop.
fifo <- function() {
  items <- vector("list", 16L)
  head <- 1L
  tail <- 0L
  list(
    push = function(x) {
      if (tail == length(items)) {
        items <<- c(items[head:tail], vector("list", tail - head + 1L + 16L))
        tail <<- tail - head + 1L
        head <<- 1L
      }
      tail <<- tail + 1L
      items[tail] <<- list(x)
      invisible()
    },
    pop = function() {
      x <- items[[head]]
      items[head] <<- list(NULL)
      head <<- head + 1L
      x
    },
    size = function() tail - head + 1L
  )
}

new_event_stream <- function(call, attempt, transfer, queue, drive) {
  stream <- new.env(parent = emptyenv())
  stream$closed <- FALSE
  stream$finished <- FALSE
  stream$operation <- call$op$name
  stream$next_one <- function() {
    if (stream$closed) {
      return(NULL)
    }
    if (queue$size() == 0L && !stream$finished) {
      tryCatch(
        drive(until = function() queue$size() > 0L),
        interrupt = function(e) {
          stream$close()
          stop(e)
        }
      )
      if (queue$size() == 0L) {
        # The transfer ended: check it as the default mode does (truncation,
        # timeouts, errors from the stream, the final event).
        stream$finished <- TRUE
        result <- tryCatch(
          attempt_outcome(call, attempt, transfer$result()),
          error = function(e) {
            stream$close()
            stop(e)
          }
        )
        if (inherits(result, "condition")) {
          stream$close()
          stop(result)
        }
      }
    }
    if (queue$size() == 0L) {
      stream$close()
      return(NULL)
    }
    queue$pop()
  }
  stream$close <- function() {
    if (!stream$closed) {
      stream$closed <- TRUE
      try(curl::multi_cancel(transfer$handle), silent = TRUE)
    }
    invisible()
  }
  reg.finalizer(stream, function(e) e$close(), onexit = TRUE)
  structure(list(env = stream), class = "paws_event_stream")
}

#' Read the next event of a stream
#'
#' With `.stream = TRUE` an event-stream operation returns at once; its
#' event-stream member (e.g. `resp$EventStream`) is a stream object that reads
#' events from the connection only when asked, as Python's `stream=True`
#' iterator does. `next_event()` waits for the next event and returns it, or
#' `NULL` once the stream has ended whole. A stream cut short, a timeout or an
#' exception event raises the same typed error as the default mode. `close()`
#' stops reading and closes the connection; a stream that is garbage-collected
#' is closed too.
#'
#' @param stream The stream object.
#' @returns `next_event()`: one event (a one-member named list), or `NULL` at
#'   the end. `close()`: `stream`, invisibly.
#' @examples
#' \dontrun{
#' resp <- svc$invoke_with_response_stream(FunctionName = "f", .stream = TRUE)
#' while (!is.null(event <- next_event(resp$EventStream))) print(names(event))
#' close(resp$EventStream)
#' }
#' @export
next_event <- function(stream) {
  if (!inherits(stream, "paws_event_stream")) {
    stop(paws_condition("paws_usage_error", "next_event() takes a stream from a .stream = TRUE call"))
  }
  stream$env$next_one()
}

#' @rdname next_event
#' @param con The stream object (the name is `close()`'s).
#' @param ... Unused.
#' @export
close.paws_event_stream <- function(con, ...) {
  con$env$close()
  invisible(con)
}

#' @export
print.paws_event_stream <- function(x, ...) {
  cat(sprintf("<paws event stream of %s: %s>\n", x$env$operation, if (x$env$closed) "closed" else "open"))
  invisible(x)
}

#' @export
as.list.paws_event_stream <- function(x, ...) {
  out <- collector()
  while (!is.null(event <- next_event(x))) out$add(event)
  out$items()
}

# Several calls at once in one R process, over one curl multi pool: R has no
# threads, but curl can drive many transfers while R handles each read.

concurrent_state <- new.env(parent = emptyenv())

#' Run several calls at once
#'
#' Makes the calls given, all at the same time, over curl's multi interface in
#' this R process (no threads, no extra processes). Each call is written as it
#' would be on its own, e.g. `svc$invoke_with_response_stream(FunctionName =
#' "f", .on_event = show)`, and keeps its own `.on_event` callback, which runs
#' on each of that call's events as they arrive (events of different calls
#' interleave). Each call keeps its own retries. A call that fails does not stop
#' the others: its slot in the result holds the condition it would have
#' signalled (a `paws_service_error` with the error code as class, an
#' `EventStreamError`, a `paws_connection_error`, a `paws_param_error`, or the
#' error its `.on_event` raised).
#'
#' @param ... Calls of generated operations, not yet evaluated: each argument is
#'   evaluated in a mode where the operation is prepared (validated, request
#'   built) instead of sent. Arguments of those calls are evaluated as usual.
#' @param .calls A list of further calls: quoted calls (`quote()`, `bquote()`),
#'   evaluated in `.env`, or functions of no arguments that make one call each.
#' @param .env The environment quoted calls in `.calls` are evaluated in.
#' @param .max_active The most transfers running at the same time; the others
#'   wait for a free slot.
#' @returns A list with one element per call, in input order (with the names of
#'   `...` and `.calls`): the call's output, or the condition object of a call
#'   that failed. Nothing is signalled for a failed call.
#' @examples
#' \dontrun{
#' svc <- pawslambda::lambda()
#' out <- call_concurrently(
#'   a = svc$invoke_with_response_stream(FunctionName = "a", .on_event = print),
#'   b = svc$invoke_with_response_stream(FunctionName = "b")
#' )
#' failed <- vapply(out, inherits, logical(1), "error")
#' }
#' @export
call_concurrently <- function(..., .calls = list(), .env = parent.frame(), .max_active = 64L) {
  if (!is.list(.calls)) stop(param_error("`.calls` must be a list"))
  if (!is.numeric(.max_active) || length(.max_active) != 1L || is.na(.max_active) ||
    .max_active < 1) {
    stop(param_error("`.max_active` must be a number >= 1"))
  }
  n_dots <- ...length()
  n <- n_dots + length(.calls)
  prepared <- vector("list", n)
  for (i in seq_len(n)) {
    make <- if (i <= n_dots) {
      function() ...elt(i)
    } else {
      spec <- .calls[[i - n_dots]]
      if (is.function(spec)) spec else function() eval(spec, .env)
    }
    prepared[i] <- list(prepare_concurrent(make))
  }
  dot_names <- names(as.list(substitute(list(...))))[-1L] %||% rep("", n_dots)
  names(prepared) <- c(dot_names, names(.calls) %||% rep("", length(.calls)))
  if (all(names(prepared) == "")) names(prepared) <- NULL
  run_concurrently(prepared, as.integer(.max_active))
}

# The prepared call `make()` describes, or the condition it raised.
prepare_concurrent <- function(make) {
  old <- concurrent_state$capturing
  concurrent_state$capturing <- TRUE
  on.exit(concurrent_state$capturing <- old)
  value <- tryCatch(make(), error = function(e) e)
  if (inherits(value, "paws_pending_call") || inherits(value, "condition")) {
    return(value)
  }
  paws_condition("paws_usage_error", "call_concurrently(): not a call of a generated operation")
}

# Run the prepared calls (conditions pass through) and return their results.
run_concurrently <- function(calls, max_active) {
  n <- length(calls)
  results <- vector("list", n)
  names(results) <- names(calls)
  jobs <- vector("list", n)
  queue <- integer() # calls waiting for a slot or for their retry time
  ready_at <- numeric(n)
  for (i in seq_len(n)) {
    if (inherits(calls[[i]], "paws_pending_call")) {
      jobs[[i]] <- list(failures = 0L)
      queue <- c(queue, i)
    } else {
      results[i] <- list(calls[[i]])
    }
  }
  outer <- http_state$depth %||% 0L
  on.exit(http_state$depth <- outer, add = TRUE)
  pool <- acquire_pool(outer + 1L)
  active <- integer()
  ended <- integer()
  # An interrupted run must not leave transfers queued in the shared pool.
  on.exit(
    for (i in active) try(curl::multi_cancel(jobs[[i]]$transfer$handle), silent = TRUE),
    add = TRUE, after = FALSE
  )
  old <- options(show.error.messages = FALSE)
  on.exit(options(old), add = TRUE)

  start <- function(i) {
    call <- calls[[i]]
    attempt <- tryCatch(start_attempt(call), error = function(e) e)
    if (inherits(attempt, "condition")) {
      results[i] <<- list(attempt)
      return(invisible())
    }
    jobs[[i]]$attempt <<- attempt
    transfer <- http_transfer(
      attempt$request, call$cfg$connect_timeout, attempt$sink$on_response,
      attempt$sink$on_data, pool,
      proxy = call$cfg$proxy, ca_bundle = call$cfg$ca_bundle, deadline = call$deadline,
      env_proxies = call$cfg$env_proxies, on_complete = function() ended <<- c(ended, i)
    )
    # The read timeout's clock: a transfer that sees no byte for read_timeout
    # seconds (connect_timeout more before its first) is cancelled as timed out.
    transfer$state$active_at <- now() + min(call$cfg$connect_timeout, 1e6)
    jobs[[i]]$transfer <<- transfer
    active <<- c(active, i)
  }
  finish <- function(i) {
    call <- calls[[i]]
    job <- jobs[[i]]
    if (is.null(job$transfer)) {
      return(invisible()) # already finished (timed out as it ended)
    }
    active <<- setdiff(active, i)
    outcome <- tryCatch(
      list(value = attempt_outcome(call, job$attempt, job$transfer$result())),
      error = function(e) list(final = e)
    )
    jobs[[i]]$attempt <<- NULL
    jobs[[i]]$transfer <<- NULL
    if (!is.null(outcome$final)) {
      results[i] <<- list(outcome$final)
      return(invisible())
    }
    value <- outcome$value
    if (!inherits(value, "condition")) {
      results[i] <<- list(value)
      return(invisible())
    }
    failures <- job$failures + 1L
    jobs[[i]]$failures <<- failures
    if (failures >= call$policy$max_attempts || isTRUE(value$delivered) || !is_retryable(value)) {
      results[i] <<- list(value)
      return(invisible())
    }
    left <- deadline_left(call$deadline)
    if (left <= 0) {
      results[i] <<- list(deadline_error(call$deadline))
      return(invisible())
    }
    ready_at[[i]] <<- now() + min(retry_delay(call$policy, failures), left)
    queue <<- c(queue, i)
  }

  repeat {
    while (length(ended)) {
      i <- ended[[1L]]
      ended <- ended[-1L]
      finish(i)
    }
    due <- queue[ready_at[queue] <= now()]
    for (i in due) {
      if (length(active) >= max_active) break
      queue <- setdiff(queue, i)
      start(i)
    }
    if (!length(active) && !length(queue)) break
    wait <- if (length(queue)) max(0, min(ready_at[queue]) - now()) else Inf
    if (!length(active)) {
      Sys.sleep(wait)
      next
    }
    if (length(queue) && length(active) >= max_active) wait <- Inf
    # One curl pass, then each transfer's reads of that pass go to its callbacks.
    curl::multi_run(pool = pool, timeout = 0)
    got <- FALSE
    for (i in setdiff(active, ended)) {
      if (jobs[[i]]$transfer$pump()) got <- TRUE
    }
    # Nothing arrived: wait for a socket (at most 0.1 s, to check each
    # transfer's read timeout) unless a transfer has just ended.
    if (!got && !length(ended)) idle_wait(pool, min(wait, 0.1))
    for (i in setdiff(active, ended)) {
      state <- jobs[[i]]$transfer$state
      if (now() - state$active_at >= calls[[i]]$cfg$read_timeout) {
        state$timed_out <- TRUE
        try(curl::multi_cancel(jobs[[i]]$transfer$handle), silent = TRUE)
        ended <- c(ended, i)
      }
    }
  }
  results
}

now <- function() proc.time()[["elapsed"]] # seconds, for retry timing

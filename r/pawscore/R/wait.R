# Waiters from botocore's waiters-2.json (`api$waiters`): poll an operation
# until an acceptor says success. Mirrors python/pawscore/wait.py.

#' Wait until a resource reaches a state
#'
#' Calls the waiter's operation until one of its acceptors (from botocore's
#' `waiters-2.json`) says success, as boto3's `get_waiter(name)$wait()`.
#'
#' @param svc A service object, e.g. `pawslambda::lambda()`.
#' @param waiter The waiter's name, boto3 style (`"function_active_v2"`) or as
#'   the model has it (`"FunctionActiveV2"`).
#' @param ... The operation's arguments, e.g. `FunctionName = "f"`.
#' @param .delay Seconds between calls (default: the waiter's own).
#' @param .max_attempts Most calls (default: the waiter's own).
#' @returns The last answer, invisibly, once a success state is reached. A
#'   failure state, an error no acceptor expects, or running out of attempts
#'   raises a `paws_waiter_error` (with `reason` and `last_response`).
#' @examples
#' \dontrun{
#' svc <- pawslambda::lambda()
#' wait_until(svc, "function_active_v2", FunctionName = "my-function")
#' }
#' @export
wait_until <- function(svc, waiter, ..., .delay = NULL, .max_attempts = NULL) {
  spec <- service_api(svc)
  waiters <- spec$api$waiters
  found <- names(waiters)[normal_name(names(waiters)) == normal_name(waiter)]
  if (!length(found)) {
    stop(paws_condition("paws_usage_error", sprintf(
      "no waiter named '%s'; waiters: %s", waiter, paste(list_waiters(svc), collapse = ", ")
    )))
  }
  cfg <- waiters[[found[[1L]]]]
  delay <- .delay %||% cfg$delay
  attempts <- .max_attempts %||% cfg$max_attempts
  fail <- function(reason, last = NULL) {
    stop(paws_condition("paws_waiter_error", sprintf("Waiter %s failed: %s", found[[1L]], reason),
      reason = reason, last_response = last
    ))
  }
  last <- NULL
  for (attempt in seq_len(attempts)) {
    error <- NULL
    last <- tryCatch(
      call_operation(spec$api, cfg$operation, list(...), spec$config),
      paws_service_error = function(e) {
        error <<- e
        NULL
      }
    )
    state <- match_acceptors(cfg$acceptors, last, error)
    if (identical(state, "success")) return(invisible(last))
    if (identical(state, "failure")) fail("a failure state was reached", last)
    if (is.null(state) && !is.null(error)) fail(paste("unexpected error:", error$code))
    if (attempt < attempts) wait_sleep(delay)
  }
  fail(sprintf("max attempts exceeded (%d)", as.integer(attempts)), last)
}

#' @rdname wait_until
#' @export
list_waiters <- function(svc) {
  names <- names(service_api(svc)$api$waiters)
  sort(tolower(gsub("([a-z0-9])([A-Z])", "\\1_\\2", names)))
}

# Tests replace the sleep through this option.
wait_sleep <- function(seconds) {
  hook <- getOption("pawscore.wait_sleep")
  if (is.function(hook)) hook(seconds) else Sys.sleep(seconds)
}

match_acceptors <- function(acceptors, response, error) {
  for (acc in acceptors) {
    if (acceptor_matches(acc, response, error)) return(acc$state)
  }
  NULL
}

acceptor_matches <- function(acc, response, error) {
  expected <- acc$expected
  switch(acc$matcher,
    error = if (is.logical(expected)) (!is.null(error)) == expected
    else !is.null(error) && identical(error$code, expected),
    status = {
      status <- if (is.null(error)) 200L else error$status_code
      !is.null(status) && status == expected
    },
    path = is.null(error) && path_equal(path_search(response, acc$argument), expected),
    pathAll = , pathAny = {
      if (!is.null(error)) return(FALSE)
      values <- path_search(response, acc$argument)
      if (!is.list(values) || !length(values)) return(FALSE)
      hits <- vapply(values, path_equal, TRUE, b = expected)
      if (acc$matcher == "pathAll") all(hits) else any(hits)
    },
    stop(paws_condition("paws_usage_error", sprintf("unknown waiter matcher '%s'", acc$matcher)))
  )
}

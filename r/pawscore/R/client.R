# The two entry points generated code calls: call_operation() and new_service().

#' Call one operation of a service
#'
#' Validates `params` against the model, resolves the config, signs and sends
#' the request (with retries), and returns the parsed output as a named list.
#' For event-stream outputs each event is decoded as it arrives; with
#' `on_event` the callback runs on each event before more bytes are read, and
#' the event-stream member holds the callback's return values.
#'
#' @param api The service's API data (see `docs/contracts.md`).
#' @param operation The model's operation name, e.g. `"InvokeWithResponseStream"`.
#' @param params A named list of parameters; `NULL` members mean "not given".
#' @param config A config list in paws' shape (`region`, `endpoint`,
#'   `credentials`, `max_attempts`, `retry_mode`, `connect_timeout`, `read_timeout`,
#'   `deadline`: seconds for the whole call, retries included; none by default).
#' @param on_event `NULL` or a function of one event.
#' @param dots The arguments the generated function received in `...`: the
#'   operation has no such parameters, so any is reported as a
#'   `paws_param_error` and nothing is sent.
#' @param stream `TRUE` to return as soon as the answer's headers are in, the
#'   event-stream member then being a stream read on demand with
#'   [next_event()] (the pull mode; Python's `stream=True`).
#' @returns The output as a named list of the members present, in model order.
#' @export
call_operation <- function(api, operation, params = list(), config = list(),
                           on_event = NULL, dots = list(), stream = FALSE) {
  if (isTRUE(capture_state$on)) {
    # paginate()/wait_until() asked for the call, not its answer (paginate.R); an
    # argument the operation lacks is still refused, not dropped.
    unknown <- dots_problems(api, api$operations[[operation]]$input, dots)
    if (length(unknown)) stop(param_error(unknown))
    return(structure(
      list(api = api, operation = operation, params = params, config = config),
      class = "paws_captured_call"
    ))
  }
  # The generated package whose function called us ships the endpoint rules.
  caller <- topenv(parent.frame())
  package <- if (isNamespace(caller)) getNamespaceName(caller)
  if (isTRUE(concurrent_state$capturing)) {
    # Inside call_concurrently(): describe the call instead of making it. Calls
    # made while working out its arguments run as usual.
    concurrent_state$capturing <- FALSE
    on.exit(concurrent_state$capturing <- TRUE)
    return(prepare_call(api, operation, params, config, on_event, dots, package))
  }
  call <- prepare_call(api, operation, params, config, on_event, dots, package)
  if (!identical(stream, FALSE)) {
    if (!isTRUE(stream)) stop(param_error(".stream: expected TRUE or FALSE"))
    if (!isTRUE(call$op$event_stream_output)) {
      stop(paws_condition("paws_usage_error", sprintf(
        "%s has no event stream: .stream does not apply", operation
      )))
    }
    return(pull_call(call))
  }
  with_retries(function() attempt_call(call), call$policy, call$deadline)
}

# Everything about a call that does not depend on the attempt: checks,
# validation (nothing is sent when it fails), config, the request and the
# whole-call deadline (which starts now). `package`: the generated package
# that made the call (its endpoint rules), or NULL.
prepare_call <- function(api, operation, params, config, on_event, dots = list(),
                         package = NULL) {
  api <- indexed_api(api)
  op <- api$operations[[operation]]
  if (is.null(op)) {
    stop(paws_condition("paws_usage_error", sprintf("Unknown operation: %s", operation)))
  }
  if (!is.null(on_event) && !is.function(on_event)) {
    stop(param_error("on_event: expected a function or NULL"))
  }
  if (!is.null(on_event) && !isTRUE(op$event_stream_output)) {
    # As in Python: a callback that could never run is a mistake, not a no-op.
    stop(paws_condition("paws_usage_error", sprintf(
      "%s has no event stream: on_event does not apply", operation
    )))
  }
  params <- validate_params(
    api, op$input, fill_idempotency_tokens(api, op$input, params),
    extra = dots_problems(api, op$input, dots)
  )
  cfg <- resolve_config(config, api$metadata, package_endpoint_rules(package))
  call <- list(
    api = api, op = op, request = build_request(api, operation, params, cfg$endpoint),
    cfg = cfg, on_event = on_event,
    policy = retry_policy(max_attempts = cfg$max_attempts, mode = cfg$retry_mode),
    deadline = start_deadline(cfg$deadline)
  )
  class(call) <- "paws_pending_call" # (structure() costs several times as much)
  call
}

# `api` with its shapes in a hashed environment: `api$shapes[[name]]` reads
# the same, without the walk through a list of hundreds of names that each of
# a call's many lookups made (a tenth of a small call's time in R). The
# shapes' names, in model order, are kept as `shape_names`. The indexed copies
# of the last few APIs are kept; `api` is matched with identical(), which is
# immediate for the same object (the generated package's).
indexed_api <- function(api) {
  if (is.environment(api$shapes) || !length(api$shapes)) {
    return(api)
  }
  for (entry in indexed_apis$entries) {
    if (identical(entry$api, api)) {
      return(entry$indexed)
    }
  }
  indexed <- api
  indexed$shapes <- list2env(
    api$shapes,
    envir = new.env(hash = TRUE, parent = emptyenv(), size = max(29L, length(api$shapes)))
  )
  indexed$shape_names <- names(api$shapes)
  kept <- indexed_apis$entries
  indexed_apis$entries <- c(
    list(list(api = api, indexed = indexed)),
    kept[seq_len(min(length(kept), indexed_apis_kept - 1L))]
  )
  indexed
}

indexed_apis <- new.env(parent = emptyenv())
indexed_apis_kept <- 4L

# Arguments an operation does not have, in the Python runtime's wording: named
# ones are unknown parameters, unnamed ones are positions beyond the last.
dots_problems <- function(api, shape_name, dots) {
  if (!length(dots)) {
    return(character())
  }
  members <- names(api$shapes[[shape_name]]$members)
  expected <- if (length(members)) paste(members, collapse = ", ") else "none"
  given <- names(dots) %||% rep("", length(dots))
  named <- given[nzchar(given)]
  problems <- sprintf("%s: unknown parameter; expected one of %s", named, expected)
  unnamed <- sum(!nzchar(given))
  if (unnamed) {
    problems <- c(problems, sprintf(
      "parameters: %d positional argument(s) beyond the operation's parameters", unnamed
    ))
  }
  problems
}

# One attempt: sign, send, parse. Returns the output, or a condition object
# (flagged `delivered` once an event reached the caller) for the retry loop.
attempt_call <- function(call) {
  attempt <- start_attempt(call)
  res <- http_stream(
    attempt$request, call$cfg$connect_timeout, call$cfg$read_timeout,
    on_response = attempt$sink$on_response, on_data = attempt$sink$on_data,
    proxy = call$cfg$proxy, ca_bundle = call$cfg$ca_bundle, deadline = call$deadline,
    env_proxies = call$cfg$env_proxies
  )
  attempt_outcome(call, attempt, res)
}

# The signed request and a fresh response sink for one attempt.
start_attempt <- function(call) {
  api <- call$api
  request <- call$request
  cfg <- call$cfg
  if (deadline_left(call$deadline) <= 0) stop(deadline_error(call$deadline))
  if (!is.null(cfg$credentials)) {
    signing_name <- cfg$signing_name %||% api$metadata$signing_name %||%
      api$metadata$endpoint_prefix
    # Each attempt asks the provider: temporary credentials near their expiry
    # are refreshed before signing.
    signed <- sign_request(
      request$method, request$url, request$headers, request$body,
      provider_credentials(cfg$credentials), cfg$signing_region %||% cfg$region, signing_name
    )
    request$headers <- signed$headers
  }
  request$close_connection <- isTRUE(cfg$close_connection)
  list(request = request, sink = response_sink(api, call$op, call$on_event))
}

# What an ended transfer means: the output, a condition to retry on (returned),
# or an error (signalled).
attempt_outcome <- function(call, attempt, res) {
  sink <- attempt$sink
  cfg <- call$cfg
  request <- call$request
  deadline <- call$deadline
  if (inherits(res$callback_error, "paws_stream_stop_marker")) {
    return(sink$finish(res$status, res$headers, stopped = TRUE))
  }
  if (!is.null(res$callback_error)) {
    err <- res$callback_error
    if (sink$delivered()) err$delivered <- TRUE
    # An error from inside the stream (an exception event included) is never
    # retried, whether or not an event came before it: the answer had begun, as
    # in Python and botocore, where the stream is read after the call returned.
    stop(err)
  }
  if (isTRUE(res$timed_out)) {
    err <- read_timeout_error(sprintf(
      "No data from %s for %s s (read_timeout)", strip_query(request$url), cfg$read_timeout
    ))
    # As in Python, a stream that stalls is never retried.
    if (sink$streaming()) stop(err)
    return(err)
  }
  if (!is.null(res$failure)) {
    # Out of time: the same typed timeout as Python's ReadTimeoutError. Past the
    # deadline it is final.
    if (deadline_left(deadline) <= 0) stop(deadline_error(deadline))
    if (!res$started && is_connect_timeout(res$failure)) {
      return(connect_timeout_error(sprintf(
        "No connection to %s within %s s (connect_timeout)", strip_query(request$url),
        cfg$connect_timeout
      )))
    }
    if (is_timeout_failure(res$failure)) {
      err <- timeout_error(sprintf(
        "Timed out reading the response from %s: %s", strip_query(request$url), res$failure
      ))
      if (sink$streaming()) stop(err)
      return(err)
    }
    if (sink$streaming()) {
      stop(truncated_stream_error(sprintf(
        "Event stream cut short after %d bytes: %s", sink$bytes(), res$failure
      )))
    }
    return(connection_error(sprintf(
      "Request to %s failed: %s", strip_query(call$request$url), res$failure
    )))
  }
  sink$finish(res$status, res$headers)
}

#' Stop reading an event stream from inside a callback
#'
#' Call it from an `.on_event` callback to stop the stream early: the
#' connection is closed, no more events are read, and the call returns
#' normally with the events read so far (the callback's return values, ending
#' with `value` when one is given). The event list then carries
#' `attr(, "stopped") == TRUE`, so a result cut short on purpose is never
#' mistaken for the whole answer. No error is raised or printed.
#'
#' @param value Optional value to store as the callback's result for the
#'   current event (default `NULL`).
#' @returns Does not return; it unwinds to the call that runs the callback.
#' @examples
#' \dontrun{
#' first <- svc$invoke_with_response_stream(
#'   FunctionName = "f",
#'   .on_event = function(event) stop_stream(event)
#' )
#' attr(first$EventStream, "stopped") # TRUE
#' }
#' @export
stop_stream <- function(value = NULL) {
  cond <- structure(
    class = c("paws_stream_stop", "condition"),
    list(message = "stop_stream() called outside an .on_event callback", call = NULL, value = value)
  )
  signalCondition(cond)
  # Nobody caught it: not inside a streaming callback.
  stop(paws_condition("paws_usage_error", conditionMessage(cond)))
}

# Collects the response: decodes event streams as bytes arrive, buffers
# everything else.
response_sink <- function(api, op, on_event) {
  state <- new.env(parent = emptyenv())
  state$streaming <- FALSE
  state$delivered <- FALSE
  received <- collector()
  state$n <- 0
  events <- collector()
  state$last_type <- NULL
  output <- if (is.null(op$output)) NULL else api$shapes[[op$output]]
  stream_member <- NULL
  if (isTRUE(op$event_stream_output)) {
    for (name in names(output$members)) {
      if (isTRUE(api$shapes[[output$members[[name]]$shape]]$event_stream)) stream_member <- name
    }
  }
  stream_shape <- NULL
  if (!is.null(stream_member)) stream_shape <- api$shapes[[output$members[[stream_member]]$shape]]

  on_response <- function(status, headers) {
    if (!is.null(stream_member) && status >= 200 && status < 300) {
      state$streaming <- TRUE
      state$decoder <- es_decoder()
    }
  }
  plan <- if (is.null(stream_shape)) NULL else event_plan(api, stream_shape)
  # Events of a batch built in C reach the caller in bulk; the messages C
  # leaves (exceptions, JSON events; listed in `slow`) go through
  # message_to_event() in order.
  deliver <- function(batch, slow) {
    if (!length(slow)) {
      return(deliver_built(batch))
    }
    # Runs of events C built go in bulk, around the messages it left.
    from <- 1L
    for (k in slow) {
      if (k > from) deliver_built(batch[from:(k - 1L)])
      deliver_one(message_to_event(api, stream_shape, batch[[k]]))
      from <- k + 1L
    }
    if (from <= length(batch)) deliver_built(batch[from:length(batch)])
    invisible()
  }
  deliver_built <- function(batch) {
    state$delivered <- TRUE
    state$last_type <- names(batch[[length(batch)]])
    if (is.null(on_event)) {
      events$add_all(batch, present = TRUE)
      return(invisible())
    }
    # The callback runs from C, event after event; `values` and `progress`
    # (made here, for this call alone) are filled in place, so when
    # stop_stream() unwinds out of the loop they say how far it got.
    values <- vector("list", length(batch))
    progress <- integer(1L)
    state$in_callback <- TRUE
    kept <- NA
    stopped <- tryCatch(
      {
        kept <- .Call(pawscore_es_call_each, on_event, batch, values, progress, environment())
        NULL
      },
      paws_stream_stop = function(s) s
    )
    state$in_callback <- FALSE
    if (!is.null(stopped)) {
      # One handler for the batch: stop_stream() ends it after the current event.
      state$stopped <- TRUE
      done <- progress[[1L]] + 1L
      if (!is.null(stopped$value)) values[[done]] <- stopped$value
      state$last_type <- names(batch[[done]])
      events$add_all(values[seq_len(done)])
      stop_marker()
    }
    if (kept == 0L) events$skip(length(values)) else events$add_all(values)
  }
  # An event R built (NULL: a message that is no event) goes the same way.
  deliver_one <- function(event) {
    if (!is.null(event)) deliver_built(list(event))
    invisible()
  }
  # Abort the transfer quietly; attempt_outcome() returns what was read.
  stop_marker <- function() {
    stop(paws_condition("paws_stream_stop_marker", "stream stopped by the caller"))
  }
  # A stream read with a callback that keeps nothing makes garbage only: each
  # byte arrives as curl's read, then is copied into its event's payload. R
  # collects it once 64 MB of vectors are in use (its default trigger, which
  # the few cons cells made here never beat), so on_data() asks its caller
  # (http_transfer()) for a young-generation collection every
  # `stream_gc_bytes`, once the reads are let go: the memory such a stream
  # holds stays small, for about 1 ms each.
  state$since_gc <- 0
  garbage_due <- function(n) {
    state$since_gc <- state$since_gc + n
    if (state$since_gc < stream_gc_bytes) {
      return(FALSE)
    }
    state$since_gc <- 0
    TRUE
  }
  # `chunks`: the reads of one curl pass (a list of raw vectors), or one read.
  # Returns TRUE when a garbage collection is due (see above).
  on_data <- function(chunks) {
    if (is.raw(chunks)) chunks <- list(chunks)
    state$n <- state$n + sum(lengths(chunks))
    if (!state$streaming) {
      for (bytes in chunks) received$add(bytes)
      return(invisible())
    }
    res <- state$decoder$feed_events(chunks, plan)
    if (length(res$messages)) {
      state$in_callback <- FALSE
      # The caller's own errors from on_event pass through as they are.
      as_response_error(
        deliver(res$messages, res$slow), sprintf("an event of the %s response", op$name),
        passthrough = function() state$in_callback
      )
    }
    invisible(!is.null(on_event) && garbage_due(sum(lengths(chunks))))
  }
  finish <- function(status, headers, stopped = FALSE) {
    body <- if (received$size()) do.call(c, received$items()) else raw()
    if (status < 200 || status >= 300) {
      return(parse_error(api, status, headers, body))
    }
    if (is.null(stream_member)) {
      damaged <- body_crc32_problem(headers, body)
      if (!is.null(damaged)) return(damaged) # retried, as a connection error
    }
    out <- as_response_error(
      parse_response(api, op$name, status, headers, body),
      sprintf("the %s response (HTTP %s)", op$name, status)
    )
    if (!is.null(stream_member)) {
      if (state$streaming && !stopped) {
        state$decoder$finish()
        check_final_event(stream_shape, state$last_type, status)
      }
      items <- events$items()
      # Read up to where the callback called stop_stream(): what was read is
      # whole, but not the whole answer, and says so.
      if (stopped) attr(items, "stopped") <- TRUE
      out <- insert_member(out, names(output$members), stream_member, items)
    }
    out
  }
  list(
    on_response = on_response, on_data = on_data, finish = finish,
    delivered = function() state$delivered, streaming = function() state$streaming,
    bytes = function() state$n, stream_member = stream_member
  )
}

# Stream bytes between two young-generation collections in callback mode
# (response_sink()).
stream_gc_bytes <- 8 * 1024^2

# Evaluate `expr` (parsing a 2xx answer); an R error it raises because the data
# does not fit the model becomes a `paws_response_error` naming what was being
# read (`what`, only evaluated on failure), never an untyped error or partial
# data. Our own conditions (service errors from exception events,
# paws_response_error) pass through unchanged, as do errors for which
# `passthrough()` is TRUE.
as_response_error <- function(expr, what, passthrough = function() FALSE) {
  tryCatch(expr, error = function(e) {
    if (inherits(e, "paws_error") || passthrough()) stop(e)
    stop(paws_condition("paws_response_error", sprintf(
      "Could not parse %s: %s", what, conditionMessage(e)
    )))
  })
}

# A stream whose shape names a final event (API data `final_event`) must end with
# it: a connection closed cleanly at a frame boundary is otherwise
# indistinguishable from a complete answer. Only a 204 (DryRun) has no stream at
# all; an empty 200 is a stream cut before its first event.
check_final_event <- function(stream_shape, last_type, status) {
  final <- stream_shape$final_event
  if (is.null(final) || identical(last_type, final) || status == 204L) {
    return(invisible())
  }
  stop(truncated_stream_error(sprintf(
    "The event stream ended before its final %s event", final
  )))
}

# A list built from runs of items: each add_all() keeps its run as it is (in an
# environment, under its number) and the runs are joined once, at the end.
# Appending to a list held in an environment copies it (quadratic: 20,000 events
# took 4.5 s); storing a run into a list also checks the run, item by item, for a
# cycle back to the list, which an environment binding does not. NULL items (a
# callback that keeps nothing) only count: the full list, NULLs included, is made
# once at the end, so a long stream read with such a callback holds next to
# nothing while it runs (and R's GC thresholds stay low).
collector <- function() {
  runs <- new.env(parent = emptyenv())
  n_runs <- 0L
  kept <- 0L
  n <- 0L
  store <- function(positions, xs) {
    n_runs <<- n_runs + 1L
    key <- as.character(n_runs)
    assign(key, xs, envir = runs)
    assign(paste0("at", key), positions, envir = runs)
    kept <<- kept + length(xs)
  }
  # Items added one by one gather into a run of up to 256 first.
  single <- NULL
  single_at <- NULL
  n_single <- 0L
  flush <- function() {
    if (n_single) {
      k <- n_single
      n_single <<- 0L
      store(single_at[seq_len(k)], single[seq_len(k)])
      single <<- NULL
    }
  }
  list(
    add = function(x) {
      n <<- n + 1L
      if (!is.null(x)) {
        if (n_single == 0L) {
          single <<- vector("list", 256L)
          single_at <<- integer(256L)
        }
        n_single <<- n_single + 1L
        single[[n_single]] <<- x
        single_at[[n_single]] <<- n
        if (n_single == 256L) flush()
      }
      invisible()
    },
    # `present = TRUE`: the caller knows no item is NULL.
    add_all = function(xs, present = NULL) {
      flush()
      m <- length(xs)
      if (isTRUE(present)) {
        store(n + seq_len(m), xs)
        n <<- n + m
        return(invisible())
      }
      present <- which(!vapply(xs, is.null, logical(1)))
      if (length(present) == m) {
        store(n + seq_len(m), xs)
      } else if (length(present)) {
        store(n + present, xs[present])
      }
      n <<- n + m
      invisible()
    },
    # `m` NULL items (a callback that kept nothing).
    skip = function(m) {
      n <<- n + m
      invisible()
    },
    items = function() {
      flush()
      if (kept == 0L) {
        return(vector("list", n))
      }
      keys <- as.character(seq_len(n_runs))
      # One level of unlisting joins the runs (lists) into one list of their
      # items, whatever each item is.
      values <- unlist(mget(keys, envir = runs), recursive = FALSE, use.names = FALSE)
      if (kept == n) {
        return(values) # none NULL: the runs, in order, are the list
      }
      out <- vector("list", n)
      at <- unlist(mget(paste0("at", keys), envir = runs), use.names = FALSE)
      out[at] <- values
      out
    },
    size = function() n
  )
}

# Put `value` into `out` under `name`, keeping model order.
insert_member <- function(out, order, name, value) {
  out[[name]] <- value
  # intersect(order, names(out)) without its unique(): model names are unique.
  out[order[order %in% names(out)]]
}

strip_query <- function(url) sub("\\?.*$", "", url)

#' Make a service object bound to a config
#'
#' Returns copies of the generated operation functions whose enclosing
#' environment binds `.pawscore_config` to `config`, so
#' `svc$invoke_with_response_stream(...)` uses that config.
#'
#' @param operations A named list of the generated operation functions.
#' @param config A config list in paws' shape (or from [config()]); it is
#'   checked now.
#' @param credentials,endpoint,region As paws' service constructors take them:
#'   each, when given, replaces the same key of `config`.
#' @returns A named list of functions, of class `paws_service`.
#' @export
new_service <- function(operations, config = list(), credentials = list(), endpoint = NULL,
                        region = NULL) {
  service <- if (length(operations)) {
    tryCatch(service_api(structure(operations, class = "paws_service"))$api$metadata$service_full_name,
      error = function(e) NULL
    )
  }
  config <- paws_config(config, credentials, endpoint, region, service %||% "this service")
  config <- check_config(config)
  # The client's own credentials cache: temporary credentials are reused and
  # refreshed across its calls.
  bound <- config
  attr(bound, "paws_cache") <- new.env(parent = emptyenv())
  service <- lapply(operations, function(fn) {
    env <- new.env(parent = environment(fn))
    assign(".pawscore_config", bound, envir = env)
    environment(fn) <- env
    fn
  })
  structure(service, class = "paws_service", config = redact_config(config))
}

# The config kept on a service object for print(): secret key and session token
# masked, so str(), attributes() or dput() of a service never show them.
redact_config <- function(config) {
  for (key in c("secret_access_key", "session_token")) {
    if (!is.null(config$credentials$creds[[key]])) config$credentials$creds[[key]] <- "****"
  }
  config
}

#' Print a service object
#'
#' Shows the number of operations, their names and the settings given in the
#' config; secret keys and session tokens are never shown.
#'
#' @param x A service object made by [new_service()].
#' @param ... Unused.
#' @returns `x`, invisibly.
#' @export
print.paws_service <- function(x, ...) {
  config <- attr(x, "config")
  creds <- config$credentials
  who <- if (isTRUE(creds$anonymous)) {
    "anonymous"
  } else if (!is.null(creds$creds$access_key_id)) {
    sprintf("access key %s (secret not shown)", creds$creds$access_key_id)
  } else if (!is.null(creds$profile)) {
    sprintf("profile %s", creds$profile)
  } else {
    "from the environment"
  }
  cat(sprintf("<paws service: %d operations>\n", length(x)))
  cat(sprintf("  region:      %s\n", config$region %||% "from the environment"))
  cat(sprintf("  endpoint:    %s\n", config$endpoint %||% "default for the region"))
  cat(sprintf("  credentials: %s\n", who))
  cat(strwrap(paste(names(x), collapse = ", "), prefix = "  ", initial = "  operations: "),
    sep = "\n"
  )
  invisible(x)
}

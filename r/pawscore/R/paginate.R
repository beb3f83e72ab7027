# paws' paginate(), paginate_lapply() and paginate_sapply() over the paginator
# settings in the API data (`api$paginators[[<Operation>]]`, from botocore's
# paginators-1.json). Mirrors python/pawscore/paginate.py: the same pages, the
# same MaxItems truncation and the same resume tokens as boto3.

capture_state <- new.env(parent = emptyenv())

# Evaluate an operation call such as `svc$list_functions(FunctionVersion = "ALL")`
# without sending it: call_operation() sees the flag and hands back what it was
# given (API data, operation, params, config).
capture_call <- function(call, env) {
  capture_state$on <- TRUE
  on.exit(capture_state$on <- FALSE)
  spec <- eval(call, env)
  if (!inherits(spec, "paws_captured_call")) {
    stop(paws_condition("paws_usage_error", paste(
      "expected an operation call such as svc$list_functions(),",
      "got", paste(deparse(call), collapse = " ")
    )))
  }
  spec
}

#' Paginate over an operation
#'
#' Calls a paginated operation (one with a paginator in botocore's
#' `paginators-1.json`) page after page, passing each answer's token on to
#' the next call, as paws' `paginate()` does.
#'
#' @param Operation An operation call, e.g. `svc$list_functions()`; it is not
#'   sent as written but page by page.
#' @param PageSize Items asked for per call (the operation's page-size member).
#' @param MaxItems The most items returned in total; the last page is cut to
#'   fit, and `attr(, "NextToken")` of the result tells where to resume.
#' @param StartingToken A `NextToken` from an earlier walk, to resume it.
#' @param StopOnSameToken Stop (instead of failing) when the service sends the
#'   same token twice.
#' @param FUN A function applied to each page as it arrives.
#' @param ... More arguments to `FUN`.
#' @param simplify As in [sapply()].
#' @returns `paginate()`: the list of pages (each the operation's answer).
#'   `paginate_lapply()`: the list of `FUN(page)`; `paginate_sapply()`: that
#'   list simplified.
#' @examples
#' \dontrun{
#' svc <- pawslambda::lambda()
#' pages <- paginate(svc$list_functions(), PageSize = 50)
#' names <- paginate_sapply(svc$list_functions(), function(page) {
#'   vapply(page$Functions, function(f) f$FunctionName, "")
#' })
#' }
#' @export
paginate <- function(Operation, PageSize = NULL, MaxItems = NULL, StartingToken = NULL,
                     StopOnSameToken = FALSE) {
  spec <- capture_call(substitute(Operation), parent.frame())
  pages <- collector()
  token <- walk_pages(spec, pages$add, PageSize, MaxItems, StartingToken, StopOnSameToken)
  out <- pages$items()
  attr(out, "NextToken") <- token
  out
}

#' @rdname paginate
#' @export
paginate_lapply <- function(Operation, FUN, ..., PageSize = NULL, MaxItems = NULL,
                            StartingToken = NULL, StopOnSameToken = FALSE) {
  spec <- capture_call(substitute(Operation), parent.frame())
  FUN <- match.fun(FUN)
  results <- collector()
  token <- walk_pages(
    spec, function(page) results$add(FUN(page, ...)),
    PageSize, MaxItems, StartingToken, StopOnSameToken
  )
  out <- results$items()
  attr(out, "NextToken") <- token
  out
}

#' @rdname paginate
#' @export
paginate_sapply <- function(Operation, FUN, ..., simplify = TRUE, PageSize = NULL,
                            MaxItems = NULL, StartingToken = NULL, StopOnSameToken = FALSE) {
  spec <- capture_call(substitute(Operation), parent.frame())
  FUN <- match.fun(FUN)
  results <- collector()
  walk_pages(
    spec, function(page) results$add(FUN(page, ...)),
    PageSize, MaxItems, StartingToken, StopOnSameToken
  )
  simplify2array(results$items(), higher = (simplify == "array"))
}

#' List the operations of a service that can be paginated
#'
#' @param svc A service object, e.g. `pawslambda::lambda()`.
#' @returns A character vector of operation function names.
#' @export
list_paginators <- function(svc) {
  api <- service_api(svc)
  ops <- names(api$paginators)
  names(svc)[vapply(names(svc), function(fn) normal_name(fn) %in% normal_name(ops), TRUE)]
}

# The API data behind a service object: any of its functions, captured.
service_api <- function(svc) {
  if (!inherits(svc, "paws_service") || !length(svc)) {
    stop(paws_condition("paws_usage_error", "expected a service object such as pawslambda::lambda()"))
  }
  capture_call(as.call(list(svc[[1L]])), environment())
}

normal_name <- function(x) tolower(gsub("_", "", x, fixed = TRUE))

# Walk the pages of `spec`, handing each to `emit`; returns the resume token
# (NULL when the walk reached the end).
walk_pages <- function(spec, emit, PageSize, MaxItems, StartingToken, StopOnSameToken) {
  cfg <- spec$api$paginators[[spec$operation]]
  if (is.null(cfg)) {
    stop(paws_condition("paws_usage_error", sprintf("%s cannot be paginated", spec$operation)))
  }
  inputs <- unlist(cfg$input_token)
  params <- spec$params
  if (!is.null(PageSize)) {
    if (is.null(cfg$limit_key)) {
      stop(paws_condition("paws_usage_error", "this operation has no page size setting"))
    }
    params[[cfg$limit_key]] <- PageSize
  }
  start <- parse_page_token(StartingToken, inputs)
  tokens <- start$tokens
  skip <- start$skip
  keys <- unlist(cfg$result_key)
  primary <- if (length(keys)) keys[[1L]] else NULL
  total <- 0
  repeat {
    for (i in seq_along(inputs)) params[inputs[[i]]] <- list(tokens[[i]])
    page <- call_operation(spec$api, spec$operation, params, spec$config)
    items <- if (is.null(primary)) NULL else path_search(page, primary)
    count <- if (is.list(items)) length(items) else 0
    skipped <- skip
    skip <- 0
    if (skipped > 0) {
      page <- cut_results(page, keys, function(v) v[-seq_len(min(skipped, length(v)))])
      count <- max(count - skipped, 0)
    }
    if (!is.null(MaxItems) && total + count > MaxItems) {
      keep <- MaxItems - total
      emit(cut_results(page, keys, function(v) v[seq_len(keep)]))
      return(make_page_token(inputs, tokens, skipped + keep))
    }
    total <- total + count
    nxt <- lapply(unlist(cfg$output_token), function(expr) {
      v <- path_search(page, expr)
      if (identical(v, "")) NULL else v
    })
    emit(page)
    ended <- all(vapply(nxt, is.null, TRUE)) ||
      (!is.null(cfg$more_results) && !path_truthy(path_search(page, cfg$more_results)))
    if (ended) return(NULL)
    if (identical(nxt, tokens)) {
      if (isTRUE(StopOnSameToken)) return(NULL)
      stop(paws_condition("paws_pagination_error", sprintf(
        "the service sent the same next token twice: %s", format_tokens(nxt)
      )))
    }
    tokens <- nxt
    if (!is.null(MaxItems) && total >= MaxItems) return(make_page_token(inputs, tokens, 0))
  }
}

cut_results <- function(page, keys, cut) {
  for (key in keys) if (is.list(page[[key]])) page[[key]] <- cut(page[[key]])
  page
}

format_tokens <- function(tokens) paste(vapply(tokens, function(t) format(t), ""), collapse = ", ")

# boto3's resume token: base64 of Python's json.dumps() of every input token
# (and the truncation), so that a token from R resumes a walk in Python or
# boto3 and back. json.dumps separates with ", " and ": ".
make_page_token <- function(inputs, tokens, truncate) {
  values <- vapply(tokens, function(t) {
    if (is.null(t)) "null" else as.character(jsonlite::toJSON(t, auto_unbox = TRUE, digits = NA))
  }, "")
  keys <- vapply(inputs, function(k) as.character(jsonlite::toJSON(k, auto_unbox = TRUE)), "")
  if (truncate > 0) {
    keys <- c(keys, "\"boto_truncate_amount\"")
    values <- c(values, format(as.integer(truncate)))
  }
  json <- paste0("{", paste0(keys, ": ", values, collapse = ", "), "}")
  jsonlite::base64_enc(charToRaw(enc2utf8(json)))
}

parse_page_token <- function(token, inputs) {
  none <- list(tokens = rep(list(NULL), length(inputs)), skip = 0)
  if (is.null(token)) return(none)
  doc <- tryCatch(
    jsonlite::parse_json(rawToChar(jsonlite::base64_dec(token))),
    error = function(e) NULL
  )
  if (!is.list(doc) || is.null(names(doc))) {
    if (length(inputs) != 1L) {
      stop(paws_condition("paws_pagination_error", "StartingToken is not a token of this operation"))
    }
    return(list(tokens = list(token), skip = 0))
  }
  skip <- doc$boto_truncate_amount %||% 0
  doc$boto_truncate_amount <- NULL
  if (!all(names(doc) %in% inputs)) {
    stop(paws_condition("paws_pagination_error", "StartingToken is not a token of this operation"))
  }
  list(tokens = lapply(inputs, function(k) doc[[k]]), skip = skip)
}

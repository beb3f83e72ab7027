# What every protocol does alike: idempotency tokens, host prefixes, and finding
# the modeled error for a code (mirrors python/pawscore/wire.py).

# The operation's host prefix (endpoint trait), its {labels} filled from
# host_label members; a value that is not a DNS label is refused.
add_host_prefix <- function(endpoint, prefix, shape, params) {
  if (is.null(prefix) || !nzchar(prefix)) {
    return(endpoint)
  }
  for (name in names(shape$members)) {
    if (!isTRUE(shape$members[[name]]$host_label)) next
    value <- params[[name]]
    if (!is.character(value) || !grepl(host_label_re, value)) {
      stop(param_error(sprintf("%s: must be a valid DNS label", name)))
    }
    prefix <- gsub(paste0("{", name, "}"), value, prefix, fixed = TRUE)
  }
  sub("://", paste0("://", prefix), endpoint, fixed = TRUE)
}

host_label_re <- "^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$"

# Members marked idempotency_token get a fresh UUID (v4) when not given.
fill_idempotency_tokens <- function(api, shape_name, params) {
  if (is.null(shape_name)) {
    return(params)
  }
  members <- api$shapes[[shape_name]]$members
  for (name in names(members)) {
    if (isTRUE(members[[name]]$idempotency_token) && is.null(params[[name]])) {
      params[[name]] <- uuid4()
    }
  }
  params
}

uuid4 <- function() {
  bytes <- random_bytes(16L)
  bytes[7] <- (bytes[7] & as.raw(0x0f)) | as.raw(0x40)
  bytes[9] <- (bytes[9] & as.raw(0x3f)) | as.raw(0x80)
  hex <- paste(as.character(bytes), collapse = "")
  paste(substring(hex, c(1, 9, 13, 17, 21), c(8, 12, 16, 20, 32)), collapse = "-")
}

# Random bytes that neither come from nor disturb the caller's RNG stream: with
# set.seed() before each call, sample.int() gave every call the same "unique"
# token, and the service takes a repeated token for a retry of the old request.
random_bytes <- function(n, source = "/dev/urandom") {
  if (file.exists(source)) {
    con <- file(source, "rb", raw = TRUE)
    on.exit(close(con))
    bytes <- readBin(con, "raw", n)
    if (length(bytes) == n) {
      return(bytes)
    }
  }
  # Elsewhere: unique per process, call and instant.
  token_state$count <- (token_state$count %||% 0) + 1
  seed <- paste(format(Sys.time(), "%Y%m%d%H%M%OS6"), Sys.getpid(), token_state$count, tempfile())
  utils::head(digest::digest(seed, algo = "sha256", serialize = FALSE, raw = TRUE), n)
}

token_state <- new.env(parent = emptyenv())

# The service's message from an error document: the first of `keys` that holds
# a string (as in Python), else "".
error_message <- function(json, keys = c("message", "Message", "errorMessage")) {
  for (key in keys) {
    value <- json_get(json, key)
    if (is.character(value) && length(value) == 1L && !is.na(value)) {
      return(value)
    }
  }
  ""
}

error_code_for_status <- function(status) paste0("Http", status)

# The fields of a service error, as in Python: the body's own keys (less the code
# and message keys in `skip`), then the modeled members parsed by their shape;
# the message is the error's message, never a field.
error_fields <- function(json, modeled, skip) {
  out <- empty_object()
  for (name in setdiff(unique(names(json)), skip)) {
    value <- json_get(json, name)
    if (!is.null(value)) out[[name]] <- value
  }
  for (name in names(modeled)) out[[name]] <- modeled[[name]]
  out[setdiff(names(out), c("message", "Message"))]
}

error_skip_keys <- c("__type", "code", "message", "Message", "errorMessage")

# An error code without its namespace or trailing URI:
# "aws.protocoltests#FooError:http://internal.amazon.com/..." -> "FooError".
strip_code <- function(raw) {
  if (!is.character(raw) || length(raw) != 1L || is.na(raw)) {
    return("")
  }
  trimws(sub("^.*#", "", sub(":.*$", "", raw)))
}

# Name of the modeled error shape whose wire code is `code`, or NULL.
error_shape_name <- function(api, code) {
  if (is.null(code) || !nzchar(code)) {
    return(NULL)
  }
  shape <- api$shapes[[code]]
  if (!is.null(shape) && isTRUE(shape$exception) && is.null(shape$error$code)) {
    return(code)
  }
  # In model order (an indexed API keeps it apart: see indexed_api()).
  for (name in api$shape_names %||% names(api$shapes)) {
    candidate <- api$shapes[[name]]
    if (isTRUE(candidate$exception) && identical(candidate$error$code %||% name, code)) {
      return(name)
    }
  }
  NULL
}

find_error_shape <- function(api, code) {
  name <- error_shape_name(api, code)
  if (is.null(name)) NULL else api$shapes[[name]]
}

# The request id of a response (lower-case header names).
response_request_id <- function(headers) {
  id <- unname(headers["x-amzn-requestid"])
  if (is.na(id)) id <- unname(headers["x-amz-request-id"])
  if (is.na(id)) NULL else id
}

# Condition constructors shared by every part of the runtime. Class names match
# the Python runtime's exception names (docs/contracts.md, section 5).

paws_condition <- function(classes, message, ..., call = NULL) {
  structure(
    class = c(classes, "paws_error", "error", "condition"),
    list(message = message, call = call, ...)
  )
}

# Input failed validation; `problems` holds one line per problem.
param_error <- function(problems) {
  lines <- paste0("  - ", problems, collapse = "\n")
  msg <- sprintf("Invalid parameters (%d problem(s)):\n%s", length(problems), lines)
  paws_condition("paws_param_error", msg, problems = problems)
}

# A service error (non-2xx answer or an exception event); `code` leads the class.
# The `message` field is the service's own message, as in Python; the full text
# (code, HTTP status, request id) comes from conditionMessage(). `shape` is the
# modeled error shape's name: a class too when it differs from the code (SQS's
# "AWS.SimpleQueueService.NonExistentQueue" is also a "QueueDoesNotExist").
service_error <- function(code, message = "", status_code = NULL, request_id = NULL,
                          fields = list(), shape = NULL) {
  code <- if (is.null(code) || !nzchar(code)) "ServiceError" else code
  paws_condition(
    unique(c(code, shape, "paws_service_error")), message %||% "",
    code = code, status_code = status_code, request_id = request_id,
    fields = fields
  )
}

# S3 method, registered in NAMESPACE.
conditionMessage.paws_service_error <- function(c) {
  text <- if (nzchar(c$message)) paste0(c$code, ": ", c$message) else c$code
  if (!is.null(c$status_code)) {
    rid <- if (is.null(c$request_id)) "" else paste0(", request id ", c$request_id)
    text <- sprintf("%s (HTTP %s%s)", text, c$status_code, rid)
  }
  text
}

connection_error <- function(message) {
  paws_condition("paws_connection_error", message)
}

# A call that ran out of time: a read timeout, or the config's whole-call
# deadline (Python: ReadTimeoutError, an HttpError). Still a connection error,
# so handlers for those keep catching it.
timeout_error <- function(message) {
  paws_condition(c("paws_timeout_error", "paws_connection_error"), message)
}

# No byte for read_timeout seconds after the request was sent, before or
# during the body (Python's ReadTimeoutError): a timeout error.
read_timeout_error <- function(message) {
  paws_condition(c("paws_read_timeout", "paws_timeout_error", "paws_connection_error"), message)
}

# No connection within connect_timeout seconds (Python's ConnectTimeoutError,
# an EndpointConnectionError).
connect_timeout_error <- function(message) {
  paws_condition(c("paws_connect_timeout", "paws_connection_error"), message)
}

# curl's words for a transfer that timed out before the response began: with
# the read timeout kept by run_until_idle() and the deadline checked first,
# that is the connect timeout (to the endpoint or the proxy).
is_connect_timeout <- function(failure) {
  # curl words it "Connection timeout after N ms" when it notices while waiting.
  grepl("Timeout was reached|timed out|Connection timeout after", failure, ignore.case = TRUE)
}

truncated_stream_error <- function(message) {
  paws_condition(c("TruncatedStream", "EventStreamError"), message)
}

`%||%` <- function(x, y) if (is.null(x)) y else x

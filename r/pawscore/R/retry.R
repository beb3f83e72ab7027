# Standard-mode retries: exponential backoff with full jitter, the same policy
# and code lists as the Python runtime. Only whole attempts are retried; the
# client never retries once an event has been delivered.

transient_status <- c(500L, 502L, 503L, 504L)
throttling_status <- 429L
throttling_codes <- c(
  "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
  "TooManyRequestsException", "ProvisionedThroughputExceededException",
  "TransactionInProgressException", "RequestLimitExceeded", "BandwidthLimitExceeded",
  "LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
  "EC2ThrottledException"
)
transient_codes <- c("RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete")

retry_policy <- function(max_attempts = 3L, base = 0.05, cap = 20) {
  list(max_attempts = max_attempts, base = base, cap = cap)
}

# Seconds to wait after the `failures`-th failed attempt (1-based).
retry_delay <- function(policy, failures) {
  stats::runif(1) * min(policy$cap, policy$base * 2^(failures - 1))
}

is_retryable <- function(condition) {
  if (inherits(condition, "paws_service_error")) {
    status <- condition$status_code %||% NA_integer_
    return(status %in% c(transient_status, throttling_status) ||
      condition$code %in% c(throttling_codes, transient_codes))
  }
  inherits(condition, "paws_connection_error")
}

# Run `attempt()` until it succeeds, fails for good, or attempts run out.
# `attempt` returns a value or a condition object (not signalled); a condition
# flagged `delivered` (events reached the caller) is never retried.
# With a `deadline`, no wait outlasts it, and a failure worth retrying after it
# has passed raises the deadline's timeout error instead (as in Python).
with_retries <- function(attempt, policy, deadline = NULL) {
  failures <- 0L
  repeat {
    result <- attempt()
    if (!inherits(result, "condition")) {
      return(result)
    }
    failures <- failures + 1L
    if (failures >= policy$max_attempts || isTRUE(result$delivered) || !is_retryable(result)) {
      stop(result)
    }
    if (deadline_left(deadline) <= 0) stop(deadline_error(deadline))
    Sys.sleep(min(retry_delay(policy, failures), max(0, deadline_left(deadline))))
  }
}

# Retries in botocore's three modes (legacy: 5 attempts by default; standard
# and adaptive: 3), exponential backoff with full jitter, the same policy and
# code lists as the Python runtime. Only whole attempts are retried; the
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

# botocore's retry modes and their default attempts.
retry_modes <- c("legacy", "standard", "adaptive")
retry_default_attempts <- list(legacy = 5L, standard = 3L, adaptive = 3L)

retry_policy <- function(max_attempts = 3L, base = 0.05, cap = 20, mode = "standard") {
  list(max_attempts = max_attempts, base = base, cap = cap, mode = mode)
}

# Seconds to wait after the `failures`-th failed attempt (1-based): full
# jitter. In adaptive mode a throttling answer slows the client down: it waits
# the whole backoff instead of a random part of it.
retry_delay <- function(policy, failures, condition = NULL) {
  backoff <- min(policy$cap, policy$base * 2^(failures - 1))
  if (identical(policy$mode, "adaptive") && is_throttling(condition)) {
    return(backoff)
  }
  stats::runif(1) * backoff
}

is_throttling <- function(condition) {
  inherits(condition, "paws_service_error") &&
    (identical(condition$status_code, throttling_status) || condition$code %in% throttling_codes)
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
    Sys.sleep(min(retry_delay(policy, failures, result), max(0, deadline_left(deadline))))
  }
}

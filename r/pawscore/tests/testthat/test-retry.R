# Which failures are retried, and the backoff bounds.

test_that("throttling, 5xx and connection errors are retryable; others are not", {
  expect_true(is_retryable(service_error("X", status_code = 503L)))
  expect_true(is_retryable(service_error("X", status_code = 429L)))
  expect_true(is_retryable(service_error("TooManyRequestsException", status_code = 400L)))
  expect_true(is_retryable(connection_error("refused")))
  expect_false(is_retryable(service_error("ResourceNotFoundException", status_code = 404L)))
  expect_false(is_retryable(param_error("x")))
})

test_that("backoff is full jitter under an exponential cap", {
  policy <- retry_policy(base = 0.05, cap = 0.3)
  delays <- vapply(1:200, function(i) retry_delay(policy, 1 + i %% 6), numeric(1))
  expect_true(all(delays >= 0))
  expect_true(all(delays <= 0.3))
  expect_true(all(vapply(1:50, function(i) retry_delay(policy, 1), 0) <= 0.05))
})

test_that("with_retries stops at max_attempts and never retries delivered failures", {
  calls <- 0
  failing <- function() {
    calls <<- calls + 1
    service_error("ServiceException", status_code = 500L)
  }
  expect_error(with_retries(failing, retry_policy(max_attempts = 3, base = 0)), class = "ServiceException")
  expect_identical(calls, 3)
  calls <- 0
  delivered <- function() {
    calls <<- calls + 1
    err <- service_error("ServiceException", status_code = 500L)
    err$delivered <- TRUE
    err
  }
  expect_error(with_retries(delivered, retry_policy(base = 0)), class = "ServiceException")
  expect_identical(calls, 1)
  calls <- 0
  flaky <- function() {
    calls <<- calls + 1
    if (calls < 3) connection_error("reset") else "ok"
  }
  expect_identical(with_retries(flaky, retry_policy(base = 0)), "ok")
})

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

test_that("retry mode and attempts come from config, then the environment, then the profile", {
  dir <- withr::local_tempdir()
  writeLines(c("[default]", "retry_mode = legacy", "max_attempts = 7"), file.path(dir, "config"))
  withr::local_envvar(
    AWS_CONFIG_FILE = file.path(dir, "config"), AWS_PROFILE = NA, AWS_DEFAULT_PROFILE = NA,
    AWS_RETRY_MODE = NA, AWS_MAX_ATTEMPTS = NA
  )
  expect_identical(resolve_retry(list()), list(mode = "legacy", max_attempts = 7L))
  withr::local_envvar(AWS_RETRY_MODE = "adaptive", AWS_MAX_ATTEMPTS = "2")
  expect_identical(resolve_retry(list()), list(mode = "adaptive", max_attempts = 2L))
  expect_identical(
    resolve_retry(list(retry_mode = "standard", max_attempts = 4)),
    list(mode = "standard", max_attempts = 4L)
  )
  withr::local_envvar(AWS_MAX_ATTEMPTS = "many")
  expect_error(resolve_retry(list()), "AWS_MAX_ATTEMPTS", class = "paws_config_error")
  withr::local_envvar(AWS_MAX_ATTEMPTS = NA, AWS_RETRY_MODE = "bogus")
  expect_error(resolve_retry(list()), "AWS_RETRY_MODE", class = "paws_config_error")
  expect_error(check_config(list(retry_mode = "fast")), class = "paws_config_error")
})

test_that("each mode has botocore's default attempts", {
  writeLines(character(), cfg <- withr::local_tempfile())
  withr::local_envvar(AWS_CONFIG_FILE = cfg, AWS_PROFILE = NA, AWS_MAX_ATTEMPTS = NA)
  for (mode in names(retry_default_attempts)) {
    withr::local_envvar(AWS_RETRY_MODE = mode)
    expect_identical(resolve_retry(list())$max_attempts, retry_default_attempts[[mode]])
  }
  expect_identical(retry_default_attempts$legacy, 5L)
})

test_that("adaptive mode waits the whole backoff after throttling", {
  policy <- retry_policy(base = 0.1, mode = "adaptive")
  throttled <- service_error("ThrottlingException", status_code = 400L)
  expect_identical(retry_delay(policy, 2, throttled), 0.2)
  expect_true(retry_delay(policy, 2, service_error("X", status_code = 500L)) <= 0.2)
})

test_that("a body that does not match x-amz-crc32 is a retryable checksum error", {
  body <- charToRaw('{"TableNames":["a"]}')
  crc <- format(es_crc32(body), scientific = FALSE)
  expect_null(body_crc32_problem(c("Content-Type" = "application/json"), body))
  expect_null(body_crc32_problem(c("X-Amz-Crc32" = crc), body))
  expect_null(body_crc32_problem(c("x-amz-crc32" = "0"), raw()))
  damaged <- body
  damaged[3] <- as.raw(bitwXor(as.integer(damaged[3]), 1L))
  problem <- body_crc32_problem(c("x-amz-crc32" = crc), damaged)
  expect_s3_class(problem, "paws_checksum_error")
  expect_true(is_retryable(problem))
  expect_match(conditionMessage(problem), "damaged on the way")
  for (bad in c("abc", "-1", "4294967296", "")) {
    expect_s3_class(body_crc32_problem(c("x-amz-crc32" = bad), body), "paws_connection_error")
  }
})

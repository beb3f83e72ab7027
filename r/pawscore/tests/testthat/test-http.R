# Streaming HTTP: the curl options a request is sent with.

test_that("connect timeouts below one second are kept, not read by curl as 'no timeout'", {
  opts <- curl_timeouts(0.25)
  expect_identical(opts$connecttimeout_ms, 250L)
  expect_null(opts[["connecttimeout"]])
  # The read timeout is ours (run_until_idle), not curl's low-speed check.
  expect_null(opts[["low_speed_time"]])
  expect_identical(curl_timeouts(10)$connecttimeout_ms, 10000L)
  # Every name is a real curl option.
  expect_true(all(names(opts) %in% names(curl::curl_options())))
})

# Streaming HTTP: the curl options a request is sent with.

test_that("timeouts below one second are kept, not read by curl as 'no timeout'", {
  opts <- curl_timeouts(0.25, 0.5)
  expect_identical(opts$connecttimeout_ms, 250L)
  expect_null(opts[["connecttimeout"]])
  expect_identical(opts$low_speed_time, 1L)
  expect_identical(curl_timeouts(10, 60)$connecttimeout_ms, 10000L)
  expect_identical(curl_timeouts(10, 60)$low_speed_time, 60L)
  # Every name is a real curl option.
  expect_true(all(names(opts) %in% names(curl::curl_options())))
})

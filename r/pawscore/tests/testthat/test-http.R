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

# The request header block curl sends for `request` to the emulator.
sent_headers <- function(request) {
  handle <- new_http_handle(request, 5)
  out <- character()
  curl::handle_setopt(handle, verbose = TRUE, debugfunction = function(type, data) {
    if (type == 2L) out <<- c(out, rawToChar(data))
  })
  curl::curl_fetch_memory(request$url, handle = handle)
  lines <- strsplit(paste(out, collapse = ""), "\r\n", fixed = TRUE)[[1]]
  lines[nzchar(lines)]
}

test_that("curl adds no Accept header, and a modelled Accept is sent alone", {
  skip_without_server()
  url <- paste0(Sys.getenv("PAWS_TEST_ENDPOINT"), "/2015-03-31/functions/hello/invocations")
  plain <- sent_headers(list(method = "POST", url = url, headers = character(), body = raw()))
  expect_true(any(startsWith(plain, "POST ")))
  expect_false(any(grepl("^accept:", plain, ignore.case = TRUE)))
  given <- sent_headers(list(
    method = "POST", url = url, headers = c(Accept = "application/json"), body = raw()
  ))
  expect_identical(given[grepl("^accept:", given, ignore.case = TRUE)], "Accept: application/json")
})

test_that("HEAD requests end with the headers, whatever Content-Length says", {
  skip_without_server()
  # The emulator answers HEAD with 501 and the Content-Length of an error page it
  # does not send; curl used to wait for it and fail.
  res <- http_stream(
    list(method = "HEAD", url = paste0(Sys.getenv("PAWS_TEST_ENDPOINT"), "/x"),
         headers = character(), body = raw()),
    connect_timeout = 5, read_timeout = 5
  )
  expect_null(res$failure)
  expect_identical(res$status, 501L)
  expect_true(as.integer(res$headers[["Content-Length"]]) > 0)
})

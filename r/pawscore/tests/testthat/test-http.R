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

test_that("the request's headers go out as given, with curl's defaults removed", {
  skip_without_server()
  url <- paste0(Sys.getenv("PAWS_TEST_ENDPOINT"), "/2015-03-31/functions/hello/invocations")
  sent <- sent_headers(list(
    method = "POST", url = url, body = charToRaw("{}"),
    headers = c(Host = "not.sent", `X-Amz-Date` = "20261201T000000Z", `X-Odd` = "a b")
  ))
  expect_true("X-Amz-Date: 20261201T000000Z" %in% sent)
  expect_true("X-Odd: a b" %in% sent)
  expect_false(any(grepl("^(expect|content-type|accept):", sent, ignore.case = TRUE)))
  expect_identical(sum(grepl("^host:", sent, ignore.case = TRUE)), 1L)
  expect_false(any(grepl("not.sent", sent, fixed = TRUE)))
})

test_that("header lines are those curl::handle_setheaders() makes", {
  expect_identical(header_lines(c(A = "1", B = "")), c("A: 1", "B: ", "Expect: "))
  expect_identical(header_lines(c(Expect = "100-continue", A = "1")), c("Expect: ", "A: 1"))
  expect_identical(header_lines(c(expect = "x")), c("expect: x", "Expect: "))
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

# A signed request for the emulator's streaming function `name`.
signed_stream_request <- function(name, payload) {
  call <- prepare_call(lambda_api(), "InvokeWithResponseStream",
    list(FunctionName = name, Payload = payload), emulator_config(), on_event = NULL
  )
  start_attempt(call)$request
}

test_that("curl's reads reach on_data in order, a long pass in parts", {
  skip_without_server()
  pool <- curl::new_pool()
  got <- list()
  sizes <- integer()
  transfer <- http_transfer(
    signed_stream_request("chunks", '{"n": 3000, "size": 1000}'), 5,
    on_response = function(status, headers) NULL,
    on_data = function(chunks) {
      sizes <<- c(sizes, length(chunks))
      got[[length(got) + 1L]] <<- do.call(c, chunks)
      NULL
    },
    pool = pool, batch_reads = 2L
  )
  run_until_idle(transfer, pool, read_timeout = 10)
  res <- transfer$result()
  expect_identical(res$status, 200L)
  expect_null(res$callback_error)
  expect_null(res$failure)
  expect_true(all(sizes >= 1L & sizes <= 2L))
  messages <- es_decode(do.call(c, got))
  expect_length(messages, 3001L)
  expect_identical(lengths(lapply(messages[1:3000], `[[`, "payload")), rep(1000L, 3000))
})

test_that("an error from on_data ends the transfer, inside a pass or after it", {
  skip_without_server()
  for (batch in c(1L, 128L)) {
    pool <- curl::new_pool()
    calls <- 0L
    transfer <- http_transfer(
      signed_stream_request("chunks", '{"n": 3000, "size": 1000}'), 5,
      on_response = function(status, headers) NULL,
      on_data = function(chunks) {
        calls <<- calls + 1L
        if (calls == 3L) stop("no more")
      },
      pool = pool, batch_reads = batch
    )
    run_until_idle(transfer, pool, read_timeout = 10)
    res <- transfer$result()
    expect_identical(conditionMessage(res$callback_error), "no more")
    expect_identical(calls, 3L)
    # Nothing is left running in the pool.
    expect_length(curl::multi_list(pool), 0L)
  }
})

test_that("a header block parses to its last answer's headers, trimmed, names as sent", {
  block <- c(
    charToRaw("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nX-One:  a b  \r\nNo colon here\r\n"),
    charToRaw("Content-Type:application/json\r\nX-Latin: caf"), as.raw(0xe9),
    charToRaw("\r\nX-Empty:\r\n:odd\r\n\r\n")
  )
  headers <- parse_header_block(block)
  expect_identical(names(headers), c("X-One", "Content-Type", "X-Latin", "X-Empty", ""))
  expect_identical(unname(headers[c(1, 2, 4, 5)]), c("a b", "application/json", "", "odd"))
  expect_identical(parse_header_block(raw()), character())
  expect_length(parse_header_block(charToRaw("HTTP/1.1 204 No Content\r\n\r\n")), 0L)
})

test_that("a header block split at LF alone reads as one split at CRLF", {
  crlf <- charToRaw("HTTP/1.1 200 OK\r\nA: 1 \r\nB:\t2\r\nC\r\n\r\n")
  lf <- charToRaw("HTTP/1.1 200 OK\nA: 1 \nB:\t2\nC\n\n")
  expect_identical(parse_header_block(crlf), parse_header_block(lf))
  expect_identical(parse_header_block(crlf), c(A = "1", B = "2"))
  expect_identical(parse_header_block(charToRaw("A: x\r\r\n")), c(A = "x"))
})

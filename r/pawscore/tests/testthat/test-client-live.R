# The live tier: the client against a running pawslocal emulator over real HTTP
# (curl, its connection pools, bytes as the server flushes them). The pytest driver
# tests/r/test_pawscore_r.py starts the emulator and sets PAWS_TEST_ENDPOINT; without
# it these are the only tests of the package that skip.

invoke_live <- function(name, payload = NULL, ..., on_event = NULL) {
  call_operation(lambda_api(), "InvokeWithResponseStream",
    list(FunctionName = name, Payload = payload, ...),
    config = emulator_config(), on_event = on_event
  )
}

test_that("a streamed invocation arrives over HTTP as the documented nested list", {
  skip_without_server()
  seen <- character()
  resp <- invoke_live("stream", '{"n": 3, "delay": 0.05}', on_event = function(event) {
    seen <<- c(seen, names(event))
    NULL
  })
  expect_identical(resp$StatusCode, 200L)
  expect_identical(seen, c(rep("PayloadChunk", 3), "InvokeComplete"))
})

test_that("a stream cut inside a frame over HTTP raises TruncatedStream", {
  skip_without_server()
  err <- tryCatch(invoke_live("stream-cut", '{"n": 5}'), error = function(e) e)
  expect_s3_class(err, c("TruncatedStream", "EventStreamError", "paws_error"))
})

test_that("a 5xx over HTTP is retried until one succeeds", {
  skip_without_server()
  resp <- call_operation(lambda_api(), "Invoke", list(FunctionName = "flaky"),
    config = emulator_config()
  )
  expect_identical(resp$StatusCode, 200L)
})

test_that("a call after a stream ended by a fault reuses the pool cleanly", {
  skip_without_server()
  for (i in 1:3) {
    err <- tryCatch(invoke_live("stream-between-frames", '{"n": 5}'), error = function(e) e)
    expect_s3_class(err, "TruncatedStream")
    expect_identical(invoke_live("bytes256")$StatusCode, 200L)
  }
})

test_that("a call made from inside on_event works (pools do not nest)", {
  skip_without_server()
  inner <- list()
  resp <- invoke_live("stream", '{"n": 2, "delay": 0}', on_event = function(event) {
    inner[[length(inner) + 1L]] <<- invoke_live("bytes256")$StatusCode
    names(event)
  })
  expect_identical(unlist(resp$EventStream), c("PayloadChunk", "PayloadChunk", "InvokeComplete"))
  expect_identical(unlist(inner), rep(200L, 3))
  # The shared pool is usable again afterwards.
  expect_identical(invoke_live("bytes256")$StatusCode, 200L)
})

test_that("calls made inside on_event reuse one pool per depth, not a new pool each", {
  skip_without_server()
  invoke_live("bytes256")
  pools <- function() vapply(http_state$pools, format, "")
  outer <- pools()
  invoke_live("stream", '{"n": 2, "delay": 0}', on_event = function(event) {
    for (i in 1:5) invoke_live("bytes256")
    NULL
  })
  # Before, each of the 15 nested calls left behind its own pool (and open socket).
  expect_length(http_state$pools, 2L)
  expect_identical(pools()[1], outer[1])
  expect_identical(http_state$depth, 0L)
})

test_that("a stream of many reads over HTTP: every event, then stop or fail mid-read", {
  skip_without_server()
  payload <- '{"n": 3000, "size": 1000}'
  resp <- invoke_live("chunks", payload)
  events <- resp$EventStream
  expect_length(events, 3001L)
  expect_identical(names(events[[3001]]), "InvokeComplete")
  sizes <- vapply(events[1:3000], function(e) length(e$PayloadChunk$Payload), 1L)
  expect_identical(sizes, rep(1000L, 3000))
  # stop_stream() at an event inside a read: exactly the events before it.
  calls <- 0L
  resp <- invoke_live("chunks", payload, on_event = function(e) {
    calls <<- calls + 1L
    if (calls == 1234L) stop_stream("stop")
    calls
  })
  expect_identical(calls, 1234L)
  expect_true(attr(resp$EventStream, "stopped"))
  expect_identical(c(resp$EventStream), c(as.list(1:1233), "stop"))
  # An error inside a read propagates as is, after the events before it.
  calls <- 0L
  err <- tryCatch(
    invoke_live("chunks", payload, on_event = function(e) {
      calls <<- calls + 1L
      if (calls == 2000L) stop("failed at 2000")
    }),
    error = function(e) e
  )
  expect_identical(conditionMessage(err), "failed at 2000")
  expect_identical(calls, 2000L)
  # The pool is clean afterwards.
  expect_length(invoke_live("chunks", '{"n": 5, "size": 10}')$EventStream, 6L)
})

test_that("the pull mode reads a stream of many reads event by event", {
  skip_without_server()
  resp <- call_operation(lambda_api(), "InvokeWithResponseStream",
    list(FunctionName = "chunks", Payload = '{"n": 2500, "size": 700}'),
    config = emulator_config(), stream = TRUE
  )
  n <- 0L
  bytes <- 0
  while (!is.null(event <- next_event(resp$EventStream))) {
    n <- n + 1L
    bytes <- bytes + length(event$PayloadChunk$Payload)
  }
  expect_identical(n, 2501L)
  expect_identical(bytes, 2500 * 700)
})

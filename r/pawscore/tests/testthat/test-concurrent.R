# call_concurrently() against the pawslocal emulator: results in input order,
# one .on_event per call, and a failure stays in its own slot.

stream_call <- function(name, payload = NULL, ..., on_event = NULL, config = emulator_config()) {
  call_operation(lambda_api(), "InvokeWithResponseStream",
    list(FunctionName = name, Payload = payload, ...),
    config = config, on_event = on_event
  )
}

chunk_bytes <- function(events) {
  chunks <- Filter(function(e) !is.null(e$PayloadChunk), events)
  sum(vapply(chunks, function(e) length(e$PayloadChunk$Payload), numeric(1)))
}

test_that("results come back in input order, each call with its own on_event", {
  skip_without_server()
  seen <- list(a = 0L, c = 0L)
  out <- call_concurrently(
    a = stream_call("chunks", '{"n": 50, "size": 100}', on_event = function(e) {
      seen$a <<- seen$a + 1L
      names(e)
    }),
    b = stream_call("stream", '{"n": 3, "delay": 0.05}'),
    c = stream_call("chunks", '{"n": 7, "size": 10}', on_event = function(e) {
      seen$c <<- seen$c + 1L
      NULL
    })
  )
  expect_named(out, c("a", "b", "c"))
  expect_identical(seen, list(a = 51L, c = 8L))
  expect_identical(unlist(out$a$EventStream), c(rep("PayloadChunk", 50), "InvokeComplete"))
  expect_identical(out$b$StatusCode, 200L)
  expect_identical(
    rawToChar(do.call(c, lapply(out$b$EventStream[1:3], function(e) e$PayloadChunk$Payload))),
    "chunk 1 of 3\nchunk 2 of 3\nchunk 3 of 3\n"
  )
  expect_length(out$c$EventStream, 8L)
  # The same answers as calls made one at a time.
  alone <- stream_call("stream", '{"n": 3, "delay": 0.05}')
  expect_identical(out$b, alone)
})

test_that("each failure is a typed condition in its own slot; the others complete", {
  skip_without_server()
  out <- call_concurrently(
    stream_call("chunks", '{"n": 20, "size": 64}'),
    stream_call("no-such-function"),
    stream_call("stream-exception"),
    stream_call(name = NULL),
    stream_call("chunks", on_event = function(e) stop("my callback failed")),
    stream_call("stream-cut"),
    stream_call("always-503", config = emulator_config(max_attempts = 2)),
    stream_call("chunks", '{"n": 5, "size": 1000}')
  )
  expect_length(out, 8L)
  expect_null(names(out))
  expect_identical(chunk_bytes(out[[1]]$EventStream), 20 * 64)
  expect_s3_class(out[[2]], "ResourceNotFoundException")
  expect_s3_class(out[[2]], "paws_service_error")
  expect_identical(out[[2]]$status_code, 404L)
  expect_s3_class(out[[3]], "ServiceException")
  expect_s3_class(out[[4]], "paws_param_error")
  expect_s3_class(out[[5]], "error")
  expect_match(conditionMessage(out[[5]]), "my callback failed")
  expect_s3_class(out[[6]], "EventStreamError")
  expect_s3_class(out[[7]], "paws_service_error")
  expect_identical(out[[7]]$status_code, 503L)
  expect_identical(chunk_bytes(out[[8]]$EventStream), 5000)
})

test_that("a retried call succeeds among others", {
  skip_without_server()
  out <- call_concurrently(
    stream_call("throttled"),
    stream_call("chunks", '{"n": 3}')
  )
  expect_identical(out[[1]]$StatusCode, 200L)
  expect_identical(out[[2]]$StatusCode, 200L)
})

test_that(".calls takes quoted calls and functions, after those in ...", {
  skip_without_server()
  sizes <- c(10, 20, 30)
  quoted <- lapply(sizes, function(s) {
    bquote(stream_call("chunks", .(sprintf('{"n": 2, "size": %d}', s))))
  })
  out <- call_concurrently(
    first = stream_call("chunks", '{"n": 2, "size": 5}'),
    .calls = c(quoted, list(last = function() stream_call("chunks", '{"n": 2, "size": 1}')))
  )
  expect_named(out, c("first", "", "", "", "last"))
  got <- vapply(out, function(o) chunk_bytes(o$EventStream), numeric(1))
  expect_identical(unname(got), c(10, 20, 40, 60, 2))
})

test_that("more calls than .max_active all run, in input order", {
  skip_without_server()
  out <- call_concurrently(
    .calls = lapply(1:6, function(i) {
      function() stream_call("chunks", sprintf('{"n": %d, "size": 8}', i))
    }),
    .max_active = 2
  )
  expect_identical(
    vapply(out, function(o) chunk_bytes(o$EventStream), numeric(1)), 8 * (1:6)
  )
})

test_that("something that is not an operation call is an error in its slot", {
  skip_without_server()
  out <- call_concurrently(1 + 1, stream_call("chunks", '{"n": 1}'))
  expect_s3_class(out[[1]], "paws_usage_error")
  expect_identical(out[[2]]$StatusCode, 200L)
  expect_error(call_concurrently(.max_active = 0), class = "paws_param_error")
})

test_that("outside call_concurrently calls run at once as before", {
  skip_without_server()
  resp <- stream_call("chunks", '{"n": 2}')
  expect_false(inherits(resp, "paws_pending_call"))
  expect_identical(resp$StatusCode, 200L)
})

test_that("stop_stream() in one call's callback stops only that call", {
  skip_without_server()
  out <- call_concurrently(
    stream_call("chunks", '{"n": 40, "size": 8}', on_event = function(e) stop_stream("enough")),
    stream_call("chunks", '{"n": 40, "size": 8}')
  )
  expect_identical(c(out[[1]]$EventStream), list("enough"))
  expect_true(attr(out[[1]]$EventStream, "stopped"))
  expect_identical(chunk_bytes(out[[2]]$EventStream), 40 * 8)
})

test_that("a callback failing or stopping mid-read ends only its own call", {
  skip_without_server()
  big <- '{"n": 3000, "size": 1000}'
  count <- c(0L, 0L, 0L)
  out <- call_concurrently(
    stream_call("chunks", big, on_event = function(e) {
      count[1] <<- count[1] + 1L
      if (count[1] == 1500L) stop("failed at 1500")
    }),
    stream_call("chunks", big, on_event = function(e) {
      count[2] <<- count[2] + 1L
      if (count[2] == 777L) stop_stream("stopped")
      NULL
    }),
    stream_call("chunks", big, on_event = function(e) {
      count[3] <<- count[3] + 1L
      NULL
    }),
    stream_call("chunks", big)
  )
  expect_identical(count, c(1500L, 777L, 3001L))
  expect_match(conditionMessage(out[[1]]), "failed at 1500")
  expect_length(out[[2]]$EventStream, 777L)
  expect_identical(out[[2]]$EventStream[[777]], "stopped")
  expect_true(attr(out[[2]]$EventStream, "stopped"))
  expect_length(out[[3]]$EventStream, 3001L)
  expect_identical(chunk_bytes(out[[4]]$EventStream), 3000 * 1000)
})

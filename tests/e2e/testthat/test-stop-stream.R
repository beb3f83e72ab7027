# Stopping a stream early from an .on_event callback: the call returns what was
# read, marked as stopped, with no error raised or printed.

test_that("stop_stream() ends the call early and marks the result", {
  svc <- pawslambda::lambda(config = e2e_config())
  seen <- 0L
  out <- capture.output(type = "message", {
    resp <- svc$invoke_with_response_stream(
      FunctionName = "endless",
      .on_event = function(event) {
        seen <<- seen + 1L
        text <- rawToChar(event$PayloadChunk$Payload)
        if (seen == 3L) pawscore::stop_stream(toupper(text))
        text
      }
    )
  })
  expect_identical(out, character())
  expect_identical(resp$StatusCode, 200L)
  expect_identical(unlist(resp$EventStream), c("chunk-0;", "chunk-1;", "CHUNK-2;"))
  expect_true(isTRUE(attr(resp$EventStream, "stopped")))
  # The connection was closed cleanly: the next call on the same client works.
  again <- svc$invoke_with_response_stream(FunctionName = "three")
  expect_null(attr(again$EventStream, "stopped"))
  expect_identical(length(again$EventStream), 4L)
})

test_that("stop_stream() outside a callback is a usage error", {
  expect_error(pawscore::stop_stream(), class = "paws_usage_error")
})

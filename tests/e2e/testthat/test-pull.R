# The pull mode (.stream = TRUE): events read from the connection on demand,
# the R counterpart of Python's stream=True.

test_that(".stream = TRUE returns at once and reads each event when asked", {
  flag <- tempfile("flag")
  svc <- pawslambda::lambda(config = e2e_config())
  resp <- svc$invoke_with_response_stream(
    FunctionName = "handshake",
    Payload = jsonlite::toJSON(list(flag = flag), auto_unbox = TRUE),
    .stream = TRUE
  )
  expect_identical(resp$StatusCode, 200L)
  expect_s3_class(resp$EventStream, "paws_event_stream")
  first <- pawscore::next_event(resp$EventStream)
  expect_identical(rawToChar(first$PayloadChunk$Payload), "first")
  # The function sends its second chunk only after this: the call has returned
  # and the first event was read while the function was still running.
  file.create(flag)
  second <- pawscore::next_event(resp$EventStream)
  expect_identical(rawToChar(second$PayloadChunk$Payload), "after-signal")
  expect_named(pawscore::next_event(resp$EventStream), "InvokeComplete")
  expect_null(pawscore::next_event(resp$EventStream))
  expect_null(pawscore::next_event(resp$EventStream))
})

test_that("as.list() reads the rest; the default mode gives the same events", {
  svc <- pawslambda::lambda(config = e2e_config())
  pulled <- as.list(svc$invoke_with_response_stream(FunctionName = "three", .stream = TRUE)$EventStream)
  whole <- svc$invoke_with_response_stream(FunctionName = "three")$EventStream
  expect_identical(pulled, whole)
})

test_that("close() stops reading early and the client goes on working", {
  svc <- pawslambda::lambda(config = e2e_config())
  resp <- svc$invoke_with_response_stream(FunctionName = "endless", .stream = TRUE)
  expect_identical(rawToChar(pawscore::next_event(resp$EventStream)$PayloadChunk$Payload), "chunk-0;")
  close(resp$EventStream)
  expect_null(pawscore::next_event(resp$EventStream))
  expect_output(print(resp$EventStream), "closed")
  expect_identical(length(svc$invoke_with_response_stream(FunctionName = "three")$EventStream), 4L)
})

test_that("errors are the default mode's: typed, before or during the stream", {
  svc <- pawslambda::lambda(config = e2e_config())
  expect_error(
    svc$invoke_with_response_stream(FunctionName = "no-such-function", .stream = TRUE),
    class = "ResourceNotFoundException"
  )
  expect_error(
    svc$invoke_with_response_stream(FunctionName = "three", .stream = TRUE, .on_event = identity),
    class = "paws_usage_error"
  )
  expect_error(svc$get_function(FunctionName = "three", .stream = TRUE), class = "paws_param_error")
  expect_error(pawscore::next_event(list()), class = "paws_usage_error")
})

test_that("a stream cut short, or an exception event, is an error when reached", {
  svc <- pawslambda::lambda(config = e2e_config())
  cut <- svc$invoke_with_response_stream(FunctionName = "three-cut", .stream = TRUE)
  expect_named(pawscore::next_event(cut$EventStream), "PayloadChunk")
  expect_named(pawscore::next_event(cut$EventStream), "PayloadChunk")
  expect_error(pawscore::next_event(cut$EventStream), class = "TruncatedStream")
  expect_null(pawscore::next_event(cut$EventStream)) # closed after the error
  failing <- svc$invoke_with_response_stream(FunctionName = "three-exception", .stream = TRUE)
  expect_named(pawscore::next_event(failing$EventStream), "PayloadChunk")
  expect_error(pawscore::next_event(failing$EventStream), class = "ServiceException")
})

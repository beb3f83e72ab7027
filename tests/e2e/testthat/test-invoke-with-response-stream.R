test_that("the default call returns the documented nested list", {
  svc <- pawslambda::lambda(config = e2e_config())
  resp <- svc$invoke_with_response_stream(FunctionName = "three")
  expect_named(resp, c("StatusCode", "ExecutedVersion", "EventStream", "ResponseStreamContentType"))
  expect_identical(resp$StatusCode, 200L)
  expect_identical(resp$ExecutedVersion, "$LATEST")
  expect_identical(resp$ResponseStreamContentType, "application/vnd.amazon.eventstream")
  expect_identical(resp$EventStream, list(
    list(PayloadChunk = list(Payload = charToRaw("a"))),
    list(PayloadChunk = list(Payload = charToRaw("bb"))),
    list(PayloadChunk = list(Payload = charToRaw("ccc"))),
    list(InvokeComplete = setNames(list(), character(0)))
  ))
})

test_that(".on_event runs on each event as it arrives, before the body ends", {
  flag <- tempfile("flag")
  seen <- list()
  on_event <- function(event) {
    if (!is.null(event$PayloadChunk)) {
      seen[[length(seen) + 1]] <<- rawToChar(event$PayloadChunk$Payload)
      file.create(flag) # the function waits for this before its second chunk
    }
    names(event)
  }
  svc <- pawslambda::lambda(config = e2e_config())
  resp <- svc$invoke_with_response_stream(
    FunctionName = "handshake",
    Payload = jsonlite::toJSON(list(flag = flag), auto_unbox = TRUE),
    .on_event = on_event
  )
  expect_identical(seen, list("first", "after-signal"))
  expect_identical(resp$EventStream, list("PayloadChunk", "PayloadChunk", "InvokeComplete"))
})

test_that("a function's own failure is data in InvokeComplete", {
  svc <- pawslambda::lambda(config = e2e_config())
  resp <- svc$invoke_with_response_stream(FunctionName = "crash")
  expect_identical(resp$EventStream[[1]]$PayloadChunk$Payload, charToRaw("partial"))
  complete <- resp$EventStream[[length(resp$EventStream)]]$InvokeComplete
  expect_identical(complete$ErrorCode, "Unhandled")
  expect_identical(jsonlite::fromJSON(complete$ErrorDetails)$errorMessage, "boom")
})

test_that("an unknown function is a typed condition with the service's fields", {
  svc <- pawslambda::lambda(config = e2e_config())
  caught <- tryCatch(
    svc$invoke_with_response_stream(FunctionName = "nope"),
    ResourceNotFoundException = function(e) e
  )
  expect_s3_class(caught, c("ResourceNotFoundException", "paws_service_error", "error", "condition"))
  expect_identical(caught$code, "ResourceNotFoundException")
  expect_identical(as.integer(caught$status_code), 404L)
  expect_match(caught$message, "nope")
  expect_true(nzchar(caught$request_id))
})

test_that("bad input is a paws_param_error and nothing is sent", {
  svc <- pawslambda::lambda(config = e2e_config())
  err <- NULL
  sent <- e2e_posts_between_markers({
    expect_error(svc$invoke_with_response_stream(), class = "paws_param_error")
    err <- tryCatch(
      svc$invoke_with_response_stream(
        FunctionName = 12, InvocationType = "Sync", LogType = "Everything", Payload = 1.5
      ),
      paws_param_error = function(e) e
    )
  })
  expect_length(sent, 0)
  expect_s3_class(err, "paws_param_error")
  for (name in c("FunctionName", "InvocationType", "LogType", "Payload")) {
    expect_match(conditionMessage(err), name)
  }
})

test_that("the request markers do see a request that was sent", {
  svc <- pawslambda::lambda(config = e2e_config())
  sent <- e2e_posts_between_markers(svc$invoke_with_response_stream(FunctionName = "three"))
  expect_length(sent, 1)
  expect_match(sent, "/functions/three/", fixed = TRUE)
})

test_that("the exported function takes its settings from the environment", {
  withr_env <- c(
    AWS_ENDPOINT_URL_LAMBDA = e2e_endpoint(), AWS_REGION = "us-east-1",
    AWS_ACCESS_KEY_ID = Sys.getenv("PAWS_TEST_ACCESS_KEY_ID"),
    AWS_SECRET_ACCESS_KEY = Sys.getenv("PAWS_TEST_SECRET_ACCESS_KEY")
  )
  old <- Sys.getenv(names(withr_env), unset = NA, names = TRUE)
  do.call(Sys.setenv, as.list(withr_env))
  on.exit({
    for (n in names(old)) if (is.na(old[[n]])) Sys.unsetenv(n) else do.call(Sys.setenv, as.list(old[n]))
  })
  resp <- pawslambda::lambda_invoke_with_response_stream("hello", Payload = "{}")
  expect_identical(resp$StatusCode, 200L)
  body <- jsonlite::fromJSON(rawToChar(resp$EventStream[[1]]$PayloadChunk$Payload))
  expect_identical(body, list(hello = "world", version = "$LATEST"))
})

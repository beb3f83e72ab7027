# call_operation() and new_service() on recorded emulator responses, replayed
# through the transport seam (helper-replay.R): no network, no Python. The tests
# that need a live emulator are in test-client-live.R.

invoke_stream <- function(name, payload = NULL, ..., on_event = NULL, config = emulator_config()) {
  call_operation(lambda_api(), "InvokeWithResponseStream",
    list(FunctionName = name, Payload = payload, ...),
    config = config, on_event = on_event
  )
}

url_path <- function(url) sub("^https?://[^/]+", "", url)

payload_text <- function(events) {
  chunks <- Filter(function(e) !is.null(e$PayloadChunk), events)
  rawToChar(do.call(c, lapply(chunks, function(e) e$PayloadChunk$Payload)))
}

test_that("a streamed invocation returns the documented nested list", {
  seen <- local_replay("stream_n3")
  resp <- invoke_stream("stream", '{"n": 3, "delay": 0}')
  expect_identical(resp$StatusCode, 200L)
  expect_identical(resp$ExecutedVersion, "$LATEST")
  expect_identical(resp$ResponseStreamContentType, "application/vnd.amazon.eventstream")
  expect_identical(
    names(resp),
    c("StatusCode", "ExecutedVersion", "EventStream", "ResponseStreamContentType")
  )
  events <- resp$EventStream
  expect_null(names(events))
  expect_length(events, 4)
  for (event in events[1:3]) {
    expect_identical(names(event), "PayloadChunk")
    expect_type(event$PayloadChunk$Payload, "raw")
  }
  expect_identical(names(events[[4]]), "InvokeComplete")
  expect_identical(payload_text(events), "chunk 1 of 3\nchunk 2 of 3\nchunk 3 of 3\n")
  # What went out: one signed POST to the streaming path, payload as given.
  expect_length(seen$requests, 1L)
  req <- seen$requests[[1]]
  expect_identical(req$method, "POST")
  expect_identical(
    url_path(req$url), "/2021-11-15/functions/stream/response-streaming-invocations"
  )
  expect_identical(rawToChar(req$body), '{"n": 3, "delay": 0}')
  expect_match(req$headers[["Authorization"]], "^AWS4-HMAC-SHA256 Credential=AKIDPAWSLOCAL/")
})

test_that("on_event runs on each event in order and EventStream holds its values", {
  local_replay("stream_n4")
  seen <- character()
  resp <- invoke_stream("stream", '{"n": 4, "delay": 0}', on_event = function(event) {
    seen <<- c(seen, names(event))
    length(seen)
  })
  expect_identical(seen, c(rep("PayloadChunk", 4), "InvokeComplete"))
  expect_identical(resp$EventStream, as.list(1:5))
})

test_that("binary payloads arrive byte for byte", {
  local_replay("stream_bytes256")
  resp <- invoke_stream("bytes256")
  expect_identical(
    do.call(c, lapply(resp$EventStream[-length(resp$EventStream)], function(e) e$PayloadChunk$Payload)),
    as.raw(0:255)
  )
})

test_that("a DryRun gives an empty EventStream", {
  seen <- local_replay("stream_dryrun")
  resp <- invoke_stream("stream", InvocationType = "DryRun")
  expect_identical(resp$StatusCode, 204L)
  expect_identical(resp$EventStream, list())
  expect_identical(seen$requests[[1]]$headers[["X-Amz-Invocation-Type"]], "DryRun")
})

test_that("LogType Tail puts the log into InvokeComplete", {
  seen <- local_replay("stream_tail")
  resp <- invoke_stream("stream", '{"n": 1}', LogType = "Tail")
  last <- resp$EventStream[[length(resp$EventStream)]]
  expect_type(last$InvokeComplete$LogResult, "character")
  expect_match(rawToChar(jsonlite::base64_dec(last$InvokeComplete$LogResult)), "REPORT")
  expect_identical(seen$requests[[1]]$headers[["X-Amz-Log-Type"]], "Tail")
})

test_that("a function error is data in InvokeComplete, not a condition", {
  local_replay("stream_fail")
  resp <- invoke_stream("fail")
  last <- resp$EventStream[[length(resp$EventStream)]]
  expect_true(nzchar(last$InvokeComplete$ErrorCode))
})

test_that("an unknown function raises the modeled service error", {
  local_replay("stream_not_found")
  err <- tryCatch(invoke_stream("no-such-function"), ResourceNotFoundException = function(e) e)
  expect_s3_class(err, c("ResourceNotFoundException", "paws_service_error", "paws_error", "error"))
  expect_identical(err$code, "ResourceNotFoundException")
  expect_identical(err$status_code, 404L)
  expect_type(err$request_id, "character")
  expect_match(conditionMessage(err), "^ResourceNotFoundException: .*HTTP 404")
})

test_that("a stream cut inside a frame raises TruncatedStream after earlier events", {
  local_replay("stream_cut")
  delivered <- 0
  err <- tryCatch(
    invoke_stream("stream-cut", '{"n": 5}', on_event = function(e) delivered <<- delivered + 1),
    error = function(e) e
  )
  expect_s3_class(err, c("TruncatedStream", "EventStreamError", "paws_error"))
  expect_identical(delivered, 2)
})

test_that("a stream that ends cleanly inside a frame raises TruncatedStream", {
  local_replay("stream_truncate")
  err <- tryCatch(invoke_stream("stream-truncate", '{"n": 5}'), error = function(e) e)
  expect_s3_class(err, c("TruncatedStream", "EventStreamError", "paws_error"))
})

test_that("a stream cut between frames, before its final event, is truncated", {
  local_replay("stream_between_frames")
  delivered <- 0L
  err <- tryCatch(
    invoke_stream("stream-between-frames", '{"n": 5}', on_event = function(e) {
      delivered <<- delivered + 1L
    }),
    error = function(e) e
  )
  expect_s3_class(err, c("TruncatedStream", "EventStreamError", "paws_error"))
  expect_match(conditionMessage(err), "before its final InvokeComplete event")
  expect_identical(delivered, 2L)
})

test_that("an empty 200 event stream is truncated, not an empty answer", {
  local_replay("stream_empty")
  err <- tryCatch(invoke_stream("stream-empty", '{"n": 5}'), error = function(e) e)
  expect_s3_class(err, c("TruncatedStream", "EventStreamError", "paws_error"))
})

test_that("a corrupt frame raises ChecksumMismatch", {
  local_replay("stream_badcrc")
  err <- tryCatch(invoke_stream("stream-badcrc", '{"n": 5}'), error = function(e) e)
  expect_s3_class(err, c("ChecksumMismatch", "EventStreamError", "paws_error"))
})

test_that("an exception frame raises the modeled error after earlier events", {
  local_replay("stream_exception")
  delivered <- 0
  err <- tryCatch(
    invoke_stream("stream-exception", '{"n": 5}', on_event = function(e) delivered <<- delivered + 1),
    ServiceException = function(e) e
  )
  expect_s3_class(err, c("ServiceException", "paws_service_error", "paws_error"))
  expect_identical(err$code, "ServiceException")
  expect_identical(delivered, 1)
})

test_that("an error in on_event stops the call and propagates as is", {
  local_replay("stream_n3")
  expect_error(
    invoke_stream("stream", '{"n": 3}', on_event = function(e) stop("callback failed")),
    "callback failed"
  )
})

test_that("5xx answers are retried until one succeeds", {
  seen <- local_replay("invoke_503", "invoke_503", "invoke_hello")
  resp <- call_operation(lambda_api(), "Invoke", list(FunctionName = "flaky"),
    config = emulator_config()
  )
  expect_identical(resp$StatusCode, 200L)
  expect_match(rawToChar(resp$Payload), "Hello, world!")
  expect_length(seen$requests, 3L)
})

test_that("retries stop after max_attempts", {
  seen <- local_replay("invoke_503", "invoke_503")
  err <- tryCatch(
    call_operation(lambda_api(), "Invoke", list(FunctionName = "always-503"),
      config = emulator_config(max_attempts = 2)
    ),
    paws_service_error = function(e) e
  )
  expect_identical(err$status_code, 503L)
  expect_length(seen$requests, 2L)
})

test_that("an unreachable endpoint raises paws_connection_error", {
  config <- emulator_config()
  config$endpoint <- "http://127.0.0.1:9"
  config$max_attempts <- 1
  err <- tryCatch(invoke_stream("stream", config = config), error = function(e) e)
  expect_s3_class(err, c("paws_connection_error", "paws_error", "error"))
})

test_that("invalid input raises paws_param_error and sends nothing", {
  config <- emulator_config()
  config$endpoint <- "http://127.0.0.1:9"
  err <- tryCatch(
    call_operation(lambda_api(), "InvokeWithResponseStream",
      list(FunctionName = NULL, LogType = "Loud", Bogus = 1),
      config = config
    ),
    error = function(e) e
  )
  expect_s3_class(err, c("paws_param_error", "paws_error", "error"))
  expect_length(err$problems, 3)
  expect_match(err$problems[1], "^FunctionName: required parameter is missing$")
})

test_that("Invoke returns the payload as raw and typed headers", {
  seen <- local_replay("invoke_echo")
  resp <- call_operation(lambda_api(), "Invoke",
    list(FunctionName = "echo", Payload = '{"a": [1, 2]}'),
    config = emulator_config()
  )
  expect_identical(resp$StatusCode, 200L)
  expect_identical(jsonlite::parse_json(rawToChar(resp$Payload)), list(a = list(1L, 2L)))
  expect_identical(url_path(seen$requests[[1]]$url), "/2015-03-31/functions/echo/invocations")
})

test_that("an error code the model does not list still gives a typed condition", {
  local_replay("get_function")
  # pawslocal serves the data plane only, so GetFunction is unknown to it.
  err <- tryCatch(
    call_operation(lambda_api(), "GetFunction", list(FunctionName = "hello"),
      config = emulator_config()
    ),
    paws_service_error = function(e) e
  )
  expect_s3_class(err, c("UnknownOperationException", "paws_service_error", "paws_error"))
  expect_identical(err$status_code, 404L)
})

test_that("new_service binds the config into copies of the operations", {
  seen <- local_replay("stream_n2")
  api <- lambda_api()
  op <- function(FunctionName, Payload = NULL) {
    call_operation(api, "InvokeWithResponseStream",
      list(FunctionName = FunctionName, Payload = Payload),
      config = .pawscore_config
    )
  }
  environment(op) <- list2env(list(api = api, .pawscore_config = list()), parent = asNamespace("pawscore"))
  svc <- new_service(list(invoke_with_response_stream = op), emulator_config())
  resp <- svc$invoke_with_response_stream("stream", '{"n": 2}')
  expect_identical(payload_text(resp$EventStream), "chunk 1 of 2\nchunk 2 of 2\n")
  expect_identical(get(".pawscore_config", environment(op)), list())
  expect_match(seen$requests[[1]]$headers[["Authorization"]], "Credential=AKIDPAWSLOCAL/")
  expect_error(new_service(list(), list(regoin = "x")), class = "paws_config_error")
})

test_that("a service prints its settings but never its secrets", {
  op <- function() NULL
  svc <- new_service(list(do_thing = op, other_thing = op), list(
    region = "eu-west-1",
    credentials = list(creds = list(
      access_key_id = "AKIDPRINTTEST", secret_access_key = "s3cr3t-value", session_token = "tok3n-value"
    ))
  ))
  expect_s3_class(svc, "paws_service")
  out <- capture.output(print(svc))
  expect_match(out[[1]], "<paws service: 2 operations>", fixed = TRUE)
  expect_true(any(grepl("eu-west-1", out, fixed = TRUE)))
  expect_true(any(grepl("AKIDPRINTTEST", out, fixed = TRUE)))
  expect_true(any(grepl("do_thing, other_thing", out, fixed = TRUE)))
  expect_false(any(grepl("s3cr3t-value|tok3n-value", out)))
  expect_identical(svc$do_thing(), NULL)
})

test_that("str(), dput() and attributes() of a service never show its secrets", {
  op <- function() NULL
  svc <- new_service(list(do_thing = op), list(
    region = "eu-west-1",
    credentials = list(creds = list(
      access_key_id = "AKIDSTRTEST", secret_access_key = "s3cr3t-value",
      session_token = "tok3n-value"
    ))
  ))
  shown <- c(capture.output(str(svc)), capture.output(dput(attributes(svc))))
  expect_false(any(grepl("s3cr3t-value|tok3n-value", shown)))
  expect_true(any(grepl("AKIDSTRTEST", capture.output(print(svc)), fixed = TRUE)))
  # The operations still sign with the real secret.
  expect_identical(
    get(".pawscore_config", environment(svc$do_thing))$credentials$creds$secret_access_key,
    "s3cr3t-value"
  )
})

test_that("on_event runs with the caller's show.error.messages setting", {
  local_replay("stream_n2")
  withr::local_options(show.error.messages = TRUE)
  seen <- logical()
  invoke_stream("stream", '{"n": 2, "delay": 0}', on_event = function(event) {
    seen <<- c(seen, getOption("show.error.messages"))
  })
  expect_identical(seen, rep(TRUE, 3))
  expect_true(getOption("show.error.messages"))
})

# A made-up service whose answers do not fit its model.
misfit_api <- list(
  metadata = list(endpoint_prefix = "misfit"),
  operations = list(
    Get = list(name = "Get", output = "GetOutput"),
    Watch = list(name = "Watch", output = "WatchOutput", event_stream_output = TRUE)
  ),
  shapes = list(
    GetOutput = list(type = "structure", members = list(
      Sub = list(shape = "Sub"), Data = list(shape = "Blob")
    )),
    Sub = list(type = "structure", members = list(Name = list(shape = "Text"))),
    WatchOutput = list(type = "structure", payload = "Events", members = list(
      Events = list(shape = "Events")
    )),
    Events = list(type = "structure", event_stream = TRUE, members = list(
      Tick = list(shape = "Tick")
    )),
    Tick = list(type = "structure", event = TRUE, members = list(Data = list(shape = "Blob"))),
    Oops = list(type = "structure", exception = TRUE, members = list(
      message = list(shape = "Text"), Data = list(shape = "Blob")
    )),
    Text = list(type = "string"),
    Blob = list(type = "blob")
  )
)

sink_result <- function(operation, body) {
  sink <- response_sink(misfit_api, misfit_api$operations[[operation]], NULL)
  tryCatch(
    {
      sink$on_response(200L, character())
      sink$on_data(body)
      sink$finish(200L, character())
    },
    error = function(e) e
  )
}

test_that("a 2xx body that does not fit the model is a paws_response_error", {
  for (body in c('{"Sub": "not an object"}', '{"Data": 12}')) {
    err <- sink_result("Get", charToRaw(body))
    expect_s3_class(err, c("paws_response_error", "paws_error", "error"))
    expect_match(conditionMessage(err), "Could not parse the Get response (HTTP 200)", fixed = TRUE)
  }
})

test_that("an event that does not fit the model is a paws_response_error", {
  frame <- es_encode_message(
    list(":message-type" = "event", ":event-type" = "Tick"), '{"Data": 12}'
  )
  err <- sink_result("Watch", frame)
  expect_s3_class(err, c("paws_response_error", "paws_error", "error"))
  expect_match(conditionMessage(err), "Could not parse an event of the Watch response")
  # The caller's own error in on_event is not mistaken for a parse failure.
  sink <- response_sink(misfit_api, misfit_api$operations$Watch, function(e) stop("mine"))
  sink$on_response(200L, character())
  good <- es_encode_message(list(":message-type" = "event", ":event-type" = "Tick"), "{}")
  err <- tryCatch(sink$on_data(good), error = function(e) e)
  expect_false(inherits(err, "paws_error"))
  expect_identical(conditionMessage(err), "mine")
})

test_that("an unreadable header value fails only when the model reads it", {
  api <- misfit_api
  api$shapes$Tick$members$Seq <- list(shape = "Long", event_header = TRUE)
  api$shapes$Long <- list(type = "long")
  frame <- function(name) {
    block <- c(
      as.raw(13), charToRaw(":message-type"), as.raw(c(7, 0, 5)), charToRaw("event"),
      as.raw(11), charToRaw(":event-type"), as.raw(c(7, 0, 4)), charToRaw("Tick"),
      as.raw(nchar(name)), charToRaw(name), as.raw(5), as.raw(c(0, 0x20, 0, 0, 0, 0, 0, 1))
    )
    es_decode(es_raw_frame(block, charToRaw("{}")))[[1]]
  }
  # 2^53 + 1 cannot be an R number: nobody reads "Other", so the event arrives.
  event <- message_to_event(api, api$shapes$Events, frame("Other"))
  expect_identical(names(event), "Tick")
  expect_length(event$Tick, 0)
  err <- tryCatch(message_to_event(api, api$shapes$Events, frame("Seq")), error = function(e) e)
  expect_s3_class(err, c("HeaderValueOutOfRange", "EventStreamError", "paws_error"))
  expect_match(conditionMessage(err), "'Seq'.*2\\^53")
})

test_that("modeled error fields that do not fit never hide the service error", {
  body <- charToRaw('{"message": ["not", "a string"], "Data": 12}')
  err <- parse_error(misfit_api, 400L, c(`x-amzn-ErrorType` = "Oops"), body)
  expect_s3_class(err, c("Oops", "paws_service_error"))
  expect_identical(err$message, "")
  expect_identical(conditionMessage(err), "Oops (HTTP 400)")
  frame <- list(headers = list(":message-type" = "exception", ":exception-type" = "Oops"),
                payload = body)
  err <- tryCatch(message_to_event(misfit_api, misfit_api$shapes$Events, frame),
                  error = function(e) e)
  expect_s3_class(err, c("Oops", "paws_service_error"))
  expect_identical(conditionMessage(err), "Oops")
})

test_that("on_event for an operation without an event stream is a usage error", {
  err <- tryCatch(
    call_operation(misfit_api, "Get", list(), config = list(region = "us-east-1"),
      on_event = identity
    ),
    error = function(e) e
  )
  expect_s3_class(err, c("paws_usage_error", "paws_error", "error"))
  expect_match(conditionMessage(err), "Get has no event stream")
})


test_that("an API's shapes are read through a hashed copy, the same as from the list", {
  api <- list(
    metadata = list(protocol = "rest-json"),
    operations = list(),
    shapes = list(
      A = list(type = "string"),
      FirstError = list(type = "structure", exception = TRUE, error = list(code = "Same")),
      SecondError = list(type = "structure", exception = TRUE, error = list(code = "Same")),
      Plain = list(type = "structure", exception = TRUE)
    )
  )
  indexed <- indexed_api(api)
  expect_true(is.environment(indexed$shapes))
  for (name in names(api$shapes)) expect_identical(indexed$shapes[[name]], api$shapes[[name]])
  expect_null(indexed$shapes[["Missing"]])
  expect_identical(indexed$shape_names, names(api$shapes))
  # The first shape in model order wins, as from the list.
  expect_identical(error_shape_name(indexed, "Same"), "FirstError")
  expect_identical(error_shape_name(indexed, "Same"), error_shape_name(api, "Same"))
  expect_identical(error_shape_name(indexed, "Plain"), "Plain")
  # The same API gives the same copy; another API its own.
  expect_identical(indexed_api(api), indexed)
  expect_identical(indexed_api(indexed), indexed)
  other <- api
  other$shapes$A <- list(type = "integer")
  expect_identical(indexed_api(other)$shapes[["A"]], list(type = "integer"))
  expect_identical(indexed_api(api)$shapes[["A"]], list(type = "string"))
  for (i in 1:6) indexed_api(list(shapes = list(X = list(type = "string", n = i))))
  expect_length(indexed_apis$entries, indexed_apis_kept)
})

test_that("collector() gives the items in order, NULLs kept, however they were added", {
  set.seed(11)
  for (trial in 1:200) {
    got <- collector()
    want <- list()
    for (step in seq_len(sample(1:700, 1))) {
      r <- runif(1)
      if (r < 0.6) {
        x <- if (runif(1) < 0.3) NULL else sample(list(1L, "a", raw(2), list(q = 1)), 1)[[1]]
        got$add(x)
        want <- c(want, list(x))
      } else if (r < 0.85) {
        xs <- lapply(seq_len(sample(0:5, 1)), function(i) if (runif(1) < 0.3) NULL else i)
        got$add_all(xs)
        want <- c(want, xs)
      } else if (r < 0.95) {
        xs <- as.list(seq_len(sample(0:4, 1)))
        got$add_all(xs, present = TRUE)
        want <- c(want, xs)
      } else {
        m <- sample(0:3, 1)
        got$skip(m)
        want <- c(want, vector("list", m))
      }
    }
    expect_identical(got$items(), want)
    expect_identical(got$size(), length(want))
  }
})

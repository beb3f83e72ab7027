# botocore's json protocol cases, awsJson 1.1 and 1.0 (converted to API data by
# the pytest driver, which leaves out the cases botocore itself ignores). Every
# call goes through the protocol seam, so metadata$protocol picks the functions.

test_that("every json input case serializes as botocore expects", {
  cases <- read_test_json("json_protocol_input.json")
  expect_identical(length(cases), 68L)
  for (case in cases) {
    expect_identical(case$api$metadata$protocol, "json")
    req <- build_request(case$api, case$operation, case$params, "https://example.com")
    exp <- case$serialized
    expect_identical(req$method, exp$method, label = paste(case$id, "method"))
    expect_identical(sub("^https://[^/]+", "", req$url), exp$uri, label = paste(case$id, "uri"))
    host <- sub("^https://([^/]+).*$", "\\1", req$url)
    expect_identical(host, exp$host %||% "example.com", label = paste(case$id, "host"))
    body <- rawToChar(req$body)
    if (!is.null(exp$body)) {
      expect_true(json_equal(body, exp$body), label = paste(case$id, "body:", body))
    }
    names(req$headers) <- tolower(names(req$headers))
    for (h in names(exp$headers)) {
      expect_identical(unname(req$headers[tolower(h)]), exp$headers[[h]],
        label = paste(case$id, "header", h)
      )
    }
    for (h in unlist(exp$forbidHeaders)) {
      expect_false(tolower(h) %in% names(req$headers), label = paste(case$id, "forbids", h))
    }
    expect_false("x-amzn-query-mode" %in% names(req$headers))
  }
})

# Cases whose expected value R cannot hold: DESIGN.md refuses a long beyond 2^53
# (doubles stop being exact) with a paws_response_error, never a rounded number.
beyond_2_53 <- c("parses_long_shapes")

test_that("every json output case parses to the typed result", {
  cases <- read_test_json("json_protocol_output.json")
  expect_identical(length(cases), 78L)
  for (case in cases) {
    api <- case$api
    if (case$id %in% beyond_2_53) {
      expect_error(
        parse_response(api, case$operation, case$response$status_code, character(),
          charToRaw(case$response$body)),
        "beyond 2\\^53", class = "paws_response_error"
      )
      next
    }
    op <- api$operations[[case$operation]]
    resp <- case$response
    headers <- unlist(resp$headers %||% list())
    if (is.null(headers)) headers <- character()
    body <- charToRaw(enc2utf8(resp$body %||% ""))
    if (!is.null(case$errorCode)) {
      err <- parse_error(api, resp$status_code, headers, body)
      expect_s3_class(err, c(case$errorCode, "paws_service_error", "paws_error"))
      expect_identical(err$code, case$errorCode, label = case$id)
      expect_identical(err$status_code, as.integer(resp$status_code))
      if (!is.null(case$errorMessage)) expect_identical(err$message, case$errorMessage)
      shape <- api$shapes[[case$errorCode]]
      # The message is the error's message, not a field (as in Python).
      want <- case$error[setdiff(names(case$error), c("Message", "message"))]
      want <- typed_expected(api, shape, want)
      # Body keys first, then modeled header members: compare regardless of order.
      want <- want[setdiff(names(want), c("Message", "message"))]
      expect_equal(err$fields[sort(names(err$fields))], want[sort(names(want))],
        label = paste(case$id, "fields")
      )
      next
    }
    out_shape <- if (is.null(op$output)) NULL else api$shapes[[op$output]]
    parsed <- parse_response(api, case$operation, resp$status_code, headers, body)
    out <- sort_maps(api, out_shape, parsed)
    expected <- if (is.null(op$output)) {
      structure(list(), names = character())
    } else {
      typed_expected(api, api$shapes[[op$output]], case$result)
    }
    expect_equal(out, expected, label = case$id, tolerance = 1e-6)
  }
})

# What the conformance data does not cover: query-compatible services (SQS).
sqs_like <- list(
  metadata = list(
    protocol = "json", json_version = "1.0", target_prefix = "AmazonSQS",
    aws_query_compatible = TRUE
  ),
  operations = list(GetQueueUrl = list(
    name = "GetQueueUrl", http_method = "POST", request_uri = "/", input = "In",
    errors = list("QueueDoesNotExist")
  )),
  shapes = list(
    In = list(type = "structure", members = list(QueueName = list(shape = "S"))),
    S = list(type = "string"),
    QueueDoesNotExist = list(
      type = "structure", members = list(message = list(shape = "S")), exception = TRUE
    )
  )
)

test_that("query-compatible services are sent x-amzn-query-mode", {
  req <- build_request(sqs_like, "GetQueueUrl", list(QueueName = "q"), "https://example.com")
  expect_identical(req$url, "https://example.com/")
  expect_identical(req$headers[["x-amzn-query-mode"]], "true")
  expect_identical(req$headers[["X-Amz-Target"]], "AmazonSQS.GetQueueUrl")
  expect_identical(req$headers[["Content-Type"]], "application/x-amz-json-1.0")
  expect_identical(rawToChar(req$body), '{"QueueName":"q"}')
})

test_that("x-amzn-query-error gives the code; the shape still gives a class", {
  headers <- c(
    `x-amzn-query-error` = "AWS.SimpleQueueService.NonExistentQueue;Sender",
    `x-amzn-RequestId` = "rid-1"
  )
  body <- charToRaw('{"__type": "com.amazonaws.sqs#QueueDoesNotExist", "message": "gone"}')
  err <- parse_error(sqs_like, 400L, headers, body)
  expect_s3_class(err, c(
    "AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist", "paws_service_error"
  ))
  expect_identical(err$code, "AWS.SimpleQueueService.NonExistentQueue")
  expect_identical(err$message, "gone")
  expect_identical(err$request_id, "rid-1")
  # As in Python: body keys other than code and message, then modeled members;
  # never the message.
  expect_identical(err$fields, structure(list(), names = character()))
  extra <- charToRaw('{"__type": "QueueDoesNotExist", "message": "m", "Detail": "x"}')
  expect_identical(parse_error(sqs_like, 400L, headers, extra)$fields, list(Detail = "x"))
  caught <- tryCatch(stop(err), QueueDoesNotExist = function(e) "caught")
  expect_identical(caught, "caught")
  # Not "<Code>;<fault>": the body's code stays, as in botocore.
  for (odd in c("Odd", "A;B;C", ";Sender")) {
    plain <- parse_error(sqs_like, 400L, c(`x-amzn-query-error` = odd), body)
    expect_identical(plain$code, "QueueDoesNotExist", label = odd)
  }
  trailing <- parse_error(sqs_like, 400L, c(`x-amzn-query-error` = "Gone;"), body)
  expect_identical(trailing$code, "Gone")
})

test_that("__type codes lose their namespace and URI", {
  forms <- c(
    "FooError", "aws.protocoltests.restjson#FooError",
    "FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/",
    "aws.ns#FooError:http://internal.amazon.com/coral/x/"
  )
  for (form in forms) {
    body <- charToRaw(jsonlite::toJSON(list(`__type` = form), auto_unbox = TRUE))
    expect_identical(parse_error(sqs_like, 400L, character(), body)$code, "FooError", label = form)
  }
  err <- parse_error(sqs_like, 503L, character(), charToRaw("<html>busy</html>"))
  expect_identical(err$code, "Http503")
})

test_that("an unknown protocol is refused, naming it", {
  api <- sqs_like
  api$metadata$protocol <- "smithy-rpc-v2-cbor"
  expect_error(
    build_request(api, "GetQueueUrl", list(), "https://example.com"),
    "smithy-rpc-v2-cbor", class = "paws_usage_error"
  )
  expect_true(all(c("rest-json", "json") %in% supported_protocols()))
})

test_that("a body that is not a JSON object is a paws_response_error, as in Python", {
  api <- sqs_like
  api$operations$GetQueueUrl$output <- "In"
  for (text in c("[]", "null", "\"text\"", "12")) {
    expect_error(
      parse_response(api, "GetQueueUrl", 200L, character(), charToRaw(text)),
      class = "paws_response_error", label = text
    )
  }
  expect_identical(
    parse_response(api, "GetQueueUrl", 200L, character(), raw()),
    structure(list(), names = character())
  )
  expect_identical(
    parse_response(api, "GetQueueUrl", 200L, character(), charToRaw('{"QueueName": "q"}')),
    list(QueueName = "q")
  )
})

test_that("an empty JSON object parses as jsonlite reads it, spaced or not", {
  expect_identical(parse_json_body(charToRaw("{}")), jsonlite::parse_json("{}", simplifyVector = FALSE))
  expect_identical(parse_json_body(charToRaw("{}")), parse_json_body(charToRaw(" { } ")))
  expect_identical(parse_json_body(charToRaw("[]")), list())
  expect_error(parse_json_body(charToRaw("{]")), class = "paws_response_error")
})

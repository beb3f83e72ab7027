# botocore's ec2 protocol cases (input-ec2.json, output-ec2.json as API data,
# every case: data/ec2_protocol_*.json), through the protocol seam. The cases not
# run as written are named here with the reason, as in
# tests/python/test_ec2_conformance.py; what they test is tested below.

ec2_skipped <- c(
  SDKAppliedContentEncoding_ec2Query =
    "request compression is not implemented; botocore skips the suite",
  SDKAppendsGzipAndIgnoresHttpProvidedEncoding_ec2Query = "request compression, as above",
  Ec2ProtocolIdempotencyTokenAutoFill =
    "expects the harness's fixed token; the uuid4 fill is tested below",
  Ec2ProtocolIdempotencyTokenAutoFillIsSet = "botocore skips the suite; tested below",
  Ec2QueryHostWithPath = "an endpoint with a path; botocore skips the suite; tested below",
  Ec2XmlLists =
    "botocore reads <item> for a flattened list whose member is named; we follow botocore (below)"
)

ec2_cases <- function(kind) {
  cases <- read_test_json(sprintf("ec2_protocol_%s.json", kind))
  cases[!vapply(cases, function(case) case$id %in% names(ec2_skipped), logical(1))]
}

ec2_case <- function(kind, id) {
  cases <- read_test_json(sprintf("ec2_protocol_%s.json", kind))
  Filter(function(case) identical(case$id, id), cases)[[1]]
}

test_that("every ec2 input case serializes as botocore expects", {
  expect_identical(length(read_test_json("ec2_protocol_input.json")), 29L)
  cases <- ec2_cases("input")
  expect_identical(length(cases), 24L)
  for (case in cases) {
    expect_identical(case$api$metadata$protocol, "ec2")
    req <- build_request(case$api, case$operation, case$params, "https://example.com")
    exp <- case$serialized
    expect_identical(req$method, exp$method, label = paste(case$id, "method"))
    expect_identical(sub("^https://[^/]+", "", req$url), exp$uri, label = paste(case$id, "uri"))
    host <- sub("^https://([^/]+).*$", "\\1", req$url)
    expect_identical(host, exp$host %||% "example.com", label = paste(case$id, "host"))
    # The body is exact: same pairs, same order, same percent-encoding.
    expect_identical(rawToChar(req$body), exp$body, label = paste(case$id, "body"))
    names(req$headers) <- tolower(names(req$headers))
    expect_identical(
      unname(req$headers["content-type"]), paste0(exp$headers[["Content-Type"]], "; charset=utf-8"),
      label = paste(case$id, "content type")
    )
  }
})

test_that("every ec2 output case parses to the typed result", {
  expect_identical(length(read_test_json("ec2_protocol_output.json")), 29L)
  cases <- ec2_cases("output")
  expect_identical(length(cases), 28L)
  for (case in cases) {
    api <- case$api
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
      expect_identical(err$request_id, "foo-id")
      if (!is.null(case$errorMessage)) expect_identical(err$message, case$errorMessage)
      shape_name <- names(Filter(function(s) isTRUE(s$exception), api$shapes))[[1]]
      want <- case$error[setdiff(names(case$error), c("Message", "message"))]
      want <- typed_expected(api, api$shapes[[shape_name]], want)
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
    if (!is.null(out_shape)) {
      expect_identical(names(parsed), intersect(names(out_shape$members), names(parsed)))
    }
  }
})

test_that("an ec2 flattened list's member name follows botocore", {
  case <- ec2_case("output", "Ec2XmlLists")
  body <- sub(
    "<flattenedList>hi</flattenedList>\n    <flattenedList>bye</flattenedList>",
    "<item>hi</item>\n    <item>bye</item>", case$response$body,
    fixed = TRUE
  )
  parsed <- parse_response(case$api, "XmlLists", 200L, character(), charToRaw(body))
  expect_identical(parsed$flattenedList, list("hi", "bye"))
  expect_identical(parsed$flattenedList2, list("hi", "bye"))
})

test_that("ec2 idempotency tokens are filled with a uuid4; a given one is kept", {
  auto <- ec2_case("input", "Ec2ProtocolIdempotencyTokenAutoFill")
  req <- build_request(auto$api, auto$operation, auto$params, "https://example.com")
  token <- sub("^.*&Token=", "", rawToChar(req$body))
  expect_match(token, "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
  given <- ec2_case("input", "Ec2ProtocolIdempotencyTokenAutoFillIsSet")
  req <- build_request(given$api, given$operation, given$params, "https://example.com")
  expect_identical(rawToChar(req$body), given$serialized$body)
})

test_that("an ec2 endpoint's path is kept", {
  case <- ec2_case("input", "Ec2QueryHostWithPath")
  req <- build_request(case$api, case$operation, list(), "https://example.com/custom")
  expect_identical(req$url, paste0("https://example.com", case$serialized$uri))
  expect_identical(rawToChar(req$body), case$serialized$body)
})

test_that("ec2 differs from query on the same shapes", {
  api <- ec2_case("input", "Ec2ListMemberWithXmlName")$api
  params <- list(ListArg = list(), ListArgWithXmlNameMember = list("A"), ListArgWithXmlName = list("B"))
  req <- build_request(api, "QueryLists", params, "https://example.com")
  expect_identical(
    rawToChar(req$body), "Action=QueryLists&Version=2020-01-08&ListArgWithXmlNameMember.1=A&Hi.1=B"
  )
  query_api <- api
  query_api$metadata$protocol <- "query"
  req <- build_request(query_api, "QueryLists", params, "https://example.com")
  expect_identical(rawToChar(req$body), paste0(
    "Action=QueryLists&Version=2020-01-08&ListArg=&ListArgWithXmlNameMember.item.1=A&Hi.item.1=B"
  ))
  # query_name wins over location_name, and is sent as it is.
  api$shapes$QueryListsInput$members$ListArgWithXmlName$query_name <- "named"
  req <- build_request(api, "QueryLists", list(ListArgWithXmlName = list("B")), "https://example.com")
  expect_identical(rawToChar(req$body), "Action=QueryLists&Version=2020-01-08&named.1=B")
  out_api <- ec2_case("output", "Ec2SimpleScalarProperties")$api
  wrapped <- charToRaw(paste0(
    "<SimpleScalarXmlPropertiesResponse><SimpleScalarXmlPropertiesResult>",
    "<stringValue>x</stringValue></SimpleScalarXmlPropertiesResult>",
    "<stringValue>y</stringValue><requestId>r</requestId></SimpleScalarXmlPropertiesResponse>"
  ))
  parsed <- parse_response(out_api, "SimpleScalarXmlProperties", 200L, character(), wrapped)
  expect_identical(parsed, list(stringValue = "y"))
})

test_that("an ec2 error reads <Response><Errors><Error> and <RequestID>", {
  api <- ec2_case("output", "Ec2SimpleScalarProperties")$api
  body <- charToRaw(paste0(
    "<Response><Errors><Error><Code>InvalidInstanceID.Malformed</Code>",
    "<Message>Invalid id: \"1343124\"</Message></Error></Errors>",
    "<RequestID>12345</RequestID></Response>"
  ))
  err <- parse_error(api, 400L, character(), body)
  expect_identical(err$code, "InvalidInstanceID.Malformed")
  expect_identical(err$message, "Invalid id: \"1343124\"")
  expect_identical(err$request_id, "12345")
})

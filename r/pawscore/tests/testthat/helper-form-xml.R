# Shared by the query and ec2 conformance tests (test-query.R, test-ec2.R), as
# tests/python/form_xml_cases.py is by their Python twins: both protocols send a
# form body and read XML, and their botocore cases are checked the same way.

# The `kind` ("input" or "output") cases of data/<protocol>_protocol_*.json, but
# those named in `skipped`.
form_xml_cases <- function(protocol, kind, skipped) {
  cases <- read_test_json(sprintf("%s_protocol_%s.json", protocol, kind))
  cases[!vapply(cases, function(case) case$id %in% names(skipped), logical(1))]
}

# One case, by its id.
form_xml_case <- function(protocol, kind, id) {
  cases <- read_test_json(sprintf("%s_protocol_%s.json", protocol, kind))
  Filter(function(case) identical(case$id, id), cases)[[1]]
}

# An input case's request is the one botocore expects.
expect_form_input_case <- function(case, protocol) {
  expect_identical(case$api$metadata$protocol, protocol)
  req <- build_request(case$api, case$operation, case$params, "https://example.com")
  exp <- case$serialized
  expect_identical(req$method, exp$method, label = paste(case$id, "method"))
  expect_identical(sub("^https://[^/]+", "", req$url), exp$uri, label = paste(case$id, "uri"))
  host <- sub("^https://([^/]+).*$", "\\1", req$url)
  expect_identical(host, exp$host %||% "example.com", label = paste(case$id, "host"))
  # The body is exact: same pairs, same order, same percent-encoding.
  expect_identical(rawToChar(req$body), exp$body, label = paste(case$id, "body"))
  names(req$headers) <- tolower(names(req$headers))
  # botocore sends "; charset=utf-8" after the media type the case names.
  expect_identical(
    unname(req$headers["content-type"]), paste0(exp$headers[["Content-Type"]], "; charset=utf-8"),
    label = paste(case$id, "content type")
  )
}

# An output case parses to its typed result, or to its typed error.
expect_xml_output_case <- function(case) {
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
    return(invisible())
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
  # Members come back in model order.
  if (!is.null(out_shape)) {
    expect_identical(names(parsed), intersect(names(out_shape$members), names(parsed)))
  }
}

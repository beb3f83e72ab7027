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

# Parse a form body into list(key, value) pairs, in order.
form_pairs <- function(body) {
  parts <- strsplit(body, "&", fixed = TRUE)[[1]]
  stats::setNames(
    lapply(parts, function(p) utils::URLdecode(sub("^[^=]*=", "", p))),
    vapply(parts, function(p) utils::URLdecode(sub("=.*$", "", p)), "")
  )
}

# The idempotency-token cases: a missing token (sent as `wire_name`) is filled
# with a uuid4, a given one is kept.
expect_idempotency_token <- function(protocol, auto_id, given_id, wire_name) {
  auto <- form_xml_case(protocol, "input", auto_id)
  req <- build_request(auto$api, auto$operation, auto$params, "https://example.com")
  token <- form_pairs(rawToChar(req$body))[[wire_name]]
  expect_match(token, "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
  given <- form_xml_case(protocol, "input", given_id)
  req <- build_request(given$api, given$operation, given$params, "https://example.com")
  expect_identical(rawToChar(req$body), given$serialized$body)
}

# The endpoint-with-a-path case: the path is kept.
expect_endpoint_path_kept <- function(protocol, id) {
  case <- form_xml_case(protocol, "input", id)
  req <- build_request(case$api, case$operation, list(), "https://example.com/custom")
  expect_identical(req$url, paste0("https://example.com", case$serialized$uri))
  expect_identical(rawToChar(req$body), case$serialized$body)
}

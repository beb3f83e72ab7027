# botocore's rest-json protocol cases (data/protocol_*.json: converted to API data
# by scripts/sync_r_test_data.py, which leaves out the cases botocore ignores).

# Cases the API data cannot express, with the reason:
known_gaps <- c(
  # httpChecksumRequired (Content-MD5) is not part of the API data.
  RestJsonHttpChecksumRequired = "checksum trait"
)

test_that("every rest-json input case serializes as botocore expects", {
  cases <- read_test_json("protocol_input.json")
  expect_gte(length(cases), 90)
  checked <- 0
  for (case in cases) {
    if (case$id %in% names(known_gaps)) next
    req <- build_request(case$api, case$operation, case$params, "https://example.com")
    exp <- case$serialized
    expect_identical(req$method, exp$method, label = paste(case$id, "method"))
    expect_identical(sub("^https://[^/]+", "", req$url), exp$uri, label = paste(case$id, "uri"))
    host <- sub("^https://([^/]+).*$", "\\1", req$url)
    expect_identical(host, exp$host %||% "example.com", label = paste(case$id, "host"))
    body <- rawToChar(req$body)
    expect_true(json_equal(body, exp$body %||% ""), label = paste(case$id, "body:", body))
    names(req$headers) <- tolower(names(req$headers))
    for (h in names(exp$headers)) {
      expect_identical(unname(req$headers[tolower(h)]), exp$headers[[h]],
        label = paste(case$id, "header", h)
      )
    }
    for (h in unlist(exp$forbidHeaders)) {
      expect_false(tolower(h) %in% names(req$headers), label = paste(case$id, "forbids", h))
    }
    checked <- checked + 1
  }
  expect_gte(checked, 80)
})

test_that("host prefixes take DNS-label members and refuse anything else", {
  api <- list(
    operations = list(Op = list(
      name = "Op", http_method = "POST", request_uri = "/op", input = "In",
      host_prefix = "foo.{label}."
    )),
    shapes = list(
      In = list(type = "structure", members = list(
        label = list(shape = "Str", host_label = TRUE)
      )),
      Str = list(type = "string")
    )
  )
  req <- build_request(api, "Op", list(label = "bar"), "https://example.com")
  expect_identical(req$url, "https://foo.bar.example.com/op")
  expect_error(
    build_request(api, "Op", list(label = "evil.com/x"), "https://example.com"),
    class = "paws_param_error"
  )
})

test_that("idempotency tokens are filled with UUIDs when not given", {
  api <- list(shapes = list(In = list(type = "structure", members = list(
    Token = list(shape = "Str", idempotency_token = TRUE), Other = list(shape = "Str")
  )), Str = list(type = "string")))
  filled <- fill_idempotency_tokens(api, "In", list(Other = "x"))
  expect_match(filled$Token, "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
  expect_identical(fill_idempotency_tokens(api, "In", list(Token = "mine"))$Token, "mine")
})

test_that("every rest-json output case parses to the typed result", {
  cases <- read_test_json("protocol_output.json")
  expect_gte(length(cases), 70)
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
    out <- sort_maps(api, out_shape, parse_response(api, case$operation, resp$status_code, headers, body))
    expected <- if (is.null(op$output)) {
      structure(list(), names = character())
    } else {
      typed_expected(api, api$shapes[[op$output]], case$result)
    }
    expect_equal(out, expected, label = case$id, tolerance = 1e-6)
  }
})

test_that("ISO 8601 timestamps carry a fraction that rounds up into the seconds", {
  expect_identical(iso_date(0), "1970-01-01T00:00:00Z")
  expect_identical(iso_date(1.5), "1970-01-01T00:00:01.500000Z")
  expect_identical(iso_date(1.9999999), "1970-01-01T00:00:02Z")
  expect_identical(iso_date(59.9999996), "1970-01-01T00:01:00Z")
})

test_that("idempotency tokens neither repeat after set.seed() nor touch the caller's RNG", {
  set.seed(42)
  first <- uuid4()
  set.seed(42)
  state <- get(".Random.seed", envir = globalenv())
  expect_silent(second <- uuid4()) # no warning about reading a device file
  expect_false(identical(first, second))
  expect_identical(get(".Random.seed", envir = globalenv()), state)
  expect_match(second, "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
  # Without /dev/urandom the bytes still differ from call to call.
  no_source <- tempfile()
  a <- random_bytes(16L, no_source)
  expect_length(a, 16L)
  expect_false(identical(a, random_bytes(16L, no_source)))
})

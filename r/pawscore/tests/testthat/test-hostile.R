# Input the wire cannot carry, refused before anything is sent (docs/hostile-input.md);
# tests/hostile runs the same cases end to end in both languages.

test_that("header values that would break the request are refused, never echoed", {
  for (value in c("abc\r\nX-Injected: yes", "a\nb", "a\rb", "a\001b", "a\177b", "\u65e5")) {
    problem <- header_problems("ClientContext", "X-Amz-Client-Context", value)
    expect_length(problem, 1)
    expect_match(problem, "^ClientContext: the value holds a line break")
    expect_false(grepl("Injected", problem, fixed = TRUE))
  }
  expect_length(header_problems("C", "X-C", "a\tb caf\u00e9"), 0)
  expect_match(header_problems("M['a b']", "X-Meta-a b", "v"), "not a valid HTTP header name")
})

test_that("a header value refused in build_request is a paws_param_error", {
  api <- list(
    operations = list(Op = list(name = "Op", http_method = "GET", request_uri = "/", input = "In")),
    shapes = list(
      In = list(type = "structure", members = list(
        H = list(shape = "S", location = "header", location_name = "X-H")
      )),
      S = list(type = "string")
    )
  )
  expect_error(build_request(api, "Op", list(H = "a\r\nb"), "http://h"), class = "paws_param_error")
  req <- build_request(api, "Op", list(H = iconv("caf\u00e9", "UTF-8", "latin1")), "http://h")
  expect_identical(charToRaw(req$headers[["X-H"]]), charToRaw("caf\u00e9"))
})

test_that("labels that are dot segments are refused, others kept literally", {
  expect_error(render_uri("/f/{Name}/policy", list(Name = "..")), class = "paws_param_error")
  expect_error(render_uri("/f/{Name}/policy", list(Name = ".")), class = "paws_param_error")
  expect_error(render_uri("/o/{Key+}", list(Key = "a/../b")), class = "paws_param_error")
  expect_error(render_uri("/o/{Key+}", list(Key = "a/.")), class = "paws_param_error")
  expect_identical(render_uri("/f/{Name}/policy", list(Name = "...")), "/f/.../policy")
  expect_identical(render_uri("/o/{Key+}", list(Key = "a/.../b")), "/o/a/.../b")
})

test_that("arguments an operation lacks are named as problems", {
  api <- list(shapes = list(In = list(type = "structure", members = list(A = list(shape = "S")))))
  expect_identical(dots_problems(api, "In", list()), character())
  expect_identical(
    dots_problems(api, "In", list(Bogus = 1, 2)),
    c(
      "Bogus: unknown parameter; expected one of A",
      "parameters: 1 positional argument(s) beyond the operation's parameters"
    )
  )
})

test_that("text that is not valid UTF-8 is a problem, Latin-1 text is not", {
  bad <- rawToChar(as.raw(c(0x66, 0xff)))
  expect_false(is_utf8_text(bad))
  expect_true(is_utf8_text(iconv("caf\u00e9", "UTF-8", "latin1")))
  expect_identical(
    check_string(list(), list(type = "string"), bad, "Name", FALSE),
    "Name: the value is not valid UTF-8 text"
  )
})

test_that("a deadline bounds curl's whole transfer and is a typed timeout", {
  expect_null(curl_timeouts(10)$timeout_ms)
  opts <- curl_timeouts(10, 2.5)
  expect_identical(opts$timeout_ms, 2500L)
  expect_identical(opts$connecttimeout_ms, 2500L)
  expect_identical(deadline_left(NULL), Inf)
  expect_lte(deadline_left(start_deadline(5)), 5)
  err <- deadline_error(start_deadline(2))
  expect_s3_class(err, "paws_timeout_error")
  expect_s3_class(err, "paws_connection_error")
  expect_true(is_timeout_failure("Operation timed out after 2001 milliseconds with 3 bytes received"))
  expect_true(is_timeout_failure("Operation too slow. Less than 1 bytes/sec transferred"))
  expect_false(is_timeout_failure("Connection timed out after 10001 milliseconds"))
})

test_that("deadline is a config key: a positive number, none by default", {
  creds <- list(creds = list(access_key_id = "AKID", secret_access_key = "S"))
  meta <- list(endpoint_prefix = "lambda", service_id = "Lambda")
  expect_null(resolve_config(list(region = "us-east-1", credentials = creds), meta)$deadline)
  cfg <- resolve_config(list(region = "us-east-1", credentials = creds, deadline = 1.5), meta)
  expect_identical(cfg$deadline, 1.5)
  expect_error(check_config(list(deadline = -1)), class = "paws_config_error")
  expect_error(check_config(list(deadline = "soon")), class = "paws_config_error")
})

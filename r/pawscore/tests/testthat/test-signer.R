suite_key <- "AKIDEXAMPLE"
suite_secret <- "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
suite_time <- "20150830T123600Z"
# The one case whose session token comes from the credentials rather than the
# request (see the suite's post-sts-token/readme.txt for the other two).
suite_tokens <- list(
  "get-vanilla-with-session-token" = "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267"
)

# The official SigV4 suite, one entry per case: the files' text (req, creq, sts,
# authz) and botocore's steps for the same request (data/sigv4_suite.json).
suite_cases <- function() read_test_json("sigv4_suite.json")

test_that("the SigV4 suite is found and complete", {
  expect_gte(length(suite_cases()), 30)
})

test_that("every SigV4 suite case gives the expected steps and Authorization", {
  cases <- suite_cases()
  for (name in names(cases)) {
    case <- cases[[name]]
    req <- parse_suite_request(case$req)
    headers <- req$headers
    token <- suite_tokens[[name]]
    if (!is.null(token)) headers <- c(headers, `X-Amz-Security-Token` = token)
    creq <- sigv4_canonical_request(req$method, req$path, req$query, headers, req$body)
    expect_identical(creq, case$creq, label = paste(name, "creq"))
    sts <- sigv4_string_to_sign(creq, suite_time, "us-east-1", "service")
    expect_identical(sts, case$sts, label = paste(name, "sts"))
    sig <- sigv4_signature(sts, suite_secret, suite_time, "us-east-1", "service")
    expect_identical(sub(".*Signature=", "", case$authz), sig, label = paste(name, "signature"))
  }
})

test_that("sign_request reproduces the suite's Authorization headers", {
  now <- as.POSIXct("2015-08-30 12:36:00", tz = "UTC")
  cases <- suite_cases()
  for (name in names(cases)) {
    req <- parse_suite_request(cases[[name]]$req)
    creds <- list(access_key_id = suite_key, secret_access_key = suite_secret,
                  session_token = suite_tokens[[name]])
    url <- paste0("https://example.amazonaws.com", req$path,
                  if (nzchar(req$query)) paste0("?", req$query) else "")
    signed <- sign_request(req$method, url, req$headers, req$body, creds,
                           "us-east-1", "service", now = now)
    expect_identical(signed$authorization, cases[[name]]$authz, label = name)
  }
})

test_that("sign_request adds date, token and host and hides nothing it needs", {
  now <- as.POSIXct("2020-01-02 03:04:05", tz = "UTC")
  creds <- list(access_key_id = "AK", secret_access_key = "SK", session_token = "TOK")
  out <- sign_request("POST", "http://127.0.0.1:9001/a%20b?x=1", c(`Content-Type` = "x"),
                      charToRaw("{}"), creds, "us-east-1", "lambda", now = now)
  expect_identical(out$headers[["X-Amz-Date"]], "20200102T030405Z")
  expect_identical(out$headers[["X-Amz-Security-Token"]], "TOK")
  expect_identical(out$headers[["Host"]], "127.0.0.1:9001")
  expect_match(out$canonical_request, "^POST\n/a%2520b\nx=1\n")
  expect_match(out$authorization, "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token")
})

test_that("sign_request equals botocore's SigV4Auth on every suite request", {
  cases <- lapply(suite_cases(), `[[`, "botocore")
  expect_gte(length(cases), 30)
  now <- as.POSIXct("2015-08-30 12:36:00", tz = "UTC")
  for (name in names(cases)) {
    case <- cases[[name]]
    headers <- vapply(case$headers, `[[`, "", 2)
    names(headers) <- vapply(case$headers, `[[`, "", 1)
    creds <- list(
      access_key_id = suite_key, secret_access_key = suite_secret,
      session_token = if (nzchar(case$session_token)) case$session_token
    )
    if (!is.null(creds$session_token)) {
      headers <- headers[tolower(names(headers)) != "x-amz-security-token"]
    }
    out <- sign_request(case$method, case$url, headers, case$body, creds,
      "us-east-1", "service",
      now = now
    )
    expect_identical(out$canonical_request, case$canonical_request, label = paste(name, "creq"))
    expect_identical(out$string_to_sign, case$string_to_sign, label = paste(name, "sts"))
    expect_identical(out$signature, case$signature, label = paste(name, "signature"))
  }
})

test_that("a path already canonical is kept; any other is normalized and escaped", {
  expect_identical(canonical_path("/2015-03-31/functions/f~1_a.b/invocations"), "/2015-03-31/functions/f~1_a.b/invocations")
  expect_identical(canonical_path("/a/b/"), "/a/b/")
  expect_identical(canonical_path("/"), "/")
  expect_identical(canonical_path(""), "/")
  expect_identical(canonical_path("/a/./b/../c"), "/a/c")
  expect_identical(canonical_path("/a/.."), "/")
  expect_identical(canonical_path("//a//b"), "/a/b")
  expect_identical(canonical_path("/a/..b/.c"), "/a/..b/.c")
  expect_identical(canonical_path("/a%20b/c d"), "/a%2520b/c%20d")
})

test_that("header names and values are trimmed and inner white space collapsed, only where needed", {
  canon <- canonical_headers(c(
    ` X-B ` = "  one   two ", `x-a` = "plain value", `X-C` = "tab\there", `X-D` = "line\nbreak"
  ))
  expect_identical(canon$lines, c("x-a:plain value", "x-b:one two", "x-c:tab here", "x-d:line break"))
  expect_identical(canon$signed, "x-a;x-b;x-c;x-d")
})

test_that("the request time's text follows the clock, second by second", {
  t0 <- as.POSIXct("2026-12-01 07:20:00.25", tz = "UTC")
  expect_identical(amz_datetime(t0), "20261201T072000Z")
  expect_identical(amz_datetime(t0 + 0.5), "20261201T072000Z")
  expect_identical(amz_datetime(t0 + 0.75), "20261201T072001Z")
  expect_identical(amz_datetime(t0 - 86400), "20261130T072000Z")
  expect_identical(amz_datetime(t0), "20261201T072000Z")
})

test_that("the kept signing key follows the secret, day, region and service", {
  reference <- function(sts, secret, day, region, service) {
    key <- paste0("AWS4", secret)
    for (part in c(day, region, service, "aws4_request")) key <- digest::hmac(key, part, "sha256", raw = TRUE)
    digest::hmac(key, sts, "sha256")
  }
  cases <- list(
    c("s1", "20261201", "us-east-1", "lambda"), c("s2", "20261201", "us-east-1", "lambda"),
    c("s2", "20261202", "us-east-1", "lambda"), c("s2", "20261202", "eu-west-1", "lambda"),
    c("s2", "20261202", "eu-west-1", "sts"), c("s1", "20261201", "us-east-1", "lambda")
  )
  for (case in cases) {
    got <- sigv4_signature("text", case[[1]], paste0(case[[2]], "T000000Z"), case[[3]], case[[4]])
    expect_identical(got, reference("text", case[[1]], case[[2]], case[[3]], case[[4]]))
  }
  expect_identical(
    sigv4_signature(strrep("x", 200), "s1", "20261201T000000Z", "us-east-1", "lambda"),
    reference(strrep("x", 200), "s1", "20261201", "us-east-1", "lambda")
  )
})

test_that("URI escaping leaves unreserved text as it is and escapes the rest", {
  expect_identical(aws_escape("bench-Fn_1.x~"), "bench-Fn_1.x~")
  expect_identical(aws_escape(""), "")
  expect_identical(aws_escape("a b/c"), "a%20b%2Fc")
  expect_identical(aws_escape("caf\u00e9"), "caf%C3%A9")
  expect_identical(aws_escape(c(n = "abc")), "abc")
})

test_that("the kept order of header names serves only the same names", {
  a <- canonical_headers(c(`X-B` = "1", Host = "h", `x-a` = "2"))
  expect_identical(a$lines, c("host:h", "x-a:2", "x-b:1"))
  b <- canonical_headers(c(`X-B` = "3", Host = "g", `x-a` = "4")) # same names, kept order
  expect_identical(b$lines, c("host:g", "x-a:4", "x-b:3"))
  c <- canonical_headers(c(Host = "h", `X-C` = "5", `x-a` = "6")) # other names
  expect_identical(c$lines, c("host:h", "x-a:6", "x-c:5"))
  expect_identical(c$signed, "host;x-a;x-c")
  d <- canonical_headers(c(`X-A` = "1", `x-a` = "2", Host = "h")) # repeated name: joined
  expect_identical(d$lines, c("host:h", "x-a:1,2"))
  expect_identical(canonical_headers(c(`X-B` = "1", Host = "h", `x-a` = "2")), a)
})

test_that("the kept canonical path and query serve only the same URL", {
  creds <- list(access_key_id = "AK", secret_access_key = "SK")
  now <- as.POSIXct("2026-12-01 00:00:00", tz = "UTC")
  sign <- function(url) sign_request("GET", url, character(), raw(), creds, "us-east-1", "svc", now)
  for (url in c("https://h.example/a/b?x=1&a=2", "https://h.example/a/./c?b=%20", "https://h.example/a/b?x=1&a=2")) {
    parts <- split_url(url)
    expected <- sigv4_canonical_request(
      "GET", parts$path, parts$query, c(Host = parts$host, `X-Amz-Date` = "20261201T000000Z")
    )
    expect_identical(sign(url)$canonical_request, expected)
  }
  expect_match(sign("https://h.example/a/./c?b=%20")$canonical_request, "^GET\n/a/c\nb=%20\n")
})

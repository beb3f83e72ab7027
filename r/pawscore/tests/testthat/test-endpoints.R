# The endpoint rules engine (endpoints.R): AWS's own test cases, the settings
# botocore reads, and the standard library functions.

clean_endpoint_env <- function(env = parent.frame()) {
  dir <- withr::local_tempdir(.local_envir = env)
  withr::local_envvar(
    AWS_CONFIG_FILE = file.path(dir, "config"), AWS_PROFILE = NA,
    AWS_USE_FIPS_ENDPOINT = NA, AWS_USE_DUALSTACK_ENDPOINT = NA,
    AWS_ENDPOINT_URL = NA, AWS_ENDPOINT_URL_LAMBDA = NA,
    AWS_IGNORE_CONFIGURED_ENDPOINT_URLS = NA,
    .local_envir = env
  )
  file.path(dir, "config")
}

test_that("every case of AWS's Lambda endpoint tests passes", {
  cases <- read_json_file(file.path(endpoints_dir(), "lambda-endpoint-tests-1.json"))$testCases
  expect_identical(length(cases), 71L)
  rules <- lambda_rules()
  passed <- 0L
  for (case in cases) {
    got <- tryCatch(evaluate_endpoint_rules(rules, case$params %||% list()),
      paws_endpoint_error = function(e) e
    )
    if (!is.null(case$expect$error)) {
      expect_s3_class(got, "paws_endpoint_error")
      expect_identical(conditionMessage(got), case$expect$error, label = case$documentation)
    } else {
      expect_identical(got$url, case$expect$endpoint$url, label = case$documentation)
    }
    passed <- passed + 1L
  }
  expect_identical(passed, 71L)
})

test_that("ISO, ISOB, EUSC and China regions get their partitions' domains", {
  clean_endpoint_env()
  expect_identical(endpoint_url_for(list(), "us-iso-east-1"), "https://lambda.us-iso-east-1.c2s.ic.gov")
  expect_identical(endpoint_url_for(list(), "us-isob-east-1"), "https://lambda.us-isob-east-1.sc2s.sgov.gov")
  expect_identical(endpoint_url_for(list(), "eusc-de-east-1"), "https://lambda.eusc-de-east-1.amazonaws.eu")
  expect_identical(endpoint_url_for(list(), "cn-north-1"), "https://lambda.cn-north-1.amazonaws.com.cn")
})

test_that("FIPS and dual-stack come from the config, the environment and the profile", {
  cfg_file <- clean_endpoint_env()
  expect_identical(endpoint_url_for(list(use_fips_endpoint = TRUE), "us-east-1"),
    "https://lambda-fips.us-east-1.amazonaws.com")
  withr::local_envvar(AWS_USE_DUALSTACK_ENDPOINT = "TRUE")
  expect_identical(endpoint_url_for(list(), "us-east-1"), "https://lambda.us-east-1.api.aws")
  # The config wins over the environment.
  expect_identical(endpoint_url_for(list(use_dualstack_endpoint = FALSE), "us-east-1"),
    "https://lambda.us-east-1.amazonaws.com")
  withr::local_envvar(AWS_USE_DUALSTACK_ENDPOINT = NA)
  writeLines(c("[default]", "use_fips_endpoint = true", "use_dualstack_endpoint = true"), cfg_file)
  expect_identical(endpoint_url_for(list(), "us-west-2"), "https://lambda-fips.us-west-2.api.aws")
  # Only "true" is true, as in botocore; the environment wins over the profile.
  withr::local_envvar(AWS_USE_FIPS_ENDPOINT = "1")
  expect_identical(endpoint_url_for(list(), "us-west-2"), "https://lambda.us-west-2.api.aws")
})

test_that("configured endpoint URLs: environment, services section, profile; and ignoring them", {
  cfg_file <- clean_endpoint_env()
  writeLines(c(
    "[default]", "endpoint_url = http://127.0.0.1:4001", "services = local",
    "[profile plain]", "endpoint_url = http://127.0.0.1:4002",
    "[services local]", "lambda =", "  endpoint_url = http://127.0.0.1:4003",
    "s3 =", "  endpoint_url = http://127.0.0.1:4004"
  ), cfg_file)
  expect_identical(endpoint_url_for(list(), "us-east-1"), "http://127.0.0.1:4003")
  withr::local_envvar(AWS_PROFILE = "plain")
  expect_identical(endpoint_url_for(list(), "us-east-1"), "http://127.0.0.1:4002")
  withr::local_envvar(AWS_ENDPOINT_URL = "http://127.0.0.1:4005")
  expect_identical(endpoint_url_for(list(), "us-east-1"), "http://127.0.0.1:4005")
  withr::local_envvar(AWS_ENDPOINT_URL_LAMBDA = "http://127.0.0.1:4006")
  expect_identical(endpoint_url_for(list(), "us-east-1"), "http://127.0.0.1:4006")
  expect_identical(endpoint_url_for(list(endpoint = "http://127.0.0.1:4007"), "us-east-1"),
    "http://127.0.0.1:4007")
  withr::local_envvar(AWS_IGNORE_CONFIGURED_ENDPOINT_URLS = "true")
  expect_identical(endpoint_url_for(list(), "us-east-1"), "https://lambda.us-east-1.amazonaws.com")
  # An explicit endpoint in the config is not a "configured" one: it still applies.
  expect_identical(endpoint_url_for(list(endpoint = "http://127.0.0.1:4007"), "us-east-1"),
    "http://127.0.0.1:4007")
})

test_that("FIPS with a custom endpoint, or a missing services section", {
  cfg_file <- clean_endpoint_env()
  # botocore turns FIPS and dual-stack off when an endpoint URL is set.
  withr::local_envvar(
    AWS_ENDPOINT_URL = "http://127.0.0.1:4001", AWS_USE_FIPS_ENDPOINT = "true",
    AWS_USE_DUALSTACK_ENDPOINT = "true"
  )
  expect_identical(endpoint_url_for(list(), "us-east-1"), "http://127.0.0.1:4001")
  # The rules themselves refuse the combination, with a typed error.
  err <- tryCatch(
    evaluate_endpoint_rules(lambda_rules(), list(
      Region = "us-east-1", UseFIPS = TRUE, Endpoint = "http://x"
    )),
    error = function(e) e
  )
  expect_s3_class(err, "paws_endpoint_error")
  expect_match(conditionMessage(err), "FIPS and custom endpoint are not supported")
  withr::local_envvar(
    AWS_ENDPOINT_URL = NA, AWS_USE_FIPS_ENDPOINT = NA, AWS_USE_DUALSTACK_ENDPOINT = NA
  )
  writeLines(c("[default]", "services = nowhere"), cfg_file)
  expect_error(endpoint_url_for(list(), "us-east-1"), class = "paws_config_error")
})

test_that("the signing region and name come from the endpoint's sigv4 auth scheme", {
  ruleset <- list(
    version = "1.0",
    parameters = list(Region = list(type = "string", builtIn = "AWS::Region", required = TRUE)),
    rules = list(list(
      conditions = list(list(fn = "aws.partition", argv = list(list(ref = "Region")), assign = "P")),
      type = "endpoint",
      endpoint = list(
        url = "https://svc.{P#dnsSuffix}/{{literal}}",
        properties = list(authSchemes = list(
          list(name = "sigv4a", signingName = "other"),
          list(name = "sigv4", signingName = "svc-signing", signingRegion = "{Region}-x")
        )),
        headers = list()
      )
    ))
  )
  rules <- endpoint_rules(ruleset, lambda_rules()$partitions)
  got <- evaluate_endpoint_rules(rules, list(Region = "eu-west-1"))
  expect_identical(got$url, "https://svc.amazonaws.com/{literal}")
  expect_identical(got$signing_name, "svc-signing")
  expect_identical(got$signing_region, "eu-west-1-x")
  expect_error(evaluate_endpoint_rules(rules, list()), class = "paws_endpoint_error")
})

test_that("the standard library functions behave as the rules language says", {
  lib <- rules_library(lambda_rules()$partitions)
  url <- lib$parseURL("https://example.com:8443/a/./b//c")
  expect_identical(url$scheme, "https")
  expect_identical(url$authority, "example.com:8443")
  expect_identical(url$path, "/a/./b//c")
  expect_identical(url$normalizedPath, "/a/b/c/")
  expect_false(url$isIp)
  expect_true(lib$parseURL("http://127.0.0.1:80")$isIp)
  expect_true(lib$parseURL("http://[fe80::1]/")$isIp)
  expect_identical(lib$parseURL("http://127.0.0.1")$normalizedPath, "/")
  expect_null(lib$parseURL("https://example.com/?q=1"))
  expect_null(lib$parseURL("ftp://example.com/"))
  expect_null(lib$parseURL("https://example.com:port/"))
  expect_identical(lib$substring("abcdef", 1L, 3L, FALSE), "bc")
  expect_identical(lib$substring("abcdef", 0L, 2L, TRUE), "ef")
  expect_null(lib$substring("abc", 1L, 4L, FALSE))
  expect_null(lib$substring("ab\u00e9d", 0L, 2L, FALSE))
  expect_identical(lib$getAttr(list(a = list(b = list("x", "y"))), "a.b[1]"), "y")
  expect_null(lib$getAttr(list(a = list("x")), "a[3]"))
  expect_true(lib$isValidHostLabel("abc-1", FALSE))
  expect_false(lib$isValidHostLabel("-abc", FALSE))
  expect_false(lib$isValidHostLabel("a.b", FALSE))
  expect_true(lib$isValidHostLabel("a.b", TRUE))
  expect_false(lib$isValidHostLabel("a..b", TRUE))
  expect_identical(lib$uriEncode("a b/c~"), "a%20b%2Fc~")
  arn <- lib$aws.parseArn("arn:aws:lambda:us-east-1:123456789012:function:f:1")
  expect_identical(arn$service, "lambda")
  expect_identical(arn$accountId, "123456789012")
  expect_identical(arn$resourceId, list("function", "f", "1"))
  expect_null(lib$aws.parseArn("arn:aws::us-east-1:1:x"))
  expect_null(lib$aws.parseArn("not-an-arn"))
  expect_true(lib$aws.isVirtualHostableS3Bucket("my-bucket", FALSE))
  expect_false(lib$aws.isVirtualHostableS3Bucket("My-Bucket", FALSE))
  expect_false(lib$aws.isVirtualHostableS3Bucket("192.168.0.1", TRUE))
  expect_false(lib$aws.isVirtualHostableS3Bucket("a.b", FALSE))
  part <- lib$aws.partition("us-gov-west-1")
  expect_identical(part$name, "aws-us-gov")
  expect_identical(lib$aws.partition("xx-unknown-9")$name, "aws")
  expect_true(lib$not(FALSE))
  expect_error(lib$stringEquals("a", TRUE), class = "paws_endpoint_error")
})

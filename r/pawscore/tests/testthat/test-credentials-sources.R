# The chain's sources and their pieces: precedence, profiles, credential_process,
# refresh windows, error classes. The loopback parity matrix (tests/matrix)
# runs every source against stand-in servers.

local_profiles <- function(config = character(), credentials = character(),
                           env = parent.frame()) {
  dir <- withr::local_tempdir(.local_envir = env)
  writeLines(config, file.path(dir, "config"))
  writeLines(credentials, file.path(dir, "credentials"))
  withr::local_envvar(
    AWS_ACCESS_KEY_ID = NA, AWS_SECRET_ACCESS_KEY = NA, AWS_SESSION_TOKEN = NA,
    AWS_PROFILE = NA, AWS_DEFAULT_PROFILE = NA, AWS_WEB_IDENTITY_TOKEN_FILE = NA,
    AWS_CONTAINER_CREDENTIALS_RELATIVE_URI = NA, AWS_CONTAINER_CREDENTIALS_FULL_URI = NA,
    AWS_EC2_METADATA_DISABLED = "true", AWS_MAX_ATTEMPTS = NA, AWS_RETRY_MODE = NA,
    AWS_CONFIG_FILE = file.path(dir, "config"),
    AWS_SHARED_CREDENTIALS_FILE = file.path(dir, "credentials"),
    HOME = dir,
    .local_envir = env
  )
  dir
}

test_that("an explicit profile beats the environment's keys; AWS_PROFILE does not", {
  local_profiles(credentials = c("[work]", "aws_access_key_id = WORK", "aws_secret_access_key = S"))
  withr::local_envvar(AWS_ACCESS_KEY_ID = "ENV", AWS_SECRET_ACCESS_KEY = "ENVSECRET")
  expect_identical(resolve_credentials(list(profile = "work"))$access_key_id, "WORK")
  withr::local_envvar(AWS_PROFILE = "work")
  expect_identical(resolve_credentials(list())$access_key_id, "ENV")
})

test_that("a profile that does not exist is an error even with environment keys", {
  local_profiles()
  withr::local_envvar(AWS_ACCESS_KEY_ID = "ENV", AWS_SECRET_ACCESS_KEY = "ENVSECRET",
    AWS_PROFILE = "nosuch")
  err <- tryCatch(resolve_credentials(list()), error = function(e) e)
  expect_s3_class(err, "paws_profile_not_found")
  expect_s3_class(err, "paws_no_credentials")
  expect_match(conditionMessage(err), "nosuch")
  expect_error(resolve_region(list()), class = "paws_profile_not_found")
})

test_that("credential_process: Version 1 JSON with Expiration; failures show stderr", {
  dir <- local_profiles()
  script <- file.path(dir, "creds.sh")
  writeLines(c(
    "#!/bin/sh",
    "if [ \"$1\" = fail ]; then echo 'helper: login expired' >&2; exit 2; fi",
    "if [ \"$1\" = v2 ]; then echo '{\"Version\": 2}'; exit 0; fi",
    "echo '{\"Version\": 1, \"AccessKeyId\": \"PROC\", \"SecretAccessKey\": \"PROCSECRET\",'",
    "echo ' \"SessionToken\": \"T\", \"Expiration\": \"2099-01-01T00:00:00Z\"}'"
  ), script)
  Sys.chmod(script, "0755")
  writeLines(c(
    "[profile ok]", sprintf("credential_process = %s 'ok'", script),
    "[profile fail]", sprintf("credential_process = %s fail", script),
    "[profile v2]", sprintf("credential_process = %s v2", script)
  ), Sys.getenv("AWS_CONFIG_FILE"))
  creds <- resolve_credentials(list(profile = "ok"))
  expect_identical(creds$access_key_id, "PROC")
  expect_equal(creds$expiration, as.POSIXct("2099-01-01", tz = "UTC"))
  err <- tryCatch(resolve_credentials(list(profile = "fail")), error = function(e) e)
  expect_s3_class(err, "paws_credentials_error")
  expect_match(conditionMessage(err), "credential_process \\(profile fail\\)")
  expect_match(conditionMessage(err), "helper: login expired")
  expect_error(resolve_credentials(list(profile = "v2")), "unsupported Version", class = "paws_credentials_error")
})

test_that("mfa_serial is a typed error that says so", {
  local_profiles(
    config = c("[profile dev]", "role_arn = arn:aws:iam::1:role/r", "source_profile = base",
      "mfa_serial = arn:aws:iam::1:mfa/me"),
    credentials = c("[base]", "aws_access_key_id = B", "aws_secret_access_key = S")
  )
  expect_error(resolve_credentials(list(profile = "dev")), "mfa_serial",
    class = "paws_credentials_error")
})

test_that("assume-role profiles need exactly one source, and loops are refused", {
  local_profiles(config = c(
    "[profile both]", "role_arn = arn:aws:iam::1:role/r", "source_profile = a",
    "credential_source = Environment",
    "[profile a]", "role_arn = arn:aws:iam::1:role/a", "source_profile = b",
    "[profile b]", "role_arn = arn:aws:iam::1:role/b", "source_profile = a",
    "[profile odd]", "role_arn = arn:aws:iam::1:role/r", "credential_source = Somewhere"
  ))
  expect_error(resolve_credentials(list(profile = "both")), "exactly one",
    class = "paws_credentials_error")
  expect_error(resolve_credentials(list(profile = "a")), "loop", class = "paws_credentials_error")
  expect_error(resolve_credentials(list(profile = "odd")), "Somewhere",
    class = "paws_credentials_error")
})

test_that("an SSO profile without a cached token says to run aws sso login", {
  local_profiles(config = c(
    "[profile sso]", "sso_session = s", "sso_account_id = 1", "sso_role_name = R",
    "[sso-session s]", "sso_start_url = https://x.awsapps.com/start", "sso_region = us-east-1"
  ))
  err <- tryCatch(resolve_credentials(list(profile = "sso")), error = function(e) e)
  expect_s3_class(err, "paws_credentials_error")
  expect_match(conditionMessage(err), "aws sso login --profile sso")
})

test_that("the SSO token cache is named by the sha1 of the session name or start URL", {
  withr::local_envvar(HOME = "/home/u")
  expect_identical(
    basename(sso_cache_file("my-sso")),
    paste0(digest::digest("my-sso", algo = "sha1", serialize = FALSE), ".json")
  )
  expect_identical(dirname(sso_cache_file("x")), "/home/u/.aws/sso/cache")
})

fake_source <- function(lefts) {
  n <- 0
  function() {
    n <<- n + 1
    if (n > length(lefts) || is.na(lefts[n])) stop(credentials_error("fake", "down"))
    new_credentials(paste0("K", n), "S", source = "fake", expiration = Sys.time() + lefts[n])
  }
}

test_that("refresh follows botocore's advisory (15 min) and mandatory (10 min) windows", {
  far <- new_provider(fake_source(c(3600, 3600)), "fake")
  expect_identical(provider_credentials(far)$access_key_id, "K1")
  expect_identical(provider_credentials(far)$access_key_id, "K1")
  advisory <- new_provider(fake_source(c(12 * 60, 12 * 60, 12 * 60)), "fake")
  expect_identical(provider_credentials(advisory)$access_key_id, "K1")
  expect_identical(provider_credentials(advisory)$access_key_id, "K2")
  # A failed refresh in the advisory window keeps the current set.
  keeps <- new_provider(fake_source(c(12 * 60, NA)), "fake")
  provider_credentials(keeps)
  expect_identical(provider_credentials(keeps)$access_key_id, "K1")
  # In the mandatory window it is an error.
  must <- new_provider(fake_source(c(5 * 60, NA)), "fake")
  provider_credentials(must)
  expect_error(provider_credentials(must), "down", class = "paws_credentials_error")
  # Fresh credentials that are already expired are an error.
  stale <- new_provider(fake_source(-60), "fake")
  expect_error(provider_credentials(stale), "already expired", class = "paws_credentials_error")
})

test_that("a client keeps its provider between calls; a changed setup starts afresh", {
  local_profiles(credentials = c("[default]", "aws_access_key_id = A", "aws_secret_access_key = S"))
  cache <- new.env()
  first <- cached_provider(list(), "us-east-1", cache)
  expect_identical(cached_provider(list(), "us-east-1", cache), first)
  withr::local_envvar(AWS_ACCESS_KEY_ID = "ENV", AWS_SECRET_ACCESS_KEY = "ES")
  other <- cached_provider(list(), "us-east-1", cache)
  expect_identical(provider_credentials(other)$access_key_id, "ENV")
  expect_false(grepl("ES|S>", format(other)))
})

test_that("ISO times, shell words and nested INI blocks are read as botocore reads them", {
  expect_equal(parse_iso_time("2030-01-02T03:04:05Z", "x"), as.POSIXct("2030-01-02 03:04:05", tz = "UTC"))
  expect_equal(parse_iso_time("2030-01-02T03:04:05.123456Z", "x"), as.POSIXct("2030-01-02 03:04:05", tz = "UTC"))
  expect_equal(parse_iso_time("2030-01-02T05:04:05+02:00", "x"), as.POSIXct("2030-01-02 03:04:05", tz = "UTC"))
  expect_error(parse_iso_time("soon", "x"), class = "paws_credentials_error")
  expect_identical(shell_split("a 'b c' \"d \\\"e\" f\\ g"), c("a", "b c", "d \"e", "f g"))
  expect_identical(shell_split("cmd ''"), c("cmd", ""))
  path <- withr::local_tempfile()
  writeLines(c("[profile p]", "s3 =", "  max_concurrent_requests = 4", "region = x"), path)
  ini <- read_ini(path)
  expect_identical(ini[["profile p"]][["s3.max_concurrent_requests"]], "4")
  expect_identical(ini[["profile p"]][["region"]], "x")
})

test_that("the container endpoint must be loopback, an ECS/EKS host or https", {
  expect_identical(check_container_url("http://127.0.0.1:9/x", "c"), "http://127.0.0.1:9/x")
  expect_identical(check_container_url("http://169.254.170.23/v1", "c"), "http://169.254.170.23/v1")
  expect_identical(check_container_url("https://example.com/x", "c"), "https://example.com/x")
  expect_error(check_container_url("http://192.0.2.1/x", "c"), "not allowed",
    class = "paws_credentials_error")
})

test_that("the User-Agent names pawsgen, R and curl", {
  expect_match(user_agent(), "^pawsgen/[0-9.]+ ua/2\\.1 os/[a-z]+ lang/r#[0-9.]+ md/curl#[0-9.]+$")
})

test_that("the IMDS address follows the endpoint, then the endpoint mode", {
  withr::local_envvar(
    AWS_EC2_METADATA_SERVICE_ENDPOINT = NA, AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE = NA
  )
  expect_identical(imds_base_url(list()), "http://169.254.169.254")
  expect_identical(imds_base_url(list(ec2_metadata_service_endpoint_mode = "IPv6")), "http://[fd00:ec2::254]")
  withr::local_envvar(AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE = "ipv6")
  expect_identical(imds_base_url(list()), "http://[fd00:ec2::254]")
  withr::local_envvar(AWS_EC2_METADATA_SERVICE_ENDPOINT = "http://127.0.0.1:1/")
  expect_identical(imds_base_url(list()), "http://127.0.0.1:1")
  withr::local_envvar(AWS_EC2_METADATA_SERVICE_ENDPOINT = NA, AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE = "ipv5")
  expect_error(imds_base_url(list()), class = "paws_config_error")
})

test_that("STS calls use the global endpoint only for legacy mode in the legacy regions", {
  withr::local_envvar(AWS_STS_REGIONAL_ENDPOINTS = NA)
  files <- list(config = list(default = list(sts_regional_endpoints = "legacy")))
  expect_true(sts_global(list(files = files), "eu-west-1"))
  expect_false(sts_global(list(files = files), "ap-east-1"))
  expect_false(sts_global(list(files = files, sts_mode = "regional"), "eu-west-1"))
  expect_false(sts_global(list(files = list()), "us-east-1"))
  withr::local_envvar(AWS_STS_REGIONAL_ENDPOINTS = "legacy")
  expect_true(sts_global(list(files = list()), "us-east-1"))
  withr::local_envvar(AWS_ENDPOINT_URL_STS = "http://127.0.0.1:1", AWS_ENDPOINT_URL = NA,
    AWS_IGNORE_CONFIGURED_ENDPOINT_URLS = NA)
  expect_identical(configured_endpoint("STS"), "http://127.0.0.1:1")
  expect_identical(service_endpoint("sts", "STS", "eu-west-1"), "http://127.0.0.1:1")
  withr::local_envvar(AWS_IGNORE_CONFIGURED_ENDPOINT_URLS = "true")
  expect_identical(service_endpoint("sts", "STS", "eu-west-1"), "https://sts.eu-west-1.amazonaws.com")
  expect_identical(
    service_endpoint("sso", "SSO", "cn-north-1", host = "portal.sso"),
    "https://portal.sso.cn-north-1.amazonaws.com.cn"
  )
})

test_that("IMDS timeout, attempts and the IMDSv1 switch come from the environment or the profile", {
  withr::local_envvar(
    AWS_METADATA_SERVICE_TIMEOUT = NA, AWS_METADATA_SERVICE_NUM_ATTEMPTS = NA,
    AWS_EC2_METADATA_V1_DISABLED = NA, AWS_EC2_METADATA_SERVICE_ENDPOINT = NA,
    AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE = NA
  )
  defaults <- imds_settings(list())
  expect_identical(defaults[c("timeout", "attempts", "v1_disabled")],
    list(timeout = 1, attempts = 1L, v1_disabled = FALSE))
  profile <- list(metadata_service_timeout = "3", metadata_service_num_attempts = "2",
    ec2_metadata_v1_disabled = "true")
  expect_identical(imds_settings(profile)[c("timeout", "attempts", "v1_disabled")],
    list(timeout = 3, attempts = 2L, v1_disabled = TRUE))
  withr::local_envvar(AWS_METADATA_SERVICE_NUM_ATTEMPTS = "4", AWS_EC2_METADATA_V1_DISABLED = "false")
  expect_identical(imds_settings(profile)$attempts, 4L)
  expect_false(imds_settings(profile)$v1_disabled)
  withr::local_envvar(AWS_METADATA_SERVICE_TIMEOUT = "soon")
  expect_error(imds_settings(list()), class = "paws_config_error")
})

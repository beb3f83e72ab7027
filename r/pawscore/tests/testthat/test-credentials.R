# The credential chain: config, environment, shared files; anonymous access.

local_no_aws_env <- function(env = parent.frame()) {
  withr::local_envvar(
    AWS_ACCESS_KEY_ID = NA, AWS_SECRET_ACCESS_KEY = NA, AWS_SESSION_TOKEN = NA,
    AWS_PROFILE = NA, AWS_DEFAULT_PROFILE = NA, AWS_SHARED_CREDENTIALS_FILE = tempfile(),
    AWS_CONFIG_FILE = tempfile(), AWS_WEB_IDENTITY_TOKEN_FILE = NA, AWS_ROLE_ARN = NA,
    AWS_CONTAINER_CREDENTIALS_RELATIVE_URI = NA, AWS_CONTAINER_CREDENTIALS_FULL_URI = NA,
    AWS_EC2_METADATA_DISABLED = "true", AWS_MAX_ATTEMPTS = NA, AWS_RETRY_MODE = NA,
    .local_envir = env
  )
}

test_that("config creds come first", {
  local_no_aws_env()
  withr::local_envvar(AWS_ACCESS_KEY_ID = "ENVKEY", AWS_SECRET_ACCESS_KEY = "ENVSECRET")
  creds <- resolve_credentials(list(creds = list(access_key_id = "CFG", secret_access_key = "S")))
  expect_identical(creds$access_key_id, "CFG")
  expect_identical(creds$source, "config")
})

test_that("environment variables come next, with the session token", {
  local_no_aws_env()
  withr::local_envvar(
    AWS_ACCESS_KEY_ID = "ENVKEY", AWS_SECRET_ACCESS_KEY = "ENVSECRET", AWS_SESSION_TOKEN = "ENVTOKEN"
  )
  creds <- resolve_credentials(list())
  expect_identical(creds$access_key_id, "ENVKEY")
  expect_identical(creds$session_token, "ENVTOKEN")
  expect_false(grepl("ENVSECRET|ENVTOKEN", paste(capture.output(print(creds)), collapse = "")))
})

test_that("profiles are read from the shared credentials and config files", {
  local_no_aws_env()
  dir <- withr::local_tempdir()
  cred_file <- file.path(dir, "credentials")
  cfg_file <- file.path(dir, "config")
  writeLines(c(
    "# comment", "[default]", "aws_access_key_id = DEFKEY", "aws_secret_access_key = DEFSECRET",
    "", "[work]", "aws_access_key_id=WORKKEY", "aws_secret_access_key=WORKSECRET",
    "aws_session_token = WORKTOKEN"
  ), cred_file)
  writeLines(c(
    "[profile cfgonly]", "aws_access_key_id = CFGKEY", "aws_secret_access_key = CFGSECRET"
  ), cfg_file)
  withr::local_envvar(AWS_SHARED_CREDENTIALS_FILE = cred_file, AWS_CONFIG_FILE = cfg_file)
  expect_identical(resolve_credentials(list())$access_key_id, "DEFKEY")
  work <- resolve_credentials(list(profile = "work"))
  expect_identical(work$access_key_id, "WORKKEY")
  expect_identical(work$session_token, "WORKTOKEN")
  withr::local_envvar(AWS_PROFILE = "cfgonly")
  expect_identical(resolve_credentials(list())$access_key_id, "CFGKEY")
})

test_that("no credentials anywhere is a paws_no_credentials error", {
  local_no_aws_env()
  expect_error(resolve_credentials(list()), class = "paws_no_credentials")
})

test_that("incomplete config creds are an error that shows no secret", {
  local_no_aws_env()
  err <- tryCatch(
    resolve_credentials(list(creds = list(access_key_id = "AK", session_token = "SECRETTOKEN"))),
    error = function(e) e
  )
  expect_s3_class(err, "paws_no_credentials")
  expect_false(grepl("SECRETTOKEN", conditionMessage(err)))
})

test_that("anonymous access resolves to no credentials", {
  local_no_aws_env()
  expect_null(resolve_credentials(list(anonymous = TRUE)))
})

test_that("config creds with only a secret are an error, never the environment's keys", {
  local_no_aws_env()
  withr::local_envvar(AWS_ACCESS_KEY_ID = "ENVKEY", AWS_SECRET_ACCESS_KEY = "ENVSECRET")
  err <- tryCatch(
    resolve_credentials(list(creds = list(secret_access_key = "CFGSECRET"))),
    error = function(e) e
  )
  expect_s3_class(err, "paws_no_credentials")
  expect_false(grepl("CFGSECRET|ENVSECRET", conditionMessage(err)))
})

test_that("profile keys are matched exactly, never by prefix", {
  local_no_aws_env()
  dir <- withr::local_tempdir()
  cred_file <- file.path(dir, "credentials")
  writeLines(c(
    "[default]", "aws_access_key_id = KEY", "aws_secret_access_key = SECRET",
    "aws_session_token_expires = 2030-01-01T00:00:00Z"
  ), cred_file)
  withr::local_envvar(AWS_SHARED_CREDENTIALS_FILE = cred_file)
  creds <- resolve_credentials(list())
  expect_identical(creds$access_key_id, "KEY")
  expect_null(creds$session_token)
})

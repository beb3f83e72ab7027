# paws' constructor arguments, config()/credentials()/creds() helpers and
# config keys, with paws' meaning.

test_that("paws.common's helpers build paws' shape with paws' defaults", {
  cfg <- config(region = "us-east-1")
  expect_identical(cfg$max_retries, 3)
  expect_identical(cfg$credentials$creds$expiration, Inf)
  expect_identical(names(creds()), c(
    "access_key_id", "secret_access_key", "session_token", "access_token", "expiration"
  ))
  expect_identical(names(credentials()), c("creds", "profile", "anonymous"))
})

test_that("unset values are dropped and max_retries becomes max_attempts", {
  out <- pawscore:::paws_config(config(region = "us-east-1", max_retries = 2))
  expect_identical(out$region, "us-east-1")
  expect_identical(out$max_attempts, 3)
  expect_null(out$max_retries)
  expect_null(out$credentials)
  expect_null(out$endpoint)
  expect_silent(pawscore:::check_config(out))
})

test_that("constructor arguments replace the same config keys, as in paws", {
  keys <- credentials(creds = creds(access_key_id = "AKID", secret_access_key = "S"))
  out <- pawscore:::paws_config(
    list(region = "eu-west-1", endpoint = "http://a.example"),
    credentials = keys, endpoint = "http://127.0.0.1:1", region = "us-west-2"
  )
  expect_identical(out$region, "us-west-2")
  expect_identical(out$endpoint, "http://127.0.0.1:1")
  expect_identical(out$credentials$creds, list(access_key_id = "AKID", secret_access_key = "S"))
})

test_that("keys that cannot apply say why", {
  expect_warning(
    pawscore:::paws_config(list(s3_force_path_style = TRUE), service = "AWS Lambda"),
    class = "paws_config_warning", regexp = "Amazon S3 only; AWS Lambda does not use it"
  )
  expect_silent(pawscore:::paws_config(list(s3_virtual_address = FALSE)))
  expect_error(
    pawscore:::paws_config(list(signature_version = "v2")),
    class = "paws_config_error", regexp = "Signature Version 4"
  )
  expect_error(
    pawscore:::paws_config(list(max_retries = 2, max_attempts = 5)),
    class = "paws_config_error", regexp = "disagree"
  )
  expect_error(
    pawscore:::paws_config(list(sts_regional_endpoint = "nearby")),
    class = "paws_config_error"
  )
  expect_error(pawscore:::paws_config(list(close_connection = "yes")), class = "paws_config_error")
})

test_that("unknown keys are still refused", {
  expect_error(
    pawscore:::check_config(pawscore:::paws_config(list(regoin = "us-east-1"))),
    class = "paws_config_error", regexp = "regoin"
  )
})

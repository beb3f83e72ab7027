# The Lambda API data (data/lambda_api.json) and the emulator's settings.

lambda_api <- function() read_test_json("lambda_api.json")

# Credentials the pawslocal emulator accepts by default (test keys, not secrets).
# Without a live emulator (PAWS_TEST_ENDPOINT unset) requests go to a replaying
# transport (helper-replay.R) and the endpoint only names the host in the URL.
emulator_config <- function(...) {
  endpoint <- Sys.getenv("PAWS_TEST_ENDPOINT")
  list(
    region = "us-east-1",
    endpoint = if (nzchar(endpoint)) endpoint else "http://127.0.0.1:9001",
    credentials = list(creds = list(
      access_key_id = "AKIDPAWSLOCAL",
      secret_access_key = "pawslocal/secret/not-a-real-key-0000000000"
    )),
    ...
  )
}

# The live tier: tests that need a running emulator, started by the pytest driver
# (tests/r/test_pawscore_r.py). Under R CMD check these are the only ones to skip.
skip_without_server <- function() {
  skip_if(Sys.getenv("PAWS_TEST_ENDPOINT") == "", "live tier: needs the pawslocal emulator (run from pytest)")
}

# Test data written by the pytest driver (tests/r/test_pawscore_r.py).
test_data_file <- function(name) {
  dir <- Sys.getenv("PAWS_TEST_DATA")
  skip_if(!nzchar(dir), "PAWS_TEST_DATA not set (run from pytest)")
  file.path(dir, name)
}

read_test_json <- function(name) {
  jsonlite::fromJSON(test_data_file(name), simplifyVector = FALSE)
}

lambda_api <- function() read_test_json("lambda_api.json")

# Credentials the pawslocal emulator accepts by default (test keys, not secrets).
emulator_config <- function(...) {
  list(
    region = "us-east-1",
    endpoint = Sys.getenv("PAWS_TEST_ENDPOINT"),
    credentials = list(creds = list(
      access_key_id = "AKIDPAWSLOCAL",
      secret_access_key = "pawslocal/secret/not-a-real-key-0000000000"
    )),
    ...
  )
}

skip_without_server <- function() {
  skip_if(Sys.getenv("PAWS_TEST_ENDPOINT") == "", "PAWS_TEST_ENDPOINT not set")
}

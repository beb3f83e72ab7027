# Settings from the pytest driver (tests/e2e/test_r_client.py).
e2e_endpoint <- function() {
  url <- Sys.getenv("PAWS_TEST_ENDPOINT")
  if (!nzchar(url)) stop("PAWS_TEST_ENDPOINT is not set: run these tests through pytest")
  url
}

e2e_config <- function() {
  list(
    region = "us-east-1",
    endpoint = e2e_endpoint(),
    credentials = list(creds = list(
      access_key_id = Sys.getenv("PAWS_TEST_ACCESS_KEY_ID"),
      secret_access_key = Sys.getenv("PAWS_TEST_SECRET_ACCESS_KEY")
    ))
  )
}

# Lines of the emulator's access log that record a POST.
e2e_posts <- function() {
  Sys.sleep(0.05) # the server logs after it has answered
  lines <- readLines(Sys.getenv("PAWS_TEST_ACCESS_LOG"), warn = FALSE)
  grep("POST", lines, value = TRUE)
}

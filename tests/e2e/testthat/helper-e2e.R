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

# The POSTs the emulator received while `expr` was evaluated. A request to a
# unique, unknown function name is sent before and after (each answers 404 and
# is logged); the POST lines logged between the two are what `expr` sent.
# Waiting for the marker lines, not for a fixed time, keeps this timing-free.
e2e_posts_between_markers <- function(expr) {
  first <- e2e_mark()
  force(expr)
  last <- e2e_mark()
  lines <- e2e_wait_for(last)
  start <- grep(first, lines, fixed = TRUE)[[1]]
  end <- grep(last, lines, fixed = TRUE)[[1]]
  grep("POST", lines[seq_len(end - start - 1L) + start], value = TRUE)
}

e2e_mark <- function() {
  name <- paste0("marker-", paste(sample(c(letters, 0:9), 24, replace = TRUE), collapse = ""))
  svc <- pawslambda::lambda(config = e2e_config())
  tryCatch(
    svc$invoke_with_response_stream(FunctionName = name),
    ResourceNotFoundException = function(e) NULL
  )
  e2e_wait_for(name)
  name
}

e2e_wait_for <- function(text, deadline_s = 30) {
  deadline <- Sys.time() + deadline_s
  repeat {
    lines <- readLines(Sys.getenv("PAWS_TEST_ACCESS_LOG"), warn = FALSE)
    if (any(grepl(text, lines, fixed = TRUE))) {
      return(lines)
    }
    if (Sys.time() > deadline) stop("the emulator never logged ", text)
    Sys.sleep(0.01)
  }
}

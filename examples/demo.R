# Demo: stream a Lambda function's response from R (run by `make demo`).
library(pawslambda)

svc <- lambda(config = list(
  region = "us-east-1",
  endpoint = Sys.getenv("PAWS_DEMO_ENDPOINT"),
  credentials = list(creds = list(
    access_key_id = Sys.getenv("PAWS_DEMO_ACCESS_KEY_ID"),
    secret_access_key = Sys.getenv("PAWS_DEMO_SECRET_ACCESS_KEY")
  ))
))
fn <- Sys.getenv("PAWS_DEMO_FUNCTION", "stream")

cat(sprintf("== R: svc$invoke_with_response_stream(FunctionName = \"%s\")\n", fn))
start <- Sys.time()
show <- function(event) {
  ms <- as.numeric(difftime(Sys.time(), start, units = "secs")) * 1000
  kind <- names(event)
  body <- event[[1]]
  shown <- if (!is.null(body$Payload)) deparse(rawToChar(body$Payload)) else jsonlite::toJSON(body, auto_unbox = TRUE)
  cat(sprintf("  +%7.1f ms  %s: %s\n", ms, kind, paste(shown, collapse = " ")))
  flush(stdout())
  event
}
resp <- svc$invoke_with_response_stream(
  FunctionName = fn, Payload = '{"n": 5, "delay": 0.3}', .on_event = show
)
cat("== R: the returned value\n")
str(resp)

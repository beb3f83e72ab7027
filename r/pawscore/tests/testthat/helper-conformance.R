# Every file the tests read is in tests/testthat/data (written by the repository's
# scripts/sync_r_test_data.py; see data/README.md), so the tests run the same from
# the source tree, from pytest and under R CMD check. This is the one place that
# names the folder.
test_data_path <- function(...) testthat::test_path("data", ...)

read_test_json <- function(name) {
  jsonlite::fromJSON(test_data_path(name), simplifyVector = FALSE)
}

# Parse one raw request of the SigV4 suite (the text of a .req file) into its parts.
parse_suite_request <- function(text) {
  split <- regexpr("\n\n", text, fixed = TRUE)
  head <- if (split > 0) substr(text, 1, split - 1) else text
  body <- if (split > 0) substr(text, split + 2, nchar(text)) else ""
  lines <- strsplit(head, "\n", fixed = TRUE)[[1]]
  request_line <- lines[1]
  method <- sub(" .*$", "", request_line)
  target <- sub("^[^ ]+ (.*) HTTP/1\\.1$", "\\1", request_line)
  q <- regexpr("?", target, fixed = TRUE)
  path <- if (q > 0) substr(target, 1, q - 1) else target
  query <- if (q > 0) substr(target, q + 1, nchar(target)) else ""
  headers <- character()
  for (line in lines[-1]) {
    if (grepl("^[ \t]", line)) {
      # A folded header line continues the previous value.
      headers[length(headers)] <- paste(headers[length(headers)], line, sep = "\n")
    } else {
      colon <- regexpr(":", line, fixed = TRUE)
      headers <- c(headers, stats::setNames(
        substr(line, colon + 1, nchar(line)), substr(line, 1, colon - 1)
      ))
    }
  }
  list(method = method, path = path, query = query, headers = headers, body = body)
}

# Where the shared AWS conformance data lives: PAWS_CONFORMANCE_DIR (set by the
# pytest driver), else found by walking up from the tests folder.
conformance_dir <- function() {
  env <- Sys.getenv("PAWS_CONFORMANCE_DIR")
  if (nzchar(env) && dir.exists(env)) {
    return(normalizePath(env))
  }
  here <- normalizePath(".")
  for (i in 0:6) {
    candidate <- file.path(here, "shared", "conformance")
    if (dir.exists(candidate)) {
      return(candidate)
    }
    here <- dirname(here)
  }
  ""
}

skip_without_conformance <- function() {
  skip_if(!nzchar(conformance_dir()), "AWS conformance data not found")
}

# Parse one raw request of the SigV4 suite (.req) into its parts.
parse_suite_request <- function(path) {
  text <- rawToChar(readBin(path, "raw", file.size(path)))
  Encoding(text) <- "UTF-8"
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

read_text <- function(path) {
  text <- rawToChar(readBin(path, "raw", file.size(path)))
  Encoding(text) <- "UTF-8"
  text
}

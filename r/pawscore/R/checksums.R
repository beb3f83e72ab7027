# Whole-body integrity checks on buffered responses (mirrors
# python/pawscore/checksums.py).
#
# DynamoDB sends `x-amz-crc32`, the CRC-32 of the response body as a decimal
# number. A body that does not match it was damaged on the way; botocore retries
# such an answer, and so do we (the condition is a connection error). A header
# that is not a decimal number in 0..2^32-1 cannot vouch for the body either, and
# fails the same way instead of being ignored.

crc32_header <- "x-amz-crc32"

# NULL when `body` matches the header (or there is none), else the
# paws_checksum_error condition, returned (not signalled) for the retry loop.
# `headers` is a named character vector, names in any case.
body_crc32_problem <- function(headers, body) {
  hit <- which(tolower(names(headers)) == crc32_header)
  if (!length(hit)) {
    return(NULL)
  }
  text <- trimws(unname(headers[[hit[1]]]))
  if (!grepl("^[0-9]{1,10}$", text) || as.numeric(text) > 4294967295) {
    return(checksum_error(sprintf(
      "the %s response header is not a CRC-32 value: '%s'", crc32_header, substr(text, 1, 40)
    )))
  }
  actual <- es_crc32(body)
  if (actual != as.numeric(text)) {
    return(checksum_error(sprintf(
      "the response body (%d bytes) has CRC-32 %.0f, but its %s header says %.0f: it was damaged on the way",
      length(body), actual, crc32_header, as.numeric(text)
    )))
  }
  NULL
}

# A body that does not match its checksum (Python's ResponseChecksumError, an
# HttpError): a connection error, so it is retried.
checksum_error <- function(message) {
  paws_condition(c("paws_checksum_error", "paws_connection_error"), message)
}

# AWS Signature Version 4 as pure steps, each returning a value the next step
# (and the conformance tests) can check.

# Headers never signed: proxies and clients may change them in transit.
unsigned_headers <- c("authorization", "user-agent", "expect", "x-amzn-trace-id")

#' Build the SigV4 canonical request
#'
#' @param method HTTP method, e.g. `"GET"`.
#' @param path The request path as sent on the wire (it is normalized and
#'   URI-encoded once more, as SigV4 requires for services other than S3).
#' @param query The query string without the leading `?` (`""` for none).
#' @param headers A named character vector of headers; names may repeat.
#' @param body The request body, raw or character.
#' @returns The canonical request, a single string.
#' @export
sigv4_canonical_request <- function(method, path, query = "", headers, body = raw()) {
  canonical_request(method, path, query, canonical_headers(headers), body)
}

# The canonical request from the canonical headers (`canonical_headers()`),
# which sign_request() also needs for the Authorization header.
canonical_request <- function(method, path, query, canon, body) {
  paste(
    toupper(method),
    canonical_path(path),
    canonical_query(query),
    paste0(canon$lines, "\n", collapse = ""),
    canon$signed,
    sha256_hex(body),
    sep = "\n"
  )
}

#' Build the SigV4 string to sign
#'
#' @param canonical_request The output of [sigv4_canonical_request()].
#' @param datetime The request time as `YYYYMMDDTHHMMSSZ`.
#' @param region,service The signing region and service name.
#' @returns The string to sign, a single string.
#' @export
sigv4_string_to_sign <- function(canonical_request, datetime, region, service) {
  paste(
    "AWS4-HMAC-SHA256",
    datetime,
    credential_scope(datetime, region, service),
    sha256_hex(canonical_request),
    sep = "\n"
  )
}

#' Compute the SigV4 signature
#'
#' @param string_to_sign The output of [sigv4_string_to_sign()].
#' @param secret_access_key The secret key.
#' @param datetime The request time as `YYYYMMDDTHHMMSSZ`.
#' @param region,service The signing region and service name.
#' @returns The signature as lowercase hex.
#' @export
sigv4_signature <- function(string_to_sign, secret_access_key, datetime, region, service) {
  # HMAC-SHA256 of the string with the derived key (see hmac_raw()), its pads
  # worked out once per key.
  pads <- signing_pads(secret_access_key, substr(datetime, 1, 8), region, service)
  inner <- sha256_raw(c(pads$inner, charToRaw(enc2utf8(string_to_sign))))
  sha256_vhex()(c(pads$outer, inner), serialize = FALSE)
}

#' Sign an HTTP request with SigV4
#'
#' Adds `X-Amz-Date`, `X-Amz-Security-Token` (with a session token) and
#' `Authorization` to the headers, and returns every intermediate value.
#'
#' @param method HTTP method.
#' @param url The full URL, with the path and query encoded as they will be sent.
#' @param headers A named character vector of headers.
#' @param body The request body, raw or character.
#' @param credentials A list (or `paws_credentials`) with `access_key_id`,
#'   `secret_access_key` and optional `session_token`.
#' @param region,service The signing region and service name.
#' @param now The signing time (POSIXct).
#' @returns A list with `headers` (signed), `canonical_request`,
#'   `string_to_sign`, `signature` and `authorization`.
#' @export
sign_request <- function(method, url, headers = character(), body = raw(), credentials,
                         region, service, now = Sys.time()) {
  target <- signing_target(url)
  datetime <- amz_datetime(now)
  token <- credentials$session_token
  replaced <- c("authorization", "x-amz-date")
  if (!is.null(token)) replaced <- c(replaced, "x-amz-security-token")
  # The names in lower case, worked out once and kept beside the headers.
  lower <- tolower(names(headers))
  keep <- !lower %in% replaced
  headers <- headers[keep]
  lower <- lower[keep]
  if (!"host" %in% lower) {
    headers <- c(Host = target$host, headers)
    lower <- c("host", lower)
  }
  headers <- c(headers, `X-Amz-Date` = datetime)
  lower <- c(lower, "x-amz-date")
  if (!is.null(token)) {
    headers <- c(headers, `X-Amz-Security-Token` = token)
    lower <- c(lower, "x-amz-security-token")
  }
  canon <- canonical_headers(headers[!lower %in% unsigned_headers])
  # canonical_request() and sigv4_string_to_sign(), with the URL's canonical
  # path and query as signing_target() keeps them.
  creq <- paste(
    toupper(method), target$path, target$query, paste0(canon$lines, "\n", collapse = ""),
    canon$signed, sha256_hex(body),
    sep = "\n"
  )
  scope <- credential_scope(datetime, region, service)
  sts <- paste("AWS4-HMAC-SHA256", datetime, scope, sha256_hex(creq), sep = "\n")
  signature <- sigv4_signature(sts, credentials$secret_access_key, datetime, region, service)
  authorization <- sprintf(
    "AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, Signature=%s",
    credentials$access_key_id, scope, canon$signed, signature
  )
  list(
    headers = c(headers, Authorization = authorization),
    canonical_request = creq,
    string_to_sign = sts,
    signature = signature,
    authorization = authorization
  )
}

# `now` as YYYYMMDDTHHMMSSZ. The text changes once a second: the last second's
# is kept.
amz_datetime <- function(now) {
  if (!inherits(now, "POSIXct")) now <- as.POSIXct(now)
  second <- floor(as.numeric(now))
  last <- signer_state$datetime
  if (!is.null(last) && identical(last$second, second)) {
    return(last$text)
  }
  text <- format(now, "%Y%m%dT%H%M%SZ", tz = "UTC")
  signer_state$datetime <- list(second = second, text = text)
  text
}

credential_scope <- function(datetime, region, service) {
  paste(substr(datetime, 1, 8), region, service, "aws4_request", sep = "/")
}

canonical_headers <- function(headers) {
  keys <- names(headers)
  # Trimmed and collapsed only where there is something to do: most names and
  # values hold no space but single inner ones (trimws() alone cost more than
  # the rest of this function).
  edge <- grepl("^[ \t\r\n]|[ \t\r\n]$", keys, perl = TRUE)
  if (any(edge)) keys[edge] <- trimws(keys[edge])
  keys <- tolower(keys)
  values <- unname(as.character(headers))
  messy <- grepl("^[ \t\r\n]|[ \t\r\n]$|[\t\n\r\f\v]|  ", values, perl = TRUE)
  if (any(messy)) values[messy] <- gsub("\\s+", " ", trimws(values[messy]))
  # The usual case: one value per name, no joining. The order depends on the
  # names alone, and a client signs the same names call after call: the last
  # names' order is kept.
  known <- signer_state$header_order
  if (is.null(known) || !identical(known$keys, keys)) {
    known <- NULL
    if (!anyDuplicated(keys)) {
      ord <- order(keys, method = "radix")
      known <- list(keys = keys, ord = ord, signed = paste(keys[ord], collapse = ";"))
      signer_state$header_order <- known
    }
  }
  if (!is.null(known)) {
    return(list(lines = paste0(keys[known$ord], ":", values[known$ord]), signed = known$signed))
  }
  uniq <- sort(unique(keys), method = "radix")
  joined <- vapply(uniq, function(k) paste(values[keys == k], collapse = ","), "")
  list(lines = paste0(uniq, ":", joined), signed = paste(uniq, collapse = ";"))
}

canonical_path <- function(path) {
  if (!nzchar(path)) {
    return("/")
  }
  # Segments of unreserved characters only, none empty, "." or "..": the path
  # is its own canonical form.
  if (grepl("^(/[A-Za-z0-9._~-]+)+/?$", path, perl = TRUE) &&
    !grepl("/\\.\\.?(/|$)", path, perl = TRUE)) {
    return(path)
  }
  trailing <- endsWith(path, "/")
  out <- character()
  for (seg in strsplit(path, "/", fixed = TRUE)[[1]]) {
    if (seg == "" || seg == ".") next
    if (seg == "..") {
      out <- out[-length(out)]
    } else {
      out <- c(out, seg)
    }
  }
  # Only segments with a character outside the unreserved set need escaping.
  plain <- grepl("^[A-Za-z0-9._~-]*$", out)
  out[!plain] <- vapply(out[!plain], aws_escape, "", USE.NAMES = FALSE)
  norm <- paste0("/", paste(out, collapse = "/"))
  if (trailing && length(out)) norm <- paste0(norm, "/")
  norm
}

canonical_query <- function(query) {
  if (is.null(query) || !nzchar(query)) {
    return("")
  }
  pairs <- strsplit(query, "&", fixed = TRUE)[[1]]
  pairs <- pairs[nzchar(pairs)]
  eq <- regexpr("=", pairs, fixed = TRUE)
  keys <- ifelse(eq > 0, substr(pairs, 1, eq - 1), pairs)
  values <- ifelse(eq > 0, substr(pairs, eq + 1, nchar(pairs)), "")
  # Decode first so that raw and already-encoded input end up encoded once.
  keys <- vapply(keys, function(k) aws_escape(curl::curl_unescape(k)), "", USE.NAMES = FALSE)
  values <- vapply(values, function(v) aws_escape(curl::curl_unescape(v)), "", USE.NAMES = FALSE)
  ord <- order(keys, values, method = "radix")
  paste0(keys[ord], "=", values[ord], collapse = "&")
}

# Percent-encode everything but the unreserved characters (RFC 3986).
aws_escape <- function(x) {
  if (is.character(x) && length(x) == 1L && is.null(attributes(x)) &&
    isTRUE(grepl("^[A-Za-z0-9._~-]*$", x, perl = TRUE))) {
    return(x) # nothing to escape
  }
  bytes <- charToRaw(enc2utf8(x))
  if (!length(bytes)) {
    return("")
  }
  keep <- bytes %in% unreserved_bytes
  out <- paste0("%", toupper(as.character(bytes)))
  out[keep] <- rawToChar(bytes[keep], multiple = TRUE)
  paste(out, collapse = "")
}

unreserved_bytes <- charToRaw(
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
)

# A call splits the same URL several times (signing, proxy choice): the last
# one's parts are kept, as the regular expressions are most of the cost.
split_url <- function(url) {
  if (identical(url, last_url$url)) {
    return(last_url$parts)
  }
  url_re <- "^([A-Za-z][A-Za-z0-9+.-]*)://([^/?#]*)([^?#]*)(\\?[^#]*)?"
  m <- regmatches(url, regexec(url_re, url))[[1]]
  if (!length(m)) stop(paws_condition("paws_config_error", sprintf("Invalid URL: %s", url)))
  host <- m[3]
  scheme <- tolower(m[2])
  host <- sub(if (scheme == "https") ":443$" else ":80$", "", host)
  parts <- list(
    scheme = scheme, host = host, path = if (nzchar(m[4])) m[4] else "/",
    query = sub("^\\?", "", m[5])
  )
  last_url$url <- url
  last_url$parts <- parts
  parts
}

last_url <- new.env(parent = emptyenv())

# What signing needs of `url`: list(host, path, query), the path and query in
# their canonical form. A client signs the same URL call after call: the last
# one's are kept.
signing_target <- function(url) {
  last <- signer_state$target
  if (!is.null(last) && identical(last$url, url)) {
    return(last$target)
  }
  parts <- split_url(url)
  target <- list(
    host = parts$host, path = canonical_path(parts$path), query = canonical_query(parts$query)
  )
  signer_state$target <- list(url = url, target = target)
  target
}

sha256_hex <- function(x) {
  if (is.character(x)) x <- charToRaw(enc2utf8(x))
  sha256_vhex()(x, serialize = FALSE)
}

# digest's vectorised SHA-256 (hex): the same hash as digest::digest() without
# its argument handling, which was half its cost on short input. Made at first
# use, from the digest installed then.
sha256_vhex <- function() {
  if (is.null(signer_state$vhex)) signer_state$vhex <- digest::getVDigest("sha256")
  signer_state$vhex
}

# HMAC-SHA256 (RFC 2104) on digest's raw SHA-256; digest::hmac() converts each
# digest through hex text, which made it most of the cost of signing.
hmac_raw <- function(key, text) {
  if (length(key) > 64L) key <- sha256_raw(key)
  key <- c(key, raw(64L - length(key)))
  inner <- sha256_raw(c(xor(key, as.raw(0x36)), charToRaw(enc2utf8(text))))
  sha256_raw(c(xor(key, as.raw(0x5c)), inner))
}

sha256_raw <- function(x) digest::digest(x, algo = "sha256", serialize = FALSE, raw = TRUE)

# The derived key depends only on the secret, the day, region and service, so
# the last one is kept (in this namespace only, never printed) and reused, as
# its HMAC pads: list(inner, outer), the key padded to SHA-256's 64-byte block
# and XORed with 0x36 and 0x5c.
signer_state <- new.env(parent = emptyenv())

signing_pads <- function(secret_access_key, day, region, service) {
  scope <- c(day, region, service)
  last <- signer_state$last
  if (!is.null(last) && identical(last$scope, scope) && identical(last$secret, secret_access_key)) {
    return(last$pads)
  }
  key <- charToRaw(paste0("AWS4", secret_access_key))
  for (part in c(scope, "aws4_request")) key <- hmac_raw(key, part)
  key <- c(key, raw(64L - length(key)))
  pads <- list(inner = xor(key, as.raw(0x36)), outer = xor(key, as.raw(0x5c)))
  signer_state$last <- list(secret = secret_access_key, scope = scope, pads = pads)
  pads
}

# Read an event-stream response's payload in one line: raw, text or parsed JSON.
# Mirrors python/pawscore/payload.py: the payload is every blob member of every
# event, joined in arrival order (Lambda's PayloadChunk$Payload, Bedrock's
# chunk$bytes), so text is decoded only once whole characters are there.

#' Join the payload pieces of an event stream
#'
#' A streamed answer arrives as events, each holding a piece of the payload
#' (Lambda's `PayloadChunk$Payload`, Bedrock's `chunk$bytes`). These helpers
#' join every raw member of every event in arrival order. `payload_text()`
#' decodes the joined bytes as UTF-8, so a character split between two events
#' comes out whole; `payload_json()` parses that text as JSON.
#'
#' @param x A response (the named list an operation returns) or its list of
#'   events (e.g. `resp$EventStream`).
#' @returns `payload_raw()`: a raw vector. `payload_text()`: a character(1) in
#'   UTF-8. `payload_json()`: the parsed JSON as nested lists.
#'   Bytes that are not UTF-8, or NUL bytes (which R strings cannot hold),
#'   raise a `paws_response_error`; `payload_raw()` still gives them.
#' @examples
#' resp <- list(StatusCode = 200L, EventStream = list(
#'   list(PayloadChunk = list(Payload = charToRaw('{"k": '))),
#'   list(PayloadChunk = list(Payload = charToRaw("1}"))),
#'   list(InvokeComplete = list())
#' ))
#' payload_text(resp)
#' payload_json(resp)$k
#' @export
payload_raw <- function(x) {
  pieces <- lapply(stream_events(x), function(event) {
    members <- if (is.list(event) && length(event) == 1L) event[[1L]] else NULL
    if (!is.list(members)) return(NULL)
    do.call(c, Filter(is.raw, unname(members)))
  })
  out <- do.call(c, Filter(Negate(is.null), pieces))
  if (is.null(out)) raw(0) else out
}

#' @rdname payload_raw
#' @export
payload_text <- function(x) {
  raw_to_utf8(payload_raw(x))
}

#' @rdname payload_raw
#' @export
payload_json <- function(x) {
  bytes <- payload_raw(x)
  raw_to_utf8(bytes) # the NUL and UTF-8 checks, with their own messages
  # JSON is read by the rules both runtimes share (jsonvalue.R).
  tryCatch(parse_json_body(bytes), paws_response_error = function(e) {
    stop(paws_condition("paws_response_error", paste0(
      "the payload is not JSON: ", sub("^Response body is not valid JSON: ", "", conditionMessage(e))
    )))
  })
}

#' Decode a payload to text as it arrives
#'
#' Returns a function to call with each piece of raw payload (for instance
#' from an `.on_event` callback); it returns the text of the whole characters
#' received so far, holding back the bytes of a character cut between pieces.
#' Call it with `final = TRUE` at the end: bytes still held then are an error.
#'
#' @returns A function `function(bytes = raw(0), final = FALSE)` returning
#'   character(1).
#' @examples
#' decode <- text_decoder()
#' decode(as.raw(c(0x63, 0x61, 0x66, 0xc3))) # "caf"
#' decode(as.raw(0xa9))                     # "\u00e9"
#' decode(final = TRUE)                     # ""
#' @export
text_decoder <- function() {
  pending <- raw(0)
  function(bytes = raw(0), final = FALSE) {
    if (!is.raw(bytes)) {
      stop(paws_condition("paws_usage_error", "text_decoder(): bytes must be a raw vector"))
    }
    buf <- c(pending, bytes)
    keep <- if (final) 0L else incomplete_tail(buf)
    pending <<- if (keep > 0L) buf[(length(buf) - keep + 1L):length(buf)] else raw(0)
    raw_to_utf8(if (keep > 0L) buf[seq_len(length(buf) - keep)] else buf)
  }
}

# The events of a response (its one list-of-events member) or the events given.
stream_events <- function(x) {
  if (!is.list(x)) {
    stop(paws_condition("paws_usage_error", "expected a response or a list of events"))
  }
  if (is.null(names(x))) return(x)
  streams <- Filter(function(v) is.list(v) && is.null(names(v)), x)
  if (length(streams) != 1L) {
    stop(paws_condition("paws_usage_error", sprintf(
      "expected a response with one event stream (or the events themselves), found %d",
      length(streams)
    )))
  }
  streams[[1L]]
}

# How many trailing bytes start a UTF-8 character that is not complete yet.
incomplete_tail <- function(buf) {
  n <- length(buf)
  for (back in seq_len(min(3L, n))) {
    byte <- as.integer(buf[n - back + 1L])
    if (byte < 0x80) return(0L) # ASCII: nothing pending
    if (byte >= 0xC0) {          # a lead byte: does its character fit?
      need <- if (byte >= 0xF0) 4L else if (byte >= 0xE0) 3L else 2L
      return(if (need > back) back else 0L)
    }
  }
  0L
}

raw_to_utf8 <- function(bytes) {
  if (!length(bytes)) return("")
  if (any(bytes == as.raw(0L))) {
    stop(paws_condition("paws_response_error", paste0(
      "the payload holds NUL bytes, which R strings cannot hold; use payload_raw()"
    )))
  }
  text <- rawToChar(bytes)
  Encoding(text) <- "UTF-8"
  if (!validUTF8(text)) {
    stop(paws_condition("paws_response_error", "the payload is not valid UTF-8"))
  }
  text
}

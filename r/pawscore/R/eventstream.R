# AWS event-stream codec. Framing and both CRCs run in C (src/eventstream.c),
# one .Call per network read; this file keeps the stream state between reads
# and turns failures into classed conditions named as in Python.

es_prelude_length <- 12
# The limits botocore applies (and AWS's C library); src/eventstream.c has the same.
es_max_headers <- 128 * 1024
es_max_payload <- 24 * 1024 * 1024
es_small_piece <- 4096

# An event-stream decode failure; `kind` is one of the shared class names
# (ChecksumMismatch, InvalidFrame, InvalidHeaderType, TruncatedStream,
# HeaderValueOutOfRange) and `offset` the stream byte offset of the frame.
es_error <- function(kind, message, offset) {
  paws_condition(
    c(kind, "EventStreamError"),
    sprintf("%s at byte %.0f", message, offset),
    offset = offset
  )
}

#' Create an incremental event-stream decoder
#'
#' The decoder accepts the bytes of an `application/vnd.amazon.eventstream`
#' body as they arrive and returns each message as soon as its frame is
#' complete. Both CRCs of every frame are checked; any damage raises an
#' `EventStreamError` condition, and a stream that ends inside a frame raises
#' `TruncatedStream` from `$finish()`. When one read holds good frames and then
#' damage, the good messages are returned and the error is raised by the next
#' `$feed()` or `$finish()`. After an error the decoder stays broken.
#'
#' Frames are limited as botocore limits them: a payload of at most 24 MiB and
#' a header block of at most 128 KiB. A header value R cannot hold exactly (a
#' long or timestamp beyond +-2^53, the integer -2^31, a string holding NUL)
#' is not an error: it is kept as an `es_unreadable` object,
#' `list(type, raw, reason)`, so a header nobody reads never stops the stream.
#'
#' @returns An environment with `$feed(raw)` (returns a list of messages, each
#'   `list(headers = <named list>, payload = <raw>)`), `$finish()` (call at
#'   the end of the body) and `$offset` (stream bytes consumed so far).
#' @examples
#' frame <- es_encode_message(list(":event-type" = "PayloadChunk"), charToRaw("hi"))
#' dec <- es_decoder()
#' msgs <- c(dec$feed(frame[1:10]), dec$feed(frame[-(1:10)]))
#' dec$finish()
#' rawToChar(msgs[[1]]$payload)
#' @export
es_decoder <- function() {
  self <- new.env(parent = emptyenv())
  self$offset <- 0
  # The partial frame is kept as the reads that brought it; C decodes it from
  # those pieces once it is complete, so a large frame is never re-copied.
  parts <- list()
  pending <- 0
  need <- es_prelude_length
  failure <- NULL

  fail <- function(kind, message, offset) {
    failure <<- es_error(kind, message, offset)
    stop(failure)
  }

  add <- function(data) {
    n <- length(parts)
    if (n > 0L && length(parts[[n]]) + length(data) <= es_small_piece) {
      # Tiny reads are gathered, so a frame arriving a few bytes at a time is
      # not held as a huge list of tiny vectors.
      parts[[n]] <<- c(parts[[n]], data)
    } else {
      parts[[n + 1L]] <<- data
    }
    pending <<- pending + length(data)
  }

  # Decode what is pending; `plan` (event_plan()) asks C to build the events
  # it can. Returns the C answer (list(messages, slow, ...)), or NULL while
  # the next frame is incomplete.
  decode <- function(plan = NULL) {
    if (pending < need) {
      return(NULL)
    }
    res <- .Call(pawscore_es_decode_events, parts, self$offset, plan)
    if (!is.null(res$error)) {
      # Messages decoded before the damage are returned; the error is raised by
      # the next feed() or finish(), so every event that arrived is delivered.
      if (length(res$messages) == 0L) fail(res$error[[1L]], res$error[[2L]], res$error[[3L]])
      failure <<- es_error(res$error[[1L]], res$error[[2L]], res$error[[3L]])
      return(res)
    }
    self$offset <- self$offset + res$consumed
    parts <<- if (length(res$rest)) list(res$rest) else list()
    pending <<- length(res$rest)
    need <<- res$need
    res
  }

  self$feed <- function(data) {
    if (!is.null(failure)) stop(failure)
    if (!is.raw(data)) {
      stop("`data` must be a raw vector", call. = FALSE)
    }
    if (length(data) == 0) {
      return(list())
    }
    add(data)
    decode()$messages %||% list()
  }

  # Internal (the response sink's): `chunks`, a list of reads, fed at once;
  # the events are built in the same .Call (see decode()). Returns NULL or
  # list(messages, slow, ...).
  self$feed_events <- function(chunks, plan) {
    if (!is.null(failure)) stop(failure)
    # A new list each time, never one modified in place (see http_transfer()
    # on old lists and garbage); tiny reads are joined once they pile up.
    parts <<- if (length(parts)) c(parts, chunks) else chunks
    pending <<- pending + sum(lengths(chunks))
    if (length(parts) > 64L && pending / length(parts) < es_small_piece) {
      parts <<- list(do.call(c, parts))
    }
    decode(plan)
  }

  self$finish <- function() {
    if (!is.null(failure)) stop(failure)
    if (pending > 0) {
      want <- if (need > es_prelude_length) format(need) else "at least 16"
      fail(
        "TruncatedStream",
        sprintf("stream ended inside a frame (%.0f of %s bytes received)", pending, want),
        self$offset
      )
    }
    invisible(NULL)
  }

  self
}

#' Decode a complete event-stream body
#'
#' @param data A raw vector holding a whole `application/vnd.amazon.eventstream`
#'   body.
#' @returns A list of messages, each `list(headers = <named list>, payload = <raw>)`.
#'   Raises `TruncatedStream` if the body ends inside a frame, and another
#'   `EventStreamError` condition for any damaged frame.
#' @examples
#' frame <- es_encode_message(list(":message-type" = "event"), as.raw(1:3))
#' es_decode(c(frame, frame))
#' @export
es_decode <- function(data) {
  dec <- es_decoder()
  messages <- dec$feed(data)
  dec$finish()
  messages
}

#' Encode one event-stream message
#'
#' A small encoder for tests and fixtures. Header values are typed by their R
#' class: logical -> bool, integer -> integer (32-bit), character -> string,
#' raw -> byte array, POSIXct -> timestamp (milliseconds), double -> long
#' (whole numbers within +-2^53). Set attribute `es_type` to `"byte"`,
#' `"short"`, `"long"` or `"uuid"` (on a 36-character string) for the others.
#'
#' @param headers A named list of length-1 header values (raw: any length).
#' @param payload A raw vector (or a string, sent as UTF-8).
#' @returns The frame as a raw vector.
#' @examples
#' es_encode_message(list(":event-type" = "PayloadChunk", n = 1L), as.raw(0:3))
#' @export
es_encode_message <- function(headers = list(), payload = raw()) {
  if (is.character(payload)) payload <- charToRaw(enc2utf8(paste(payload, collapse = "")))
  if (!is.raw(payload)) stop("`payload` must be a raw vector", call. = FALSE)
  if (length(headers) && (is.null(names(headers)) || any(!nzchar(names(headers))))) {
    stop("`headers` must be a named list", call. = FALSE)
  }
  if (anyDuplicated(names(headers))) stop("duplicate header name", call. = FALSE)
  block <- lapply(seq_along(headers), function(i) {
    es_encode_header(names(headers)[[i]], headers[[i]])
  })
  block <- unlist(block, use.names = FALSE) %||% raw()
  total <- es_prelude_length + length(block) + length(payload) + 4
  if (length(block) > es_max_headers) stop("headers exceed 128 KiB", call. = FALSE)
  if (length(payload) > es_max_payload) stop("payload exceeds 24 MiB", call. = FALSE)
  prelude <- c(es_u32(total), es_u32(length(block)))
  prelude <- c(prelude, es_u32(es_crc32(prelude)))
  body <- c(prelude, block, payload)
  c(body, es_u32(es_crc32(body)))
}

es_encode_header <- function(name, value) {
  raw_name <- charToRaw(enc2utf8(name))
  if (length(raw_name) > 255) stop(sprintf("header name '%s' is too long", name), call. = FALSE)
  type <- attr(value, "es_type", exact = TRUE)
  body <- if (is.logical(value)) {
    es_scalar(name, value)
    if (value) as.raw(0) else as.raw(1)
  } else if (identical(type, "uuid")) {
    hex <- gsub("-", "", value, fixed = TRUE)
    if (nchar(hex) != 32) stop(sprintf("header '%s': not a uuid", name), call. = FALSE)
    c(as.raw(9), es_hex(hex))
  } else if (is.raw(value)) {
    c(as.raw(6), es_sized(name, value))
  } else if (is.character(value)) {
    es_scalar(name, value)
    c(as.raw(7), es_sized(name, charToRaw(enc2utf8(value))))
  } else if (inherits(value, "POSIXct")) {
    es_scalar(name, value)
    c(as.raw(8), es_i64(name, round(as.numeric(value) * 1000)))
  } else if (is.numeric(value)) {
    es_scalar(name, value)
    es_encode_number(name, value, type)
  } else {
    stop(sprintf("header '%s': cannot encode a %s", name, class(value)[[1L]]), call. = FALSE)
  }
  c(as.raw(length(raw_name)), raw_name, body)
}

es_encode_number <- function(name, value, type) {
  if (is.null(type)) type <- if (is.integer(value)) "integer" else "long"
  limits <- c(byte = 2^7, short = 2^15, integer = 2^31)
  if (type == "long") {
    return(c(as.raw(5), es_i64(name, value)))
  }
  if (!type %in% names(limits)) stop(sprintf("header '%s': unknown es_type", name), call. = FALSE)
  if (value != round(value) || value < -limits[[type]] || value >= limits[[type]]) {
    stop(sprintf("header '%s': %s does not fit a %s", name, value, type), call. = FALSE)
  }
  width <- c(byte = 1L, short = 2L, integer = 4L)[[type]]
  tag <- c(byte = 2L, short = 3L, integer = 4L)[[type]]
  unsigned <- if (value < 0) value + 2^(8 * width) else value
  c(as.raw(tag), es_be_bytes(unsigned, width))
}

es_scalar <- function(name, value) {
  if (length(value) != 1L || is.na(value)) {
    stop(sprintf("header '%s' must be a single non-NA value", name), call. = FALSE)
  }
}

es_sized <- function(name, bytes) {
  if (length(bytes) > 32767) stop(sprintf("header '%s' value is too long", name), call. = FALSE)
  c(es_be_bytes(length(bytes), 2L), bytes)
}

es_i64 <- function(name, value) {
  if (value != round(value) || abs(value) > 2^53) {
    stop(sprintf("header '%s': %s is not a whole number within +-2^53", name, value),
      call. = FALSE
    )
  }
  hi <- floor(value / 2^32)
  lo <- value - hi * 2^32
  if (hi < 0) hi <- hi + 2^32
  c(es_be_bytes(hi, 4L), es_be_bytes(lo, 4L))
}

# Unsigned whole number (< 2^32) to `width` big-endian bytes.
es_be_bytes <- function(value, width) {
  out <- raw(width)
  for (i in width:1) {
    out[[i]] <- as.raw(value %% 256)
    value <- value %/% 256
  }
  out
}

es_u32 <- function(value) es_be_bytes(value, 4L)

# CRC-32 of a raw vector (a double); `tables = TRUE` forces the portable C path.
es_crc32 <- function(x, tables = FALSE) .Call(pawscore_es_crc32, x, tables)

es_hex <- function(hex) {
  pairs <- substring(hex, seq(1, nchar(hex), 2), seq(2, nchar(hex), 2))
  as.raw(strtoi(pairs, 16L))
}

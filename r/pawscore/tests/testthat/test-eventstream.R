lambda_headers <- list(
  ":event-type" = "PayloadChunk",
  ":content-type" = "application/octet-stream",
  ":message-type" = "event"
)

all_types <- list(
  t = TRUE,
  f = FALSE,
  b = structure(-7L, es_type = "byte"),
  s = structure(-300L, es_type = "short"),
  i = 123456L,
  l = -2^53,
  raw = as.raw(c(0, 255)),
  str = "\u00fcn\u00efcode",
  ts = .POSIXct(1620284889.123, tz = "UTC"),
  id = structure("12345678-1234-5678-1234-567812345678", es_type = "uuid")
)

decode_in_pieces <- function(data, cuts) {
  dec <- es_decoder()
  out <- list()
  last <- 0
  for (cut in c(sort(unique(cuts)), length(data))) {
    if (cut > last) out <- c(out, dec$feed(data[(last + 1):cut]))
    last <- max(last, cut)
  }
  dec$finish()
  out
}

test_that("every fixture shared with pytest decodes as its JSON says", {
  dir <- es_fixture_dir()
  names <- sub("\\.json$", "", list.files(dir, pattern = "\\.json$"))
  expect_gt(length(names), 15)
  for (name in names) {
    fx <- es_read_fixture(dir, name)
    if (!is.null(fx$expect$messages)) {
      got <- es_decode(fx$data)
      expect_length(got, length(fx$expect$messages))
      for (i in seq_along(got)) {
        es_expect_message(got[[i]], fx$expect$messages[[i]], paste(name, i))
      }
    } else {
      err <- es_catch(es_decode(fx$data))
      expect_s3_class(err, fx$expect$error$kind)
      expect_s3_class(err, "EventStreamError")
      expect_identical(err$offset, as.numeric(fx$expect$error$offset), label = name)
      expect_match(conditionMessage(err), paste0("at byte ", fx$expect$error$offset, "$"))
    }
  }
})

test_that("fixtures fed one byte at a time decode the same", {
  dir <- es_fixture_dir()
  for (name in c("all_header_types", "lambda_stream", "extremes", "message_crc")) {
    fx <- es_read_fixture(dir, name)
    whole <- es_catch(es_decode(fx$data))
    dec <- es_decoder()
    pieces <- es_catch({
      out <- list()
      for (i in seq_along(fx$data)) out <- c(out, dec$feed(fx$data[i]))
      dec$finish()
      out
    })
    expect_identical(pieces, whole, label = name)
  }
})

test_that("all header types round-trip through the R encoder", {
  frame <- es_encode_message(all_types, charToRaw("payload"))
  msgs <- es_decode(frame)
  expect_length(msgs, 1)
  h <- msgs[[1]]$headers
  expect_identical(names(h), names(all_types))
  expect_identical(h$t, TRUE)
  expect_identical(h$f, FALSE)
  expect_identical(h$b, -7L)
  expect_identical(h$s, -300L)
  expect_identical(h$i, 123456L)
  expect_identical(h$l, -2^53)
  expect_identical(h$raw, as.raw(c(0, 255)))
  expect_identical(h$str, "\u00fcn\u00efcode")
  expect_identical(Encoding(h$str), "UTF-8")
  expect_s3_class(h$ts, "POSIXct")
  expect_identical(attr(h$ts, "tzone"), "UTC")
  expect_identical(round(as.numeric(h$ts) * 1000), 1620284889123)
  expect_identical(h$id, "12345678-1234-5678-1234-567812345678")
  expect_identical(msgs[[1]]$payload, charToRaw("payload"))
})

test_that("every split into three pieces decodes the same", {
  stream <- c(
    es_encode_message(all_types, charToRaw("one")),
    es_encode_message(lambda_headers),
    es_encode_message(list(), as.raw(rep(7, 40)))
  )
  whole <- es_decode(stream)
  expect_length(whole, 3)
  n <- length(stream)
  # Every first cut, with the second cut at a spread of points after it.
  for (i in 0:n) {
    for (j in unique(c(i, i + 1, (i + n) %/% 2, n - 1, n))) {
      if (j < i || j > n) next
      expect_identical(decode_in_pieces(stream, c(i, j)), whole)
    }
  }
})

test_that("many frames arriving in one read all come out, in order", {
  frames <- lapply(1:500, function(i) es_encode_message(lambda_headers, charToRaw(sprintf("c%03d", i))))
  msgs <- es_decode(do.call(c, frames))
  expect_length(msgs, 500)
  expect_identical(rawToChar(msgs[[1]]$payload), "c001")
  expect_identical(rawToChar(msgs[[500]]$payload), "c500")
  expect_identical(msgs[[250]]$headers, lambda_headers)
})

test_that("shared header values can be modified without touching other messages", {
  frame <- es_encode_message(lambda_headers, as.raw(1))
  msgs <- es_decode(c(frame, frame))
  msgs[[1]]$headers[[":event-type"]] <- "changed"
  expect_identical(msgs[[2]]$headers[[":event-type"]], "PayloadChunk")
  expect_identical(es_decode(frame)[[1]]$headers[[":event-type"]], "PayloadChunk")
})

test_that("every single-bit flip in a frame is detected by feed", {
  for (frame in list(es_encode_message(all_types, charToRaw("payload")), es_encode_message(lambda_headers))) {
    ints <- as.integer(frame)
    for (index in seq_along(frame)) {
      for (bit in 0:7) {
        damaged <- frame
        damaged[[index]] <- as.raw(bitwXor(ints[[index]], bitwShiftL(1L, bit)))
        dec <- es_decoder()
        err <- es_catch(dec$feed(damaged))
        expect_s3_class(err, "ChecksumMismatch")
      }
    }
  }
})

test_that("a stream that ends inside a frame is a TruncatedStream", {
  frame <- es_encode_message(all_types, charToRaw("payload"))
  stream <- c(frame, frame)
  for (cut in (length(frame) + 1):(length(stream) - 1)) {
    dec <- es_decoder()
    expect_length(dec$feed(stream[1:cut]), 1)
    err <- es_catch(dec$finish())
    expect_s3_class(err, "TruncatedStream")
    expect_identical(err$offset, as.numeric(length(frame)))
  }
})

test_that("conditions carry the shared classes, message and offset", {
  good <- es_encode_message(lambda_headers, as.raw(1))
  dup <- c(as.raw(3), charToRaw("dup"), as.raw(0))
  err <- es_catch(es_decode(c(good, good, es_raw_frame(c(dup, dup)))))
  expect_identical(
    class(err),
    c("InvalidFrame", "EventStreamError", "paws_error", "error", "condition")
  )
  expect_identical(err$offset, 2 * length(good))
  expect_match(err$message, "duplicate header name 'dup'")
  unknown <- es_catch(es_decode(es_raw_frame(c(as.raw(1), charToRaw("x"), as.raw(10)))))
  expect_s3_class(unknown, "InvalidHeaderType")
  expect_match(conditionMessage(unknown), "unknown value type 10")
})

test_that("good frames before damage in the same read are returned first", {
  good <- es_encode_message(lambda_headers, as.raw(7))
  dup <- c(as.raw(3), charToRaw("dup"), as.raw(0))
  dec <- es_decoder()
  msgs <- dec$feed(c(good, good, es_raw_frame(c(dup, dup))))
  expect_length(msgs, 2)
  expect_identical(msgs[[2]]$payload, as.raw(7))
  err <- es_catch(dec$finish())
  expect_s3_class(err, "InvalidFrame")
  expect_identical(err$offset, 2 * length(good))
  expect_error(dec$feed(good), class = "InvalidFrame")
})

test_that("a decoder stays broken after an error", {
  dec <- es_decoder()
  expect_error(dec$feed(as.raw(rep(0, 16))), class = "ChecksumMismatch")
  expect_error(dec$feed(es_encode_message(list(), as.raw(1))), class = "ChecksumMismatch")
  expect_error(dec$finish(), class = "ChecksumMismatch")
})

test_that("values R cannot hold exactly are kept as their wire bytes, never rounded", {
  long_frame <- function(bytes) es_raw_frame(c(as.raw(4), charToRaw("big!"), as.raw(5), bytes))
  # 2^53 itself is exact; 2^53 + 1 and -(2^53 + 1) are not.
  ok <- es_decode(long_frame(as.raw(c(0, 0x20, 0, 0, 0, 0, 0, 0))))
  expect_identical(ok[[1]]$headers[["big!"]], 2^53)
  for (bytes in list(as.raw(c(0, 0x20, 0, 0, 0, 0, 0, 1)), as.raw(c(0xff, 0xdf, rep(0xff, 6))))) {
    value <- es_decode(long_frame(bytes))[[1]]$headers[["big!"]]
    expect_s3_class(value, "es_unreadable")
    expect_identical(value$type, "long")
    expect_identical(value$raw, bytes)
    expect_match(value$reason, "2\\^53")
  }
  int_min <- es_raw_frame(c(as.raw(1), charToRaw("n"), as.raw(4), as.raw(c(0x80, 0, 0, 0))))
  expect_s3_class(es_decode(int_min)[[1]]$headers$n, "es_unreadable")
  nul <- es_raw_frame(c(as.raw(1), charToRaw("s"), as.raw(7), as.raw(c(0, 3, 0x61, 0, 0x62))))
  value <- es_decode(nul)[[1]]$headers$s
  expect_identical(value$raw, as.raw(c(0x61, 0, 0x62)))
  expect_match(value$reason, "NUL")
  # A NUL in a header name is a damaged frame (in Python too).
  bad_name <- es_raw_frame(c(as.raw(3), charToRaw("a"), as.raw(0), charToRaw("b"), as.raw(0)))
  expect_error(es_decode(bad_name), "NUL", class = "InvalidFrame")
})

test_that("frame length limits are enforced", {
  expect_error(es_decode(es_raw_frame(total = 15)), "below the 16", class = "InvalidFrame")
  # botocore's limits: payload 24 MiB, headers 128 KiB (the old 16 MiB cap is gone).
  expect_error(es_decode(es_raw_frame(total = 16 + 24 * 2^20 + 1)), "payload length",
    class = "InvalidFrame"
  )
  expect_error(es_decode(es_raw_frame(total = 16 + 2^17 + 1, headers_len = 2^17 + 1)),
    "headers length", class = "InvalidFrame"
  )
  big <- as.raw(rep(0:255, length.out = 2^24 + 1))
  got <- es_decode(es_encode_message(list(), big))
  expect_identical(got[[1]]$payload, big)
  expect_error(es_decode(es_raw_frame(raw(), as.raw(1:4), headers_len = 5)), class = "InvalidFrame")
  expect_error(es_decode(es_raw_frame(c(as.raw(0), as.raw(7)))), "length 0", class = "InvalidFrame")
})

test_that("a large frame arriving in many small reads decodes once", {
  payload <- as.raw(rep(0:255, 4096))
  frame <- es_encode_message(lambda_headers, payload)
  starts <- seq(1, length(frame), by = 1000)
  got <- decode_in_pieces(frame, starts[-1] - 1)
  expect_length(got, 1)
  expect_identical(got[[1]]$payload, payload)
})

test_that("offset counts the bytes consumed", {
  frame <- es_encode_message(lambda_headers, charToRaw("abc"))
  dec <- es_decoder()
  dec$feed(c(frame, frame[1:7]))
  expect_identical(dec$offset, as.numeric(length(frame)))
  dec$feed(frame[-(1:7)])
  expect_identical(dec$offset, 2 * length(frame))
})

test_that("the encoder rejects what it cannot encode", {
  expect_error(es_encode_message(list("x")), "named list")
  expect_error(es_encode_message(list(a = 1:2)), "single")
  expect_error(es_encode_message(list(a = NA)), "single")
  expect_error(es_encode_message(list(a = 2^53 + 2)), "2\\^53")
  expect_error(es_encode_message(list(a = structure(128L, es_type = "byte"))), "does not fit")
  expect_error(es_encode_message(list(a = list())), "cannot encode")
  expect_error(es_encode_message(list(), 1:3), "raw")
  expect_error(es_decoder()$feed("text"), "raw")
})

test_that("both CRC-32 paths give the standard checksum at every length", {
  expect_identical(es_crc32(charToRaw("123456789")), 3421780262) # 0xCBF43926
  expect_identical(es_crc32(charToRaw("123456789"), tables = TRUE), 3421780262)
  expect_identical(es_crc32(raw()), 0)
  set.seed(42)
  data <- as.raw(sample(0:255, 70000, replace = TRUE))
  for (n in c(0:300, 1000, 4095, 4096, 4097, 65536, 69999)) {
    x <- data[seq_len(n)]
    expect_identical(es_crc32(x), es_crc32(x, tables = TRUE), label = paste("length", n))
  }
  # A one-bit change anywhere in a long buffer changes the fast path's result.
  x <- data[1:5000]
  base <- es_crc32(x)
  for (i in c(1, 17, 64, 65, 2500, 4999, 5000)) {
    y <- x
    y[[i]] <- as.raw(bitwXor(as.integer(y[[i]]), 4L))
    expect_false(es_crc32(y) == base)
  }
})

test_that("tiny reads of a large frame decode to the same message", {
  payload <- as.raw(rep(0:255, 64))
  frame <- es_encode_message(lambda_headers, payload)
  dec <- es_decoder()
  early <- 0L
  for (i in seq_len(length(frame) - 1L)) early <- early + length(dec$feed(frame[i]))
  expect_identical(early, 0L)
  got <- dec$feed(frame[length(frame)])
  dec$finish()
  expect_identical(got[[1]]$payload, payload)
})

# The event-stream fixtures shared with pytest (tests/fixtures/eventstream in the
# repository, synced to data/eventstream).
es_fixture_dir <- function() test_data_path("eventstream")

es_read_fixture <- function(dir, name) {
  json <- jsonlite::fromJSON(file.path(dir, paste0(name, ".json")), simplifyVector = FALSE)
  bin <- file.path(dir, paste0(name, ".bin"))
  list(
    name = name,
    data = readBin(bin, "raw", file.size(bin)),
    expect = if (is.null(json$expect_r)) json$expect else json$expect_r
  )
}

es_hex_raw <- function(hex) {
  if (!nzchar(hex)) return(raw())
  as.raw(strtoi(substring(hex, seq(1, nchar(hex), 2), seq(2, nchar(hex), 2)), 16L))
}

# Compare one decoded R message with a fixture message, type by type.
es_expect_message <- function(got, want, label) {
  expect_named(got, c("headers", "payload"))
  names_want <- vapply(want$headers, function(h) h$name, character(1))
  expect_identical(names(got$headers), names_want, label = label)
  for (h in want$headers) {
    value <- got$headers[[h$name]]
    lab <- paste(label, h$name)
    switch(h$type,
      bool = expect_identical(value, h$value, label = lab),
      byte = ,
      short = ,
      integer = expect_identical(value, as.integer(h$value), label = lab),
      long = expect_identical(value, as.numeric(h$value), label = lab),
      bytes = expect_identical(value, es_hex_raw(h$value), label = lab),
      string = ,
      uuid = expect_identical(value, h$value, label = lab),
      unreadable = {
        expect_s3_class(value, "es_unreadable")
        expect_identical(value$type, h$value$type, label = lab)
        expect_identical(value$raw, es_hex_raw(h$value$raw), label = lab)
      },
      timestamp = {
        expect_s3_class(value, "POSIXct")
        expect_identical(attr(value, "tzone"), "UTC", label = lab)
        expect_identical(round(as.numeric(value) * 1000), as.numeric(h$value), label = lab)
      },
      stop("unknown fixture type ", h$type)
    )
  }
  if (!is.null(want$payload_hex)) {
    expect_identical(got$payload, es_hex_raw(want$payload_hex), label = label)
  } else {
    expect_length(got$payload, want$payload_length)
    expect_identical(
      digest::digest(got$payload, algo = "sha256", serialize = FALSE),
      want$payload_sha256
    )
  }
}

# A frame of a given header block with correct CRCs (for invalid frames).
es_raw_frame <- function(block = raw(), payload = raw(), total = NULL, headers_len = NULL) {
  total <- total %||% (16 + length(block) + length(payload))
  headers_len <- headers_len %||% length(block)
  prelude <- c(es_u32(total), es_u32(headers_len))
  prelude <- c(prelude, es_u32(es_crc32(prelude)))
  body <- c(prelude, block, payload)
  c(body, es_u32(es_crc32(body)))
}

es_catch <- function(expr) tryCatch(expr, EventStreamError = function(e) e)

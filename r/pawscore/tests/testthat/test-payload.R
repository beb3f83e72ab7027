# payload_raw/text/json and text_decoder(): the same answers as Python's
# pawscore.payload helpers on the same events.

chunk <- function(bytes) list(PayloadChunk = list(Payload = bytes))
split_events <- list(
  chunk(as.raw(c(0x63, 0x61, 0x66, 0xc3))),       # "caf" + first byte of "é"
  chunk(as.raw(c(0xa9, 0x20, 0xe2, 0x82))),       # rest of "é", " ", 2/3 of "€"
  chunk(as.raw(c(0xac, 0x20, 0xf0, 0x9f))),       # rest of "€", " ", half of an emoji
  chunk(as.raw(c(0x98, 0x80, 0x21))),             # rest of the emoji, "!"
  list(InvokeComplete = list())
)
resp <- list(StatusCode = 200L, EventStream = split_events, ResponseStreamContentType = "x")

test_that("payload_raw joins every blob member in arrival order", {
  expect_identical(
    payload_raw(resp),
    as.raw(c(0x63, 0x61, 0x66, 0xc3, 0xa9, 0x20, 0xe2, 0x82, 0xac, 0x20, 0xf0, 0x9f, 0x98, 0x80, 0x21))
  )
  expect_identical(payload_raw(resp), payload_raw(resp$EventStream))
  expect_identical(payload_raw(list()), raw(0))
  bedrock <- list(list(chunk = list(bytes = charToRaw("a"))), list(chunk = list(bytes = charToRaw("b"))))
  expect_identical(payload_raw(bedrock), charToRaw("ab"))
})

test_that("payload_text keeps characters cut between events whole", {
  text <- payload_text(resp)
  expect_identical(Encoding(text), "UTF-8")
  expect_identical(text, "caf\u00e9 \u20ac \U0001F600!")
})

test_that("payload_json parses the joined text", {
  evs <- list(chunk(charToRaw('{"answer": ')), chunk(charToRaw('42, "items": [1, 2]}')))
  expect_identical(payload_json(evs), list(answer = 42L, items = list(1L, 2L)))
  expect_error(payload_json(split_events), class = "paws_response_error", regexp = "not JSON")
})

test_that("bad bytes are typed errors, and the raw payload is still there", {
  latin1 <- list(chunk(as.raw(c(0x6f, 0x6b, 0x20, 0xff))))
  expect_error(payload_text(latin1), class = "paws_response_error", regexp = "not valid UTF-8")
  expect_identical(payload_raw(latin1), as.raw(c(0x6f, 0x6b, 0x20, 0xff)))
  nul <- list(chunk(as.raw(c(0x61, 0x00, 0x62))))
  expect_error(payload_text(nul), class = "paws_response_error", regexp = "NUL")
})

test_that("a response with no single event stream is a usage error", {
  expect_error(payload_raw(list(A = list(), B = list())), class = "paws_usage_error")
  expect_error(payload_raw("text"), class = "paws_usage_error")
})

test_that("text_decoder gives whole characters as pieces arrive", {
  decode <- text_decoder()
  got <- vapply(split_events[1:4], function(e) decode(e$PayloadChunk$Payload), "")
  expect_identical(got, c("caf", "\u00e9 ", "\u20ac ", "\U0001F600!"))
  expect_identical(decode(final = TRUE), "")
  cut <- text_decoder()
  expect_identical(cut(as.raw(c(0x61, 0xe2, 0x82))), "a")
  expect_error(cut(final = TRUE), class = "paws_response_error")
})

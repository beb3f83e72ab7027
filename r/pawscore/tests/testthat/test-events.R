# Events built in C (src/events.c) must equal those message_to_event() builds.

events_api <- function() {
  blob <- list(type = "blob")
  list(
    shapes = list(
      Blob = blob,
      Str = list(type = "string"),
      Int = list(type = "integer"),
      Stream = list(type = "structure", event_stream = TRUE, members = list(
        Chunk = list(shape = "Chunk"),
        Tagged = list(shape = "Tagged"),
        Done = list(shape = "Done"),
        Text = list(shape = "Text")
      )),
      Chunk = list(type = "structure", event = TRUE, members = list(
        Payload = list(shape = "Blob", event_payload = TRUE)
      )),
      Tagged = list(type = "structure", event = TRUE, members = list(
        Seq = list(shape = "Int", event_header = TRUE),
        Data = list(shape = "Blob", event_payload = TRUE),
        Tag = list(shape = "Str", event_header = TRUE, location_name = "tag")
      )),
      Done = list(type = "structure", event = TRUE, members = list(
        Note = list(shape = "Str")
      )),
      Text = list(type = "structure", event = TRUE, members = list(
        Body = list(shape = "Str", event_payload = TRUE)
      ))
    )
  )
}

frames <- function() {
  ev <- function(type, ..., payload = raw()) {
    es_encode_message(c(list(":message-type" = "event", ":event-type" = type), list(...)), payload)
  }
  c(
    ev("Chunk", payload = as.raw(0:9)),
    ev("Chunk"),
    es_encode_message(list(":event-type" = "Chunk"), as.raw(1:3)),
    ev("Tagged", Seq = 7L, tag = "t1", payload = charToRaw("abc")),
    ev("Tagged", tag = "only-tag", payload = as.raw(255)),
    ev("Tagged", Seq = 1L),
    ev("Done", payload = charToRaw('{"Note": "fine"}')),
    ev("Text", payload = charToRaw("h\u00e9")),
    ev("Unknown", payload = as.raw(1)),
    es_encode_message(list(":message-type" = "other", ":event-type" = "Chunk"), as.raw(4)),
    es_encode_message(list(), as.raw(5)),
    ev("Chunk", payload = as.raw(42))
  )
}

test_that("the plan takes only events made of a blob payload and headers", {
  api <- events_api()
  plan <- event_plan(api, api$shapes$Stream)
  expect_identical(plan$types, c("Chunk", "Tagged"))
  expect_identical(plan$members, list("Payload", c("Seq", "Data", "Tag")))
  expect_identical(plan$sources, list(NA_character_, c("Seq", NA, "tag")))
})

test_that("a kept plan is only reused for the same API and stream shape", {
  api <- events_api()
  first <- event_plan(api, api$shapes$Stream)
  expect_identical(event_plan(api, api$shapes$Stream), first)
  # Another API with the same stream shape: Tag is now a payload-less string
  # member, so Tagged leaves the plan.
  other <- api
  other$shapes$Tagged$members$Tag <- list(shape = "Str")
  expect_identical(event_plan(other, other$shapes$Stream)$types, "Chunk")
  # Another stream shape of the same API.
  stream <- api$shapes$Stream
  stream$members$Chunk <- NULL
  expect_identical(event_plan(api, stream)$types, "Tagged")
  expect_identical(event_plan(api, api$shapes$Stream), first)
  for (i in 1:6) event_plan(api, list(type = "structure", members = list()))
  expect_length(event_plans$entries, event_plans_kept)
  expect_identical(event_plan(api, api$shapes$Stream), first)
})

test_that("events built in C are identical to message_to_event()'s", {
  api <- events_api()
  stream <- api$shapes$Stream
  messages <- es_decode(frames())
  built <- messages_to_events(messages, event_plan(api, stream))
  expect_length(built$events, length(messages))
  fast <- setdiff(seq_along(messages), built$slow)
  expect_identical(fast, c(1:6, 10L, 12L))
  expect_identical(built$slow, c(7:9, 11L))
  for (i in fast) {
    expect_identical(built$events[[i]], message_to_event(api, stream, messages[[i]]), label = i)
  }
  for (i in built$slow) expect_null(built$events[[i]])
})

test_that("exceptions and errors are left to message_to_event()", {
  api <- events_api()
  stream <- api$shapes$Stream
  messages <- es_decode(c(
    es_encode_message(
      list(":message-type" = "exception", ":exception-type" = "Chunk"), charToRaw("{}")
    ),
    es_encode_message(
      list(":message-type" = "error", ":error-code" = "E", ":event-type" = "Chunk"), raw()
    )
  ))
  built <- messages_to_events(messages, event_plan(api, stream))
  expect_identical(built$slow, 1:2)
})

test_that("a header value R cannot hold is left to R, which raises HeaderValueOutOfRange", {
  api <- events_api()
  stream <- api$shapes$Stream
  block <- c(
    es_encode_header(":event-type", "Tagged"),
    as.raw(3), charToRaw("Seq"), as.raw(5), as.raw(c(0x10, 0, 0, 0, 0, 0, 0, 1))
  )
  payload <- charToRaw("x")
  prelude <- c(es_u32(12 + length(block) + length(payload) + 4), es_u32(length(block)))
  prelude <- c(prelude, es_u32(es_crc32(prelude)))
  body <- c(prelude, block, payload)
  messages <- es_decode(c(body, es_u32(es_crc32(body))))
  expect_s3_class(messages[[1]]$headers$Seq, "es_unreadable")
  built <- messages_to_events(messages, event_plan(api, stream))
  expect_identical(built$slow, 1L)
  expect_error(message_to_event(api, stream, messages[[1]]), class = "HeaderValueOutOfRange")
})

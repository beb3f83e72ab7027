# Many events in one read: curl's reads of one pass reach the sink together,
# their events are built in the decoding .Call and .on_event runs from C. The
# recorded answers here are made with es_encode_message() and replayed through
# the transport seam (option pawscore.replay), each chunk as one curl pass.

chunk_frame <- function(i) {
  es_encode_message(
    list(":event-type" = "PayloadChunk", ":content-type" = "application/octet-stream",
         ":message-type" = "event"),
    charToRaw(sprintf("chunk %d;", i))
  )
}
exception_frame <- function() {
  es_encode_message(
    list(":exception-type" = "ServiceException", ":content-type" = "application/json",
         ":message-type" = "exception"),
    '{"message": "it broke"}'
  )
}

chunk_text <- function(events) {
  chunks <- Filter(function(e) !is.null(e$PayloadChunk), events)
  paste(vapply(chunks, function(e) rawToChar(e$PayloadChunk$Payload), ""), collapse = "")
}

test_that("a read of many events, a partial frame, then an exception event", {
  frames <- lapply(1:40, chunk_frame)
  head <- do.call(c, frames[1:30])
  split <- frames[[31]]
  cut <- 20L
  rest <- c(split[seq_len(cut)])
  chunks <- list(
    c(head, rest),
    c(split[-seq_len(cut)], do.call(c, frames[32:40]), exception_frame(), complete_frame())
  )
  local_body(chunks)
  seen <- character()
  err <- tryCatch(
    batch_invoke(on_event = function(e) {
      seen <<- c(seen, rawToChar(e$PayloadChunk$Payload))
      NULL
    }),
    error = function(e) e
  )
  expect_s3_class(err, c("ServiceException", "paws_service_error", "paws_error"))
  expect_match(conditionMessage(err), "it broke", fixed = TRUE)
  expect_identical(seen, sprintf("chunk %d;", 1:40))
  # The default mode raises the same error.
  err <- tryCatch(batch_invoke(), error = function(e) e)
  expect_s3_class(err, c("ServiceException", "paws_service_error"))
})

test_that("events C builds and events R builds keep their order within one read", {
  odd <- es_encode_message(list(":event-type" = "NotInTheModel", ":message-type" = "event"), "x")
  untyped <- es_encode_message(list(":message-type" = "event"), "y")
  body <- c(
    chunk_frame(1), chunk_frame(2), complete_frame(), odd, chunk_frame(3), untyped,
    complete_frame()
  )
  local_body(list(body))
  out <- batch_invoke()
  expect_identical(
    vapply(out$EventStream, names, ""),
    c("PayloadChunk", "PayloadChunk", "InvokeComplete", "PayloadChunk", "InvokeComplete")
  )
  expect_identical(chunk_text(out$EventStream), "chunk 1;chunk 2;chunk 3;")
  seen <- character()
  out <- batch_invoke(on_event = function(e) {
    seen <<- c(seen, names(e))
    length(seen)
  })
  expect_identical(seen, vapply(batch_invoke()$EventStream, names, ""))
  expect_identical(out$EventStream, as.list(1:5))
})

test_that("an error in .on_event in the middle of a read propagates as is", {
  local_body(list(c(do.call(c, lapply(1:20, chunk_frame)), complete_frame())))
  calls <- 0L
  err <- tryCatch(
    batch_invoke(on_event = function(e) {
      calls <<- calls + 1L
      if (calls == 7L) stop("callback failed at 7")
      NULL
    }),
    error = function(e) e
  )
  expect_identical(conditionMessage(err), "callback failed at 7")
  expect_false(inherits(err, "paws_error"))
  expect_identical(calls, 7L)
})

test_that("stop_stream() in the middle of a read keeps exactly the events before it", {
  frames <- c(lapply(1:30, chunk_frame), list(complete_frame()))
  local_body(list(do.call(c, frames[1:12]), do.call(c, frames[13:31])))
  for (at in c(5L, 12L, 13L, 20L)) {
    calls <- 0L
    out <- batch_invoke(on_event = function(e) {
      calls <<- calls + 1L
      if (calls == at) stop_stream(sprintf("stopped at %d", calls))
      calls
    })
    expect_identical(calls, at)
    expect_true(attr(out$EventStream, "stopped"))
    expect_identical(c(out$EventStream), c(as.list(seq_len(at - 1L)), sprintf("stopped at %d", at)))
  }
  # Without a value the stopping event's slot is NULL, and it still counts.
  out <- batch_invoke(on_event = function(e) if (identical(rawToChar(e$PayloadChunk$Payload), "chunk 3;")) stop_stream() else 1)
  expect_identical(c(out$EventStream), list(1, 1, NULL))
})

test_that("callbacks that keep nothing leave NULL slots, one per event", {
  local_body(list(c(do.call(c, lapply(1:9, chunk_frame)), complete_frame())))
  out <- batch_invoke(on_event = function(e) if (!is.null(e$InvokeComplete)) "done")
  expect_identical(out$EventStream, c(rep(list(NULL), 9), list("done")))
})

test_that("the decoder fed a pass of reads gives what one whole body gives", {
  frames <- c(lapply(1:50, chunk_frame), list(complete_frame(), exception_frame()))
  body <- do.call(c, frames)
  whole <- es_decode(body)
  set.seed(11)
  for (round in 1:20) {
    # Cut points anywhere: inside preludes, headers, payloads and CRCs; some
    # reads are one byte, some span several frames.
    cuts <- sort(unique(c(sample(length(body) - 1L, sample(2:60, 1)), 1L, 2L, 13L)))
    pieces <- Map(function(a, b) body[a:b], c(1L, cuts + 1L), c(cuts, length(body)))
    # The reads go in as passes of 1 to 6 reads each.
    dec <- es_decoder()
    got <- list()
    i <- 1L
    while (i <= length(pieces)) {
      take <- min(length(pieces), i + sample(0:5, 1))
      res <- dec$feed_events(pieces[i:take], NULL)
      got <- c(got, res$messages)
      i <- take + 1L
    }
    dec$finish()
    expect_identical(got, whole)
  }
})

test_that("a pass of reads with damage delivers the good events, then the error", {
  frames <- lapply(1:6, chunk_frame)
  bad <- frames[[4]]
  bad[length(bad)] <- xor(bad[length(bad)], as.raw(1))
  body <- c(do.call(c, frames[1:3]), bad, do.call(c, frames[5:6]))
  dec <- es_decoder()
  res <- dec$feed_events(list(body[1:50], body[51:length(body)]), NULL)
  expect_length(res$messages, 3L)
  expect_error(dec$finish(), class = "ChecksumMismatch")
  local_body(list(body[1:50], body[51:length(body)]))
  seen <- 0L
  err <- tryCatch(batch_invoke(on_event = function(e) seen <<- seen + 1L), error = function(e) e)
  expect_s3_class(err, c("ChecksumMismatch", "EventStreamError"))
  expect_identical(seen, 3L)
})

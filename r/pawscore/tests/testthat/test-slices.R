# Payloads of more than 512 bytes are windows on the read that brought them
# (src/slices.c), not copies. They must behave as plain raw vectors in every way
# R code can see. The bodies are replayed through the transport seam, each chunk
# as one read (local_body() and batch_invoke() in helper-replay.R).

big_frame <- function(i, size = 1024L) {
  es_encode_message(
    list(":event-type" = "PayloadChunk", ":content-type" = "application/octet-stream",
         ":message-type" = "event"),
    big_payload(i, size)
  )
}
big_payload <- function(i, size = 1024L) as.raw((seq_len(size) * 7L + i) %% 256L)
is_slice <- function(x) .Call(pawscore_slice_state, x)[[1]]
slices_made <- function() .Call(pawscore_slice_state, NULL)[[2]]
payloads <- function(out) {
  Filter(Negate(is.null), lapply(out$EventStream, function(e) e$PayloadChunk$Payload))
}

test_that("large payloads are slices that equal the bytes sent", {
  body <- c(do.call(c, lapply(1:6, big_frame)), complete_frame())
  chunks <- list(body)
  local_body(chunks)
  before <- slices_made()
  out <- batch_invoke()
  got <- payloads(out)
  expect_identical(slices_made() - before, 6)
  expect_true(all(vapply(got, is_slice, TRUE)))
  expect_identical(got, lapply(1:6, big_payload))
  for (i in 1:6) {
    p <- got[[i]]
    expect_type(p, "raw")
    expect_identical(length(p), 1024L)
    expect_identical(p[1:3], big_payload(i)[1:3])
    expect_identical(p[[1024]], big_payload(i)[[1024]])
    expect_identical(rev(p), rev(big_payload(i)))
    expect_identical(c(p, as.raw(1)), c(big_payload(i), as.raw(1)))
    expect_identical(rawToChar(p[p != as.raw(0)][1:5]), rawToChar(big_payload(i)[big_payload(i) != as.raw(0)][1:5]))
    expect_identical(digest::digest(p, algo = "sha256", serialize = FALSE),
                     digest::digest(big_payload(i), algo = "sha256", serialize = FALSE))
  }
  # The caller's chunks are never the reads the payloads look into.
  expect_identical(chunks, list(body))
})

test_that("a slice changed, serialized or written out behaves as a plain vector", {
  local_body(list(c(do.call(c, lapply(1:3, big_frame)), complete_frame())))
  out <- batch_invoke()
  got <- payloads(out)
  changed <- got[[2]]
  changed[1] <- as.raw(255)
  expect_false(is_slice(changed))
  expect_identical(changed[[1]], as.raw(255))
  expect_identical(changed[-1], big_payload(2)[-1])
  # Its neighbours in the same read, and the original, are untouched.
  expect_identical(payloads(out), lapply(1:3, big_payload))
  back <- unserialize(serialize(out$EventStream, NULL))
  expect_identical(back, out$EventStream)
  expect_false(is_slice(back[[1]]$PayloadChunk$Payload))
  path <- withr::local_tempfile()
  writeBin(got[[3]], path)
  expect_identical(readBin(path, "raw", 4096), big_payload(3))
  saveRDS(got[[1]], path)
  expect_identical(readRDS(path), big_payload(1))
})

test_that("a slice changed in place changes that payload alone", {
  local_body(list(c(do.call(c, lapply(1:3, big_frame)), complete_frame())))
  out <- batch_invoke()
  expect_true(is_slice(out$EventStream[[2]]$PayloadChunk$Payload))
  # Nothing else refers to these: R may write into the read itself.
  out$EventStream[[2]]$PayloadChunk$Payload[c(1, 1024)] <- as.raw(c(254, 255))
  want <- big_payload(2)
  want[c(1, 1024)] <- as.raw(c(254, 255))
  expect_identical(out$EventStream[[2]]$PayloadChunk$Payload, want)
  expect_identical(out$EventStream[[1]]$PayloadChunk$Payload, big_payload(1))
  expect_identical(out$EventStream[[3]]$PayloadChunk$Payload, big_payload(3))
})

test_that("small payloads and frames split between reads are copied", {
  small <- big_frame(1, 512L)
  split <- big_frame(2)
  cut <- 300L
  chunks <- list(c(small, split[seq_len(cut)]), c(split[-seq_len(cut)], big_frame(3), complete_frame()))
  local_body(chunks)
  out <- batch_invoke()
  got <- payloads(out)
  expect_identical(got, list(big_payload(1, 512L), big_payload(2), big_payload(3)))
  expect_identical(vapply(got, is_slice, TRUE), c(FALSE, FALSE, TRUE))
})

test_that("slices reach .on_event intact, and what a callback keeps stays intact", {
  chunks <- lapply(1:4, function(k) do.call(c, lapply((k - 1) * 5 + 1:5, big_frame)))
  chunks[[5]] <- complete_frame()
  local_body(chunks)
  kept <- list()
  seen <- 0L
  out <- batch_invoke(on_event = function(e) {
    p <- e$PayloadChunk$Payload
    if (is.null(p)) return(NULL)
    seen <<- seen + 1L
    expect_identical(p, big_payload(seen))
    if (seen %% 7L == 0L) kept[[length(kept) + 1L]] <<- p
    if (seen == 20L) p else NULL
  })
  gc()
  expect_identical(seen, 20L)
  expect_identical(kept, list(big_payload(7), big_payload(14)))
  expect_identical(out$EventStream[[20]], big_payload(20))
})

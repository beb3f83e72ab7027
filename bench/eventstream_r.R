# R side of the event-stream benchmark; run by bench/eventstream_py.py.
#
#   Rscript bench/eventstream_r.R <dir> <out.json>
#
# <dir> holds, for each case, <case>.bin (the stream), <case>.paws.bin (a shorter
# stream for the slow reference) and cases.json (case -> read size, frame count).
# Decodes each with pawscore's es_decoder() and with a re-implementation of the
# paws.common approach, and writes seconds and frame counts to <out.json>.

args <- commandArgs(trailingOnly = TRUE)
dir <- args[[1]]
out_file <- args[[2]]
repeats <- 5L

suppressPackageStartupMessages(library(pawscore))

read_chunks <- function(path, size) {
  data <- readBin(path, "raw", file.size(path))
  starts <- seq(1, length(data), by = size)
  lapply(starts, function(s) data[s:min(s + size - 1, length(data))])
}

# The reference: how paws.common decodes, written from its description. Pure
# R; the pending buffer is re-copied after every frame and both CRCs go
# through digest() (two calls per frame), headers parsed byte by byte in R.
paws_like_decode <- function(chunks) {
  buffer <- raw()
  messages <- list()
  as_u32 <- function(b) sum(as.numeric(b) * 256^(3:0))
  crc_hex <- function(b) {
    sub("^0+", "", digest::digest(b, algo = "crc32", serialize = FALSE))
  }
  stored_hex <- function(b) sub("^0+", "", paste(as.character(b), collapse = ""))
  for (chunk in chunks) {
    buffer <- c(buffer, chunk)
    repeat {
      if (length(buffer) < 12) break
      total <- as_u32(buffer[1:4])
      if (length(buffer) < total) break
      headers_len <- as_u32(buffer[5:8])
      if (crc_hex(buffer[1:8]) != stored_hex(buffer[9:12])) {
        stop("prelude CRC mismatch")
      }
      if (crc_hex(buffer[1:(total - 4)]) != stored_hex(buffer[(total - 3):total])) {
        stop("message CRC mismatch")
      }
      headers <- list()
      pos <- 13
      end <- 12 + headers_len
      while (pos <= end) {
        name_len <- as.integer(buffer[pos])
        name <- rawToChar(buffer[(pos + 1):(pos + name_len)])
        pos <- pos + name_len + 1
        type <- as.integer(buffer[pos])
        pos <- pos + 1
        if (type == 7L) {
          len <- as.integer(buffer[pos]) * 256L + as.integer(buffer[pos + 1])
          headers[[name]] <- if (len) rawToChar(buffer[(pos + 2):(pos + 1 + len)]) else ""
          pos <- pos + 2 + len
        } else {
          stop("header type not used by the benchmark: ", type)
        }
      }
      payload <- if (total - 4 > end) buffer[(end + 1):(total - 4)] else raw()
      messages[[length(messages) + 1L]] <- list(headers = headers, payload = payload)
      buffer <- buffer[-seq_len(total)]
    }
  }
  if (length(buffer)) stop("stream ended inside a frame")
  messages
}

pawscore_decode <- function(chunks) {
  dec <- es_decoder()
  count <- 0
  for (chunk in chunks) count <- count + length(dec$feed(chunk))
  dec$finish()
  count
}

# Seconds per call of fn(): the best of `times` rounds, each round long enough
# (>= 0.2 s, repeating fn) that the clock's millisecond steps do not matter.
best_time <- function(fn, times = repeats) {
  best <- Inf
  result <- NULL
  for (i in seq_len(times)) {
    gc()
    calls <- 0
    start <- proc.time()[["elapsed"]]
    repeat {
      result <- fn()
      calls <- calls + 1
      elapsed <- proc.time()[["elapsed"]] - start
      if (elapsed >= 0.2) break
    }
    best <- min(best, elapsed / calls)
  }
  list(seconds = best, result = result)
}

cases <- jsonlite::fromJSON(file.path(dir, "cases.json"), simplifyVector = FALSE)
results <- list()
for (name in names(cases)) {
  case <- cases[[name]]
  chunks <- read_chunks(file.path(dir, paste0(name, ".bin")), case$read_size)
  ours <- best_time(function() pawscore_decode(chunks))
  if (ours$result != case$frames) stop(name, ": pawscore decoded ", ours$result, " frames")
  paws_chunks <- read_chunks(file.path(dir, paste0(name, ".paws.bin")), case$read_size)
  paws <- best_time(function() length(paws_like_decode(paws_chunks)), times = 2L)
  if (paws$result != case$paws_frames) stop(name, ": paws-like decoded ", paws$result)
  results[[name]] <- list(
    pawscore_r = list(seconds = ours$seconds, frames = case$frames, bytes = case$bytes),
    paws_like_r = list(
      seconds = paws$seconds, frames = case$paws_frames, bytes = case$paws_bytes
    )
  )
}
jsonlite::write_json(results, out_file, auto_unbox = TRUE, digits = NA, pretty = TRUE)

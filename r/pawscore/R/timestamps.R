# Timestamp conversions between R values and the three AWS wire formats
# (mirrors python/pawscore/timestamps.py).

as_epoch <- function(value) as.numeric(value)

format_timestamp <- function(value, format) {
  secs <- as_epoch(value)
  switch(tolower(format),
    unixtimestamp = if (secs == trunc(secs)) format_whole(secs) else sprintf("%.3f", secs),
    rfc822 = http_date(secs),
    iso8601 = iso_date(secs),
    iso_date(secs)
  )
}

iso_date <- function(secs) {
  # Rounded to whole microseconds first, so a fraction that rounds up carries
  # into the seconds instead of printing as ".1.000000".
  micros <- round(secs * 1e6)
  whole <- floor(micros / 1e6)
  frac <- micros - whole * 1e6
  base <- format(as.POSIXct(whole, origin = "1970-01-01", tz = "UTC"), "%Y-%m-%dT%H:%M:%S")
  if (frac > 0) base <- paste0(base, sprintf(".%06.0f", frac))
  paste0(base, "Z")
}

http_date <- function(secs) {
  t <- as.POSIXlt(floor(secs), origin = "1970-01-01", tz = "UTC")
  days <- c("Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat")
  months <- c("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
  sprintf(
    "%s, %02d %s %04d %02d:%02d:%02d GMT", days[t$wday + 1], t$mday, months[t$mon + 1],
    t$year + 1900, t$hour, t$min, as.integer(t$sec)
  )
}

# Timestamps arrive as epoch seconds (number or numeric text), ISO 8601 with
# any offset, or an HTTP date.
parse_timestamp <- function(value) {
  secs <- if (is.numeric(value)) {
    as.numeric(value)
  } else if (grepl("^-?[0-9]+(\\.[0-9]+)?$", value)) {
    as.numeric(value)
  } else if (grepl("^[0-9]{4}-", value)) {
    parse_iso8601(value)
  } else {
    parse_http_date(value)
  }
  if (is.na(secs)) {
    stop(paws_condition("paws_response_error", sprintf("Unreadable timestamp: %s", value)))
  }
  as.POSIXct(secs, origin = "1970-01-01", tz = "UTC")
}

iso8601_re <- paste0(
  "^([0-9]{4}-[0-9]{2}-[0-9]{2})[T ]([0-9]{2}:[0-9]{2}:[0-9]{2})",
  "(\\.[0-9]+)?(Z|[+-][0-9]{2}:?[0-9]{2})?$"
)

parse_iso8601 <- function(text) {
  m <- regmatches(text, regexec(iso8601_re, text))[[1]]
  if (!length(m)) {
    return(NA_real_)
  }
  base <- as.numeric(as.POSIXct(paste(m[2], m[3]), format = "%Y-%m-%d %H:%M:%S", tz = "UTC"))
  frac <- if (nzchar(m[4])) as.numeric(paste0("0", m[4])) else 0
  offset <- 0
  if (nzchar(m[5]) && m[5] != "Z") {
    digits <- gsub(":", "", substring(m[5], 2))
    mins <- as.numeric(substr(digits, 1, 2)) * 60 + as.numeric(substr(digits, 3, 4))
    offset <- if (startsWith(m[5], "-")) -mins * 60 else mins * 60
  }
  base + frac - offset
}

parse_http_date <- function(text) {
  months <- c("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
  m <- regmatches(text, regexec(
    "^[A-Za-z]{3}, ([0-9]{1,2}) ([A-Za-z]{3}) ([0-9]{4}) ([0-9]{2}:[0-9]{2}:[0-9]{2}) GMT$", text
  ))[[1]]
  if (!length(m) || !m[3] %in% months) {
    return(NA_real_)
  }
  stamp <- sprintf("%s-%02d-%02d %s", m[4], match(m[3], months), as.integer(m[2]), m[5])
  as.numeric(as.POSIXct(stamp, format = "%Y-%m-%d %H:%M:%S", tz = "UTC"))
}

# The rest-json protocol: serialize params into an HTTP request and parse HTTP
# responses (and errors) into the DESIGN.md type table.

# Build the request for `operation`; `params` are validated, NULL-free.
# Returns list(method, url, headers = named character, body = raw).
build_request <- function(api, operation, params, endpoint) {
  op <- api$operations[[operation]]
  shape <- if (is.null(op$input)) list(members = list()) else api$shapes[[op$input]]
  params <- drop_nulls(params %||% list())
  labels <- list()
  query <- list()
  headers <- character()
  header_issues <- character()
  body_params <- list()
  for (name in names(params)) {
    ref <- shape$members[[name]]
    member <- api$shapes[[ref$shape]]
    value <- params[[name]]
    key <- ref$location_name %||% name
    location <- ref[["location"]] %||% "body"
    if (location == "uri") {
      labels[[key]] <- scalar_to_string(member, value, ref$timestamp_format %||% "iso8601")
    } else if (location == "querystring") {
      # Later keys replace earlier ones in place, as botocore's dict update does.
      pairs <- query_pairs(api, member, ref, key, value)
      for (k in names(pairs)) query[[k]] <- pairs[[k]]
    } else if (location == "header") {
      if (member$type == "list" && !length(value)) next
      # UTF-8, the bytes the signer hashes: curl sends a string's bytes as they are.
      headers[[key]] <- enc2utf8(header_value(api, member, ref, value))
      header_issues <- c(header_issues, header_problems(name, key, headers[[key]]))
    } else if (location == "headers") {
      for (suffix in names(value)) {
        header <- paste0(key, suffix)
        headers[[header]] <- enc2utf8(as.character(value[[suffix]]))
        header_issues <- c(header_issues, header_problems(
          sprintf("%s[%s]", name, encodeString(suffix, quote = "'")), header, headers[[header]]
        ))
      }
    } else if (location == "body") {
      body_params[[name]] <- value
    }
  }
  # Checked here, not by validate_params(): only the wire text shows what HTTP
  # cannot carry (as in Python).
  if (length(header_issues)) stop(param_error(header_issues))
  uri <- render_uri(op$request_uri, labels)
  url <- paste0(add_host_prefix(endpoint, op$host_prefix, shape, params), uri)
  query <- query[lengths(query) > 0]
  if (length(query)) {
    keys <- rep(names(query), lengths(query))
    encoded <- paste0(
      vapply(keys, aws_escape, ""), "=",
      vapply(unlist(query, use.names = FALSE), aws_escape, ""),
      collapse = "&"
    )
    url <- paste0(url, if (grepl("?", uri, fixed = TRUE)) "&" else "?", encoded)
  }
  body <- request_body(api, shape, params, body_params)
  if (length(body$bytes) && !is.null(body$content_type) &&
    !"content-type" %in% tolower(names(headers))) {
    headers[["Content-Type"]] <- body$content_type
  }
  list(method = op$http_method, url = url, headers = headers, body = body$bytes)
}

# What stops `text` from being sent as header `header`, never echoing the value:
# a name outside HTTP's token characters; a value holding a line break (a CR or
# LF would end the header, or the request, and let the rest inject new ones),
# another control character, or a character outside Latin-1. The same rule as
# the Python runtime, which http.client would enforce anyway.
header_problems <- function(member, header, text) {
  if (!grepl("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$", header)) {
    return(sprintf("%s: %s is not a valid HTTP header name", member, encodeString(header, quote = "'")))
  }
  points <- utf8ToInt(text)
  if (anyNA(points) || any(points <= 8L | (points >= 10L & points <= 31L) | points == 127L |
    points > 255L)) {
    return(paste0(
      member, ": the value holds a line break, a control character or a character ",
      "outside Latin-1, which an HTTP header cannot carry"
    ))
  }
  character()
}

# The operation's host prefix (endpoint trait), its {labels} filled from
# host_label members; a value that is not a DNS label is refused.
add_host_prefix <- function(endpoint, prefix, shape, params) {
  if (is.null(prefix) || !nzchar(prefix)) {
    return(endpoint)
  }
  for (name in names(shape$members)) {
    if (!isTRUE(shape$members[[name]]$host_label)) next
    value <- params[[name]]
    if (!is.character(value) || !grepl(host_label_re, value)) {
      stop(param_error(sprintf("%s: must be a valid DNS label", name)))
    }
    prefix <- gsub(paste0("{", name, "}"), value, prefix, fixed = TRUE)
  }
  sub("://", paste0("://", prefix), endpoint, fixed = TRUE)
}

host_label_re <- "^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$"

# Members marked idempotency_token get a fresh UUID (v4) when not given.
fill_idempotency_tokens <- function(api, shape_name, params) {
  if (is.null(shape_name)) {
    return(params)
  }
  members <- api$shapes[[shape_name]]$members
  for (name in names(members)) {
    if (isTRUE(members[[name]]$idempotency_token) && is.null(params[[name]])) {
      params[[name]] <- uuid4()
    }
  }
  params
}

uuid4 <- function() {
  bytes <- random_bytes(16L)
  bytes[7] <- (bytes[7] & as.raw(0x0f)) | as.raw(0x40)
  bytes[9] <- (bytes[9] & as.raw(0x3f)) | as.raw(0x80)
  hex <- paste(as.character(bytes), collapse = "")
  paste(substring(hex, c(1, 9, 13, 17, 21), c(8, 12, 16, 20, 32)), collapse = "-")
}

# Random bytes that neither come from nor disturb the caller's RNG stream: with
# set.seed() before each call, sample.int() gave every call the same "unique"
# token, and the service takes a repeated token for a retry of the old request.
random_bytes <- function(n, source = "/dev/urandom") {
  if (file.exists(source)) {
    con <- file(source, "rb", raw = TRUE)
    on.exit(close(con))
    bytes <- readBin(con, "raw", n)
    if (length(bytes) == n) {
      return(bytes)
    }
  }
  # Elsewhere: unique per process, call and instant.
  token_state$count <- (token_state$count %||% 0) + 1
  seed <- paste(format(Sys.time(), "%Y%m%d%H%M%OS6"), Sys.getpid(), token_state$count, tempfile())
  utils::head(digest::digest(seed, algo = "sha256", serialize = FALSE, raw = TRUE), n)
}

token_state <- new.env(parent = emptyenv())

render_uri <- function(template, labels) {
  problems <- unlist(lapply(names(labels), function(name) {
    dot_segment_problems(name, labels[[name]], grepl(paste0("{", name, "+}"), template, fixed = TRUE))
  }))
  if (length(problems)) stop(param_error(problems))
  for (name in names(labels)) {
    greedy <- paste0("{", name, "+}")
    if (grepl(greedy, template, fixed = TRUE)) {
      value <- paste(vapply(strsplit(labels[[name]], "/", fixed = TRUE)[[1]], aws_escape, ""),
        collapse = "/"
      )
      if (endsWith(labels[[name]], "/")) value <- paste0(value, "/")
      template <- sub(greedy, value, template, fixed = TRUE)
    } else {
      template <- sub(paste0("{", name, "}"), aws_escape(labels[[name]]), template, fixed = TRUE)
    }
  }
  template
}

# A label that is a "." or ".." path segment is refused: libcurl (and urllib3)
# remove dot segments, and the signer normalizes the path the same way, so the
# request would go, validly signed, to another operation's path
# (StatementId = ".." turns RemovePermission into DeleteFunction). A greedy
# label is split on "/" first. Same rule and wording as the Python runtime.
dot_segment_problems <- function(name, text, greedy) {
  segments <- if (greedy) strsplit(text, "/", fixed = TRUE)[[1]] else text
  if (!any(segments %in% c(".", ".."))) {
    return(character())
  }
  what <- if (greedy) "a path segment" else "the value"
  sprintf("%s: %s '.' or '..' would move the request to another path", name, what)
}

# Query values of one member: a named list of key -> character vector.
query_pairs <- function(api, member, ref, key, value) {
  fmt <- ref$timestamp_format %||% "iso8601"
  as_strings <- function(shape, values) {
    vapply(as.list(values), function(v) scalar_to_string(shape, v, fmt), "", USE.NAMES = FALSE)
  }
  if (member$type == "map") {
    value_shape <- api$shapes[[member$value$shape]]
    out <- list()
    for (k in names(value)) {
      out[[k]] <- if (value_shape$type == "list") {
        as_strings(api$shapes[[value_shape$member$shape]], value[[k]])
      } else {
        as_strings(value_shape, list(value[[k]]))
      }
    }
    return(out)
  }
  if (member$type == "list") {
    return(stats::setNames(list(as_strings(api$shapes[[member$member$shape]], value)), key))
  }
  stats::setNames(list(as_strings(member, list(value))), key)
}

header_value <- function(api, member, ref, value) {
  if (isTRUE(ref$jsonvalue)) {
    return(b64_encode(charToRaw(to_json(value))))
  }
  if (member$type == "list") {
    item_shape <- api$shapes[[member$member$shape]]
    items <- vapply(as.list(value), function(v) {
      text <- scalar_to_string(item_shape, v, ref$timestamp_format %||% "rfc822")
      if (item_shape$type == "string" && grepl("[\",]", text)) {
        text <- paste0('"', gsub('"', '\\"', text, fixed = TRUE), '"')
      }
      text
    }, "")
    return(paste(items, collapse = ", "))
  }
  scalar_to_string(member, value, ref$timestamp_format %||% member$timestamp_format %||% "rfc822")
}

# Text form of a scalar for URIs, query strings and headers.
scalar_to_string <- function(shape, value, timestamp_format = "iso8601") {
  switch(shape$type,
    boolean = if (isTRUE(value)) "true" else "false",
    timestamp = format_timestamp(value, shape$timestamp_format %||% timestamp_format),
    integer = ,
    long = if (is.character(value)) value else format_whole(value),
    float = ,
    double = format_double(value),
    blob = if (is.raw(value)) b64_encode(value) else as.character(value),
    as.character(value)
  )
}

format_whole <- function(x) sprintf("%.0f", as.numeric(x))

format_double <- function(x) {
  if (is.character(x)) {
    return(x)
  }
  if (is.nan(x) || is.na(x)) {
    return("NaN")
  }
  if (is.infinite(x)) {
    return(if (x > 0) "Infinity" else "-Infinity")
  }
  text <- format(x, digits = 15)
  if (as.numeric(text) != x) text <- format(x, digits = 17)
  text
}

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

# Body bytes and their content type: a payload member is the body itself, other
# body members become one JSON object (the same rules as the Python runtime).
request_body <- function(api, shape, params, body_params) {
  payload <- shape$payload
  none <- list(bytes = raw(), content_type = NULL)
  if (!is.null(payload)) {
    member <- api$shapes[[shape$members[[payload]]$shape]]
    value <- params[[payload]]
    if (member$type %in% c("blob", "string")) {
      if (is.null(value)) {
        return(none)
      }
      bytes <- if (is.raw(value)) value else charToRaw(enc2utf8(value))
      type <- if (member$type == "blob") "application/octet-stream" else "text/plain"
      return(list(bytes = bytes, content_type = type))
    }
    if (is.null(value)) {
      if (isTRUE(member$union)) {
        return(none)
      }
      return(list(bytes = charToRaw("{}"), content_type = "application/json"))
    }
    json <- to_json(json_value(api, member, value))
    return(list(bytes = charToRaw(json), content_type = "application/json"))
  }
  if (length(body_params)) {
    json <- to_json(json_value(api, shape, body_params))
    return(list(bytes = charToRaw(json), content_type = "application/json"))
  }
  if (any(vapply(shape$members, function(m) is.null(m[["location"]]), logical(1)))) {
    return(list(bytes = charToRaw("{}"), content_type = "application/json"))
  }
  none
}

# An R value shaped for jsonlite: structures and maps become named lists,
# lists unnamed lists, timestamps epoch seconds, blobs base64.
json_value <- function(api, shape, value, timestamp_format = NULL) {
  switch(shape$type,
    structure = {
      if (isTRUE(shape$document)) {
        return(value)
      }
      out <- empty_object()
      for (name in names(value)) {
        ref <- shape$members[[name]]
        if (is.null(value[[name]])) next
        out[[ref$location_name %||% name]] <- json_value(
          api, api$shapes[[ref$shape]], value[[name]], ref$timestamp_format
        )
      }
      out
    },
    list = {
      item <- api$shapes[[shape$member$shape]]
      lapply(unname(as.list(value)), function(v) json_value(api, item, v, timestamp_format))
    },
    map = {
      item <- api$shapes[[shape$value$shape]]
      out <- empty_object()
      for (key in names(value)) out[[key]] <- json_value(api, item, value[[key]], timestamp_format)
      out
    },
    timestamp = {
      fmt <- timestamp_format %||% shape$timestamp_format %||% "unixTimestamp"
      if (tolower(fmt) == "unixtimestamp") {
        secs <- as_epoch(value)
        if (secs == trunc(secs)) json_number(format_whole(secs)) else round(secs, 3)
      } else {
        format_timestamp(value, fmt)
      }
    },
    blob = b64_encode(if (is.raw(value)) value else charToRaw(enc2utf8(value))),
    integer = ,
    long = if (is.character(value)) value else json_number(format_whole(value)),
    float = ,
    double = if (is.character(value) || !is.finite(value)) format_double(value) else value,
    boolean = isTRUE(value),
    value
  )
}

empty_object <- function() structure(list(), names = character())

json_number <- function(text) structure(text, class = "json")

to_json <- function(x) {
  json <- jsonlite::toJSON(x, auto_unbox = TRUE, digits = NA, null = "null", json_verbatim = TRUE)
  as.character(json)
}

# ---- responses --------------------------------------------------------------

# Parse a successful response into the output structure (present members only,
# model order). `headers` is a named character vector (names any case).
parse_response <- function(api, operation, status, headers, body) {
  op <- api$operations[[operation]]
  if (is.null(op$output)) {
    return(empty_object())
  }
  parse_http_structure(api, api$shapes[[op$output]], status, headers, body)
}

parse_http_structure <- function(api, shape, status, headers, body) {
  names(headers) <- tolower(names(headers))
  payload <- shape$payload
  json_body <- NULL
  if (is.null(payload) || !shape$members[[payload]]$shape %in% names(api$shapes) ||
    !api$shapes[[shape$members[[payload]]$shape]]$type %in% c("blob", "string")) {
    json_body <- parse_json_body(body)
  }
  out <- empty_object()
  for (name in names(shape$members)) {
    ref <- shape$members[[name]]
    member <- api$shapes[[ref$shape]]
    key <- ref$location_name %||% name
    location <- ref[["location"]] %||% "body"
    value <- NULL
    if (location == "statusCode") {
      value <- as.integer(status)
    } else if (location == "header") {
      raw_value <- headers[tolower(key)]
      if (!is.na(raw_value)) value <- parse_header_value(api, member, ref, unname(raw_value))
    } else if (location == "headers") {
      prefix <- tolower(key)
      hits <- startsWith(names(headers), prefix)
      if (any(hits)) {
        value <- as.list(unname(headers[hits]))
        names(value) <- substring(names(headers)[hits], nchar(prefix) + 1)
      }
    } else if (identical(name, payload)) {
      if (isTRUE(member$event_stream)) next
      if (member$type == "blob") {
        value <- body
      } else if (member$type == "string") {
        value <- raw_to_text(body)
      } else if (!is.null(json_body)) {
        value <- parse_json_value(api, member, json_body, ref)
      }
    } else if (is.null(payload) && is.list(json_body) && !is.null(json_get(json_body, key))) {
      value <- parse_json_value(api, member, json_get(json_body, key), ref)
    }
    if (!is.null(value)) out[[name]] <- value
  }
  out
}

# Parse a JSON body by the rules both runtimes share (Python: load_json): `empty`
# for an empty body (JSON null gives NULL); strict UTF-8, no byte-order mark, no comments, nesting at
# most `max_json_depth` deep, and no text R cannot hold (a \u0000 escape, an
# unpaired surrogate). Anything else is a paws_response_error.
parse_json_body <- function(body, empty = NULL) {
  if (!length(body)) {
    return(empty)
  }
  problem <- if (any(body == as.raw(0))) "it holds a NUL byte"
  text <- if (is.null(problem)) raw_to_text(body) else ""
  if (is.null(problem) && !validUTF8(text)) problem <- "it is not UTF-8"
  if (is.null(problem) && !nzchar(trimws(text))) {
    return(empty)
  }
  problem <- problem %||% json_text_problem(text)
  value <- if (is.null(problem)) {
    tryCatch(
      jsonlite::parse_json(text, simplifyVector = FALSE, bigint_as_char = TRUE),
      error = function(e) {
        problem <<- conditionMessage(e)
        NULL
      }
    )
  }
  if (!is.null(problem)) {
    stop(paws_condition(
      "paws_response_error", sprintf("Response body is not valid JSON: %s", problem)
    ))
  }
  value
}

# Deeper JSON is refused before parsing: jsonlite overflows R's protect stack
# and Python's parser its recursion limit, so only an explicit bound gives both
# runtimes the same answer on the same bytes.
max_json_depth <- 500
json_escape_re <- "(?s)\\\\(?:u[0-9a-fA-F]{4}|.)"
json_string_re <- '(?s)"[^"\\\\]*(?:\\\\.[^"\\\\]*)*"'

# What jsonlite reads differently from Python's parser, refused in both; NULL
# when the text may be parsed.
json_text_problem <- function(text) {
  if (startsWith(text, "\ufeff")) {
    return("it starts with a byte-order mark")
  }
  if (grepl("[\v\f]", text)) {
    # jsonlite (yajl) takes these for white space; JSON and Python do not.
    return("it holds a vertical tab or form feed")
  }
  if (grepl("\\", text, fixed = TRUE)) {
    escapes <- regmatches(text, gregexpr(json_escape_re, text, perl = TRUE))[[1]]
    codes <- ifelse(startsWith(escapes, "\\u") & nchar(escapes) == 6L,
      strtoi(substring(escapes, 3L), 16L), -1L
    )
    if (any(codes == 0L)) {
      return("it holds a NUL character")
    }
    if (surrogates_unpaired(text, codes)) {
      return("it holds an unpaired surrogate escape")
    }
  }
  opens <- nchar(gsub("[^[{]", "", text))
  slash <- grepl("/", text, fixed = TRUE)
  if (opens <= max_json_depth && !slash) {
    return(NULL)
  }
  outside <- gsub(json_string_re, "", text, perl = TRUE)
  if (grepl("/", outside, fixed = TRUE)) {
    return("it holds a comment or a stray '/'")
  }
  brackets <- charToRaw(gsub("[^][{}]", "", outside))
  depth <- cumsum(2L * (brackets == as.raw(0x5b) | brackets == as.raw(0x7b)) - 1L)
  if (length(depth) && max(depth) > max_json_depth) {
    return(sprintf("it is nested more than %d levels deep", max_json_depth))
  }
  NULL
}

# TRUE when a high-surrogate escape is not directly followed by a low one, or
# a low one does not directly follow a high one. `codes` are the code points
# of the text's escapes in order (-1 for escapes other than \uXXXX).
surrogates_unpaired <- function(text, codes) {
  high <- codes >= 0xD800L & codes <= 0xDBFFL
  low <- codes >= 0xDC00L & codes <= 0xDFFFL
  if (!any(high | low)) {
    return(FALSE)
  }
  where <- gregexpr(json_escape_re, text, perl = TRUE)[[1]]
  ends <- as.integer(where) + attr(where, "match.length")
  n <- length(codes)
  next_low <- c(low[-1L], FALSE)
  adjacent <- c(as.integer(where)[-1L] == ends[-n], FALSE)
  paired_high <- high & next_low & adjacent
  paired_low <- low & c(FALSE, paired_high[-n])
  any(high & !paired_high) || any(low & !paired_low)
}

# JSON objects parse to named lists (`{}` to a list with empty names); arrays
# to unnamed lists.
is_json_object <- function(x) is.list(x) && !is.null(names(x))

json_kind <- function(x) {
  if (is.null(x)) {
    "null"
  } else if (is_json_object(x)) {
    "object"
  } else if (is.list(x)) {
    "array"
  } else if (is.character(x)) {
    "string"
  } else if (is.logical(x)) {
    "boolean"
  } else {
    "number"
  }
}

# A member of a parsed JSON object; with a repeated key the last one wins, as
# in Python and botocore.
json_get <- function(obj, key) {
  hits <- which(names(obj) == key)
  if (length(hits)) obj[[hits[[length(hits)]]]] else NULL
}

raw_to_text <- function(x) {
  text <- rawToChar(x)
  Encoding(text) <- "UTF-8"
  text
}

# Convert one parsed JSON value by its shape (DESIGN.md type table).
parse_json_value <- function(api, shape, value, ref = list()) {
  if (is.null(value)) {
    return(NULL)
  }
  switch(shape$type,
    structure = {
      if (isTRUE(shape$document)) {
        return(value)
      }
      if (!is_json_object(value)) {
        # Plain errors: the caller names what was being read (as_response_error).
        stop(sprintf("expected a JSON object, got JSON %s", json_kind(value)), call. = FALSE)
      }
      out <- empty_object()
      for (name in names(shape$members)) {
        mref <- shape$members[[name]]
        v <- json_get(value, mref$location_name %||% name)
        if (is.null(v)) next
        parsed <- parse_json_value(api, api$shapes[[mref$shape]], v, mref)
        if (!is.null(parsed)) out[[name]] <- parsed
      }
      out
    },
    list = {
      item <- api$shapes[[shape$member$shape]]
      out <- lapply(value, function(v) parse_json_value(api, item, v))
      out[!vapply(out, is.null, logical(1))]
    },
    map = {
      item <- api$shapes[[shape$value$shape]]
      out <- empty_object()
      for (key in names(value)) {
        parsed <- parse_json_value(api, item, value[[key]])
        if (!is.null(parsed)) out[[key]] <- parsed
      }
      out
    },
    string = parse_string(value),
    integer = parse_integer(value),
    long = parse_long(value),
    float = ,
    double = parse_double(value),
    boolean = as.logical(value),
    timestamp = parse_timestamp(value),
    blob = jsonlite::base64_dec(value),
    value
  )
}

# Only a JSON string is text: never as.character() of a number or an object
# ({"nested": 1} must not become "1").
parse_string <- function(value) {
  if (!is.character(value) || length(value) != 1L) {
    stop(sprintf("expected a JSON string, got JSON %s", json_kind(value)), call. = FALSE)
  }
  value
}

parse_integer <- function(value) {
  # Unreadable text is the error below, not a coercion warning as well.
  num <- suppressWarnings(as.numeric(value))
  if (is.na(num) || abs(num) > .Machine$integer.max) {
    stop(paws_condition(
      "paws_response_error", sprintf("Integer value out of range: %s", value)
    ))
  }
  as.integer(num)
}

# Longs are doubles in R: exact up to 2^53, an error beyond (never rounded).
parse_long <- function(value) {
  num <- suppressWarnings(as.numeric(value))
  # Digits that do not survive the trip through a double were rounded.
  inexact <- is.character(value) && !identical(sprintf("%.0f", num), sub("^\\+", "", value))
  if (is.na(num) || abs(num) > 2^53 || inexact) {
    stop(paws_condition(
      "paws_response_error",
      sprintf("Long value %s cannot be represented exactly in R (beyond 2^53)", value)
    ))
  }
  num
}

parse_double <- function(value) {
  if (is.character(value)) {
    return(switch(value,
      "NaN" = NaN,
      "Infinity" = Inf,
      "-Infinity" = -Inf,
      as.numeric(value)
    ))
  }
  as.numeric(value)
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

parse_header_value <- function(api, shape, ref, text) {
  if (isTRUE(ref$jsonvalue)) {
    return(jsonlite::parse_json(raw_to_text(jsonlite::base64_dec(text)), simplifyVector = FALSE))
  }
  switch(shape$type,
    list = {
      item <- api$shapes[[shape$member$shape]]
      parts <- if (item$type == "timestamp") split_http_date_list(text) else split_header_list(text)
      lapply(parts, function(p) parse_header_value(api, item, list(), p))
    },
    string = text,
    integer = parse_integer(text),
    long = parse_long(text),
    float = ,
    double = parse_double(text),
    boolean = tolower(text) == "true",
    timestamp = parse_timestamp(text),
    blob = jsonlite::base64_dec(text),
    text
  )
}

# Split a comma-separated header list, honouring double-quoted items.
split_header_list <- function(text) {
  chars <- strsplit(text, "")[[1]]
  items <- character()
  current <- ""
  quoted <- FALSE
  i <- 1
  while (i <= length(chars)) {
    ch <- chars[i]
    if (quoted && ch == "\\" && i < length(chars)) {
      current <- paste0(current, chars[i + 1])
      i <- i + 1
    } else if (ch == '"') {
      quoted <- !quoted
    } else if (ch == "," && !quoted) {
      items <- c(items, trimws(current))
      current <- ""
    } else {
      current <- paste0(current, ch)
    }
    i <- i + 1
  }
  c(items, trimws(current))
}

# HTTP dates contain a comma themselves: "Mon, 16 Dec 2019 23:48:18 GMT, ...".
split_http_date_list <- function(text) {
  one_date <- "[A-Za-z]{3}, [0-9]{1,2} [A-Za-z]{3} [0-9]{4} [0-9:]{8} GMT"
  regmatches(text, gregexpr(one_date, text))[[1]]
}

# Turn a non-2xx response into a service error condition (not signalled).
parse_error <- function(api, status, headers, body) {
  names(headers) <- tolower(names(headers))
  json <- tryCatch(parse_json_body(body), error = function(e) NULL)
  if (!is.list(json)) json <- list()
  code <- unname(headers["x-amzn-errortype"])
  if (is.na(code)) {
    code <- ""
    for (key in c("__type", "code", "Type")) {
      value <- json_get(json, key)
      if (is.character(value) && length(value) == 1L && nzchar(value)) {
        code <- value
        break
      }
    }
  }
  code <- sub(":.*$", "", code)
  code <- sub("^.*#", "", code)
  if (!nzchar(code)) code <- error_code_for_status(status)
  message <- error_message(json)
  request_id <- unname(headers["x-amzn-requestid"])
  shape <- find_error_shape(api, code)
  # Modeled fields are extra detail: one that does not fit its shape is dropped,
  # never allowed to replace the service error with a parse error.
  fields <- if (!is.null(shape)) {
    tryCatch(parse_http_structure(api, shape, status, headers, body), error = function(e) list())
  }
  service_error(
    code, message,
    status_code = as.integer(status),
    request_id = if (is.na(request_id)) NULL else request_id,
    fields = fields %||% list()
  )
}

# The service's message from an error document: the first of `keys` that holds
# a string (as in Python), else "".
error_message <- function(json, keys = c("message", "Message", "errorMessage")) {
  for (key in keys) {
    value <- json_get(json, key)
    if (is.character(value) && length(value) == 1L && !is.na(value)) {
      return(value)
    }
  }
  ""
}

error_code_for_status <- function(status) {
  if (status == 429) "ThrottlingException" else paste0("Http", status)
}

find_error_shape <- function(api, code) {
  shape <- api$shapes[[code]]
  if (!is.null(shape) && isTRUE(shape$exception)) {
    return(shape)
  }
  for (candidate in api$shapes) {
    if (isTRUE(candidate$exception) && identical(candidate$error$code, code)) {
      return(candidate)
    }
  }
  NULL
}

# jsonlite wraps base64 at 72 columns; the wire wants one unbroken line.
b64_encode <- function(x) gsub("[\r\n]", "", jsonlite::base64_enc(x))

# JSON values by shape: the body codec the rest-json and json protocols share
# (mirrors python/pawscore/jsonvalue.py). json_value() shapes an R value for
# jsonlite; parse_json_value() turns parsed JSON into the DESIGN.md types.

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

# (names<- rather than structure(), which costs five times as much.)
empty_object <- function() `names<-`(list(), character())

json_number <- function(text) structure(text, class = "json")

to_json <- function(x) {
  json <- jsonlite::toJSON(x, auto_unbox = TRUE, digits = NA, null = "null", json_verbatim = TRUE)
  as.character(json)
}

# Parse a JSON body by the rules both runtimes share (Python: load_json): `empty`
# for an empty body (JSON null gives NULL); strict UTF-8, no byte-order mark, no comments, nesting at
# most `max_json_depth` deep, and no text R cannot hold (a \u0000 escape, an
# unpaired surrogate). Anything else is a paws_response_error.
parse_json_body <- function(body, empty = NULL) {
  if (!length(body)) {
    return(empty)
  }
  if (length(body) == 2L && body[[1L]] == as.raw(0x7b) && body[[2L]] == as.raw(0x7d)) {
    return(empty_object()) # "{}", the usual payload of a final event: what jsonlite gives
  }
  problem <- if (any(body == as.raw(0))) "it holds a NUL byte"
  text <- if (is.null(problem)) raw_to_text(body) else ""
  if (is.null(problem) && !validUTF8(text)) problem <- "it is not UTF-8"
  # Nothing but white space (as trimws() sees it): empty.
  if (is.null(problem) && !grepl("[^ \t\r\n]", text, perl = TRUE)) {
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
  slash <- grepl("/", text, fixed = TRUE)
  # A text of at most max_json_depth bytes cannot open more than that.
  if (!slash && (nchar(text, "bytes") <= max_json_depth ||
    nchar(gsub("[^[{]", "", text)) <= max_json_depth)) {
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

# The JSON object a body of members must be (an empty one for a blank body); any
# other JSON (an array, a string, null) is a paws_response_error, as in Python.
parse_json_object <- function(body) {
  json <- parse_json_body(body, empty = empty_object())
  if (!is_json_object(json)) {
    stop(paws_condition("paws_response_error", sprintf(
      "Response body is not a JSON object (it is JSON %s)", json_kind(json)
    )))
  }
  json
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

# jsonlite wraps base64 at 72 columns; the wire wants one unbroken line.
b64_encode <- function(x) gsub("[\r\n]", "", jsonlite::base64_enc(x))

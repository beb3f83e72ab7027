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

empty_object <- function() structure(list(), names = character())

json_number <- function(text) structure(text, class = "json")

to_json <- function(x) {
  json <- jsonlite::toJSON(x, auto_unbox = TRUE, digits = NA, null = "null", json_verbatim = TRUE)
  as.character(json)
}

parse_json_body <- function(body) {
  if (!length(body)) {
    return(NULL)
  }
  text <- raw_to_text(body)
  if (!nzchar(trimws(text))) {
    return(NULL)
  }
  tryCatch(
    jsonlite::parse_json(text, simplifyVector = FALSE, bigint_as_char = TRUE),
    error = function(e) {
      stop(paws_condition(
        "paws_response_error",
        sprintf("Response body is not valid JSON: %s", conditionMessage(e))
      ))
    }
  )
}

# The JSON object a body of members must be, NULL for a blank body; any other
# JSON (an array, a string, null) is a paws_response_error, as in Python.
parse_json_object <- function(body) {
  if (!length(body) || !nzchar(trimws(raw_to_text(body)))) {
    return(NULL)
  }
  json <- parse_json_body(body)
  if (!is.list(json) || is.null(names(json))) {
    kind <- if (is.null(json)) "null" else if (is.list(json)) "an array" else "a scalar"
    stop(paws_condition("paws_response_error", sprintf(
      "Response body is not a JSON object (it is %s)", kind
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
      out <- empty_object()
      for (name in names(shape$members)) {
        mref <- shape$members[[name]]
        v <- value[[mref$location_name %||% name]]
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
    string = as.character(value),
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

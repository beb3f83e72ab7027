# The rest-json protocol: serialize params into an HTTP request and parse HTTP
# responses (and errors) into the DESIGN.md type table. protocol.R picks this
# file's three entry points by metadata$protocol; the JSON body codec is shared
# with the json protocol (jsonvalue.R).

# Build the request for `operation`; `params` are validated, NULL-free.
# Returns list(method, url, headers = named character, body = raw).
restjson_build_request <- function(api, operation, params, endpoint) {
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

render_uri <- function(template, labels) {
  keys <- names(labels)
  # Whether each label is greedy ({Name+}): substituted values are escaped, so
  # they never add or remove another label's braces.
  greedy <- logical(length(keys))
  problems <- character()
  for (i in seq_along(keys)) {
    greedy[[i]] <- grepl(paste0("{", keys[[i]], "+}"), template, fixed = TRUE)
    problems <- c(problems, dot_segment_problems(keys[[i]], labels[[i]], greedy[[i]]))
  }
  if (length(problems)) stop(param_error(problems))
  for (i in seq_along(keys)) {
    name <- keys[[i]]
    if (greedy[[i]]) {
      greedy_label <- paste0("{", name, "+}")
      value <- paste(vapply(strsplit(labels[[name]], "/", fixed = TRUE)[[1]], aws_escape, ""),
        collapse = "/"
      )
      if (endsWith(labels[[name]], "/")) value <- paste0(value, "/")
      template <- sub(greedy_label, value, template, fixed = TRUE)
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

# Parse a successful response into the output structure (present members only,
# model order). `headers` is a named character vector (names any case).
restjson_parse_response <- function(api, operation, status, headers, body) {
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
  payload_shape <- if (!is.null(payload)) api$shapes[[shape$members[[payload]]$shape]]
  if (is.null(payload_shape) || !payload_shape$type %in% c("blob", "string")) {
    json_body <- parse_json_body(body)
  }
  body_members <- vapply(shape$members, function(m) is.null(m[["location"]]), logical(1))
  if (is.null(payload) && any(body_members)) {
    # Members in the body need a JSON object there, as in Python.
    json_body <- parse_json_object(body)
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
restjson_parse_error <- function(api, status, headers, body) {
  names(headers) <- tolower(names(headers))
  json <- tryCatch(parse_json_body(body), error = function(e) NULL)
  if (!is_json_object(json)) json <- empty_object()
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
  code <- strip_code(code)
  if (!nzchar(code)) code <- error_code_for_status(status)
  skip <- error_skip_keys
  if (is.na(headers["x-amzn-errortype"]) && identical(json_get(json, "Type"), code)) {
    skip <- c(skip, "Type") # the code came from this field
  }
  shape_name <- error_shape_name(api, code)
  # Modeled fields are extra detail: one that does not fit its shape is dropped,
  # never allowed to replace the service error with a parse error.
  fields <- if (!is.null(shape_name)) {
    tryCatch(
      parse_http_structure(api, api$shapes[[shape_name]], status, headers, body),
      error = function(e) list()
    )
  }
  service_error(
    code, error_message(json),
    status_code = as.integer(status),
    request_id = response_request_id(headers),
    fields = error_fields(json, fields, skip),
    shape = shape_name
  )
}

# The json protocol (awsJson 1.0 and 1.1): every call is a POST to "/"
# (mirrors python/pawscore/jsonprotocol.py). The operation travels in
# `X-Amz-Target: <targetPrefix>.<Operation>`, the input structure is the whole
# JSON body ("{}" when there is none), with
# `Content-Type: application/x-amz-json-<jsonVersion>`. Errors name their shape
# in the body's `__type` ("Code", "namespace#Code" or "Code:uri"); a service
# that moved from the query protocol (awsQueryCompatible, e.g. SQS) also sends
# its old code in `x-amzn-query-error: <Code>;<Sender|Receiver>` and is sent
# `x-amzn-query-mode: true`.

jsonprotocol_build_request <- function(api, operation, params, endpoint) {
  op <- api$operations[[operation]]
  meta <- api$metadata
  params <- drop_nulls(params %||% list())
  shape <- if (is.null(op$input)) NULL else api$shapes[[op$input]]
  value <- if (is.null(shape)) empty_object() else json_value(api, shape, params)
  if (!length(value)) value <- empty_object()
  headers <- c(
    `X-Amz-Target` = paste0(meta$target_prefix, ".", op$name),
    `Content-Type` = paste0("application/x-amz-json-", meta$json_version %||% "1.0")
  )
  if (isTRUE(meta$aws_query_compatible)) headers[["x-amzn-query-mode"]] <- "true"
  url <- add_host_prefix(endpoint, op$host_prefix, shape, params)
  list(
    method = op$http_method %||% "POST",
    url = paste0(sub("/+$", "", url), "/"),
    headers = headers,
    body = charToRaw(enc2utf8(to_json(value)))
  )
}

# The body is the output structure (present members, model order). An
# event-stream member is left out: the caller fills it from the body.
jsonprotocol_parse_response <- function(api, operation, status, headers, body) {
  op <- api$operations[[operation]]
  if (is.null(op$output) || isTRUE(op$event_stream_output)) {
    return(empty_object())
  }
  parse_json_value(api, api$shapes[[op$output]], parse_json_object(body))
}

# list(code, shape_code) of an error answer (lower-case header names). The
# shape code comes from `__type` (else `code`, else x-amzn-ErrorType); a
# well-formed x-amzn-query-error gives the code callers know from the query
# protocol, while the shape code still finds the modeled error.
jsonprotocol_error_codes <- function(headers, json) {
  raw <- ""
  for (key in c("__type", "code")) {
    value <- json_get(json, key)
    if (is.character(value) && length(value) == 1L && !is.na(value) && nzchar(value)) {
      raw <- value
      break
    }
  }
  if (!nzchar(raw)) raw <- unname(headers["x-amzn-errortype"])
  shape_code <- strip_code(if (is.na(raw)) "" else raw)
  code <- shape_code
  query <- unname(headers["x-amzn-query-error"])
  if (!is.na(query)) {
    # Exactly "<Code>;<fault>", as botocore reads it; anything else is ignored.
    semicolons <- lengths(regmatches(query, gregexpr(";", query, fixed = TRUE)))
    query_code <- sub(";.*$", "", query)
    if (semicolons == 1L && nzchar(query_code)) code <- query_code
  }
  list(code = code, shape_code = shape_code)
}

# Turn a non-2xx response into a service error condition (not signalled).
jsonprotocol_parse_error <- function(api, status, headers, body) {
  names(headers) <- tolower(names(headers))
  json <- tryCatch(parse_json_body(body), error = function(e) NULL)
  if (!is_json_object(json)) json <- empty_object()
  codes <- jsonprotocol_error_codes(headers, json)
  code <- if (nzchar(codes$code)) codes$code else error_code_for_status(status)
  shape_name <- error_shape_name(api, code) %||% error_shape_name(api, codes$shape_code)
  # Modeled fields are extra detail: one that does not fit its shape is dropped.
  fields <- if (!is.null(shape_name)) {
    tryCatch(parse_json_value(api, api$shapes[[shape_name]], json), error = function(e) list())
  }
  service_error(
    code, error_message(json),
    status_code = as.integer(status),
    request_id = response_request_id(headers),
    fields = error_fields(json, fields, error_skip_keys),
    shape = shape_name
  )
}

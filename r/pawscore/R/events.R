# Turn decoded event-stream messages into modeled events (contracts.md,
# section 7): list(<EventType> = list(members)), or a service error condition.

# Returns the event (a one-member named list), NULL for an unknown event type,
# or signals the error an exception/error message carries.
message_to_event <- function(api, stream_shape, message) {
  headers <- message$headers
  type <- headers[[":message-type"]] %||% "event"
  if (identical(type, "exception")) {
    stop(exception_from_message(api, headers[[":exception-type"]], message$payload, stream_shape))
  }
  if (identical(type, "error")) {
    stop(service_error(headers[[":error-code"]] %||% "", headers[[":error-message"]] %||% ""))
  }
  event_type <- headers[[":event-type"]]
  ref <- stream_shape$members[[event_type %||% ""]]
  if (is.null(ref)) {
    return(NULL)
  }
  value <- event_members(api, api$shapes[[ref$shape]], headers, message$payload)
  stats::setNames(list(value), event_type)
}

event_members <- function(api, shape, headers, payload) {
  out <- empty_object()
  payload_member <- NULL
  for (name in names(shape$members)) {
    if (isTRUE(shape$members[[name]]$event_payload)) payload_member <- name
  }
  json <- NULL
  if (is.null(payload_member) && length(payload)) json <- parse_json_body(payload)
  for (name in names(shape$members)) {
    ref <- shape$members[[name]]
    member <- api$shapes[[ref$shape]]
    value <- NULL
    if (isTRUE(ref$event_header)) {
      value <- headers[[ref$location_name %||% name]]
    } else if (identical(name, payload_member)) {
      value <- switch(member$type,
        blob = payload,
        string = raw_to_text(payload),
        if (length(payload)) parse_json_value(api, member, parse_json_body(payload), ref)
      )
    } else if (is.list(json) && !is.null(json[[ref$location_name %||% name]])) {
      value <- parse_json_value(api, member, json[[ref$location_name %||% name]], ref)
    }
    if (!is.null(value)) out[[name]] <- value
  }
  out
}

# `:exception-type` names a member of the event-stream union (Bedrock's
# modelStreamErrorException) or an error shape (Lambda's ServiceException). The
# code stays as sent, as botocore reports it; the member's shape gives the extra
# class; fields are the payload's keys with the modeled members parsed (message
# left out), as in Python.
exception_from_message <- function(api, code, payload, stream_shape = NULL) {
  json <- tryCatch(parse_json_body(payload), error = function(e) NULL)
  if (!is.list(json)) json <- list()
  code <- code %||% ""
  shape_name <- NULL
  ref <- if (nzchar(code)) stream_shape$members[[code]]
  if (!is.null(ref) && isTRUE(api$shapes[[ref$shape]]$exception)) shape_name <- ref$shape
  shape_name <- shape_name %||% error_shape_name(api, code)
  fields <- if (!is.null(shape_name)) {
    tryCatch(parse_json_value(api, api$shapes[[shape_name]], json), error = function(e) list())
  }
  message <- error_message(json, c("message", "Message"))
  fields <- error_fields(json, fields, c("message", "Message"))
  service_error(code, message, fields = fields, shape = shape_name)
}

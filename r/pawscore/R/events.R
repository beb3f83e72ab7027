# Turn decoded event-stream messages into modeled events (contracts.md,
# section 7): list(<EventType> = list(members)), or a service error condition.

# Returns the event (a one-member named list), NULL for an unknown event type,
# or signals the error an exception/error message carries. As in botocore, only
# "exception" and "error" are special message types: any other (or none) is
# read as an event.
message_to_event <- function(api, stream_shape, message) {
  headers <- message$headers
  type <- text_header(headers, ":message-type")
  if (identical(type, "exception")) {
    stop(exception_from_message(
      api, text_header(headers, ":exception-type"), message$payload, stream_shape
    ))
  }
  if (identical(type, "error")) {
    stop(service_error(
      text_header(headers, ":error-code") %||% "",
      text_header(headers, ":error-message") %||% ""
    ))
  }
  event_type <- text_header(headers, ":event-type")
  ref <- if (is.null(event_type) || !nzchar(event_type)) NULL else stream_shape$members[[event_type]]
  if (is.null(ref)) {
    return(NULL)
  }
  value <- event_members(api, api$shapes[[ref$shape]], headers, message$payload)
  stats::setNames(list(value), event_type)
}

# A protocol header (":event-type" and the like) when it is text; a value of
# another type (a number is never a list position) counts as absent, as in
# Python. A string holding NUL arrives as an "es_unreadable" value: absent too.
text_header <- function(headers, name) {
  value <- headers[[name]]
  if (is.character(value)) value else NULL
}

event_members <- function(api, shape, headers, payload) {
  out <- empty_object()
  payload_member <- NULL
  for (name in names(shape$members)) {
    if (isTRUE(shape$members[[name]]$event_payload)) payload_member <- name
  }
  json <- NULL
  if (is.null(payload_member)) {
    json <- parse_json_body(payload, empty = empty_object())
    if (!is_json_object(json)) {
      stop(sprintf("expected a JSON object, got JSON %s", json_kind(json)), call. = FALSE)
    }
  }
  for (name in names(shape$members)) {
    ref <- shape$members[[name]]
    value <- NULL
    if (isTRUE(ref$event_header)) {
      value <- headers[[ref$location_name %||% name]]
      if (inherits(value, "es_unreadable")) {
        stop(paws_condition(
          c("HeaderValueOutOfRange", "EventStreamError"),
          sprintf("header '%s': %s", name, value$reason)
        ))
      }
    } else if (identical(name, payload_member)) {
      member <- api$shapes[[ref$shape]]
      value <- switch(member$type,
        blob = payload,
        string = raw_to_text(payload),
        parse_json_value(api, member, parse_json_body(payload), ref)
      )
    } else if (length(json)) {
      # (An empty object holds no member: nothing to look up.)
      value <- parse_json_value(
        api, api$shapes[[ref$shape]], json_get(json, ref$location_name %||% name), ref
      )
    }
    if (!is.null(value)) out[[name]] <- value
  }
  out
}

# The event types whose members all come straight from the frame, for the C
# fast path (src/events.c): the payload member is a blob (`event_payload`) and
# every other member is an `event_header`. For those, event_members() does
# nothing but pick values, so C can build the same list. Returns list(types,
# members, sources): per type the member names in model order and where each
# comes from (NA: the payload; otherwise the header name).
#
# The plans of the last few (api, stream shape) pairs are kept: a call makes
# one, and most calls are to the same operation as the last. `api` is matched
# with identical(), which is immediate for the same object.
event_plan <- function(api, stream_shape) {
  for (entry in event_plans$entries) {
    if (identical(entry$stream_shape, stream_shape) && identical(entry$api, api)) {
      return(entry$plan)
    }
  }
  plan <- make_event_plan(api, stream_shape)
  kept <- event_plans$entries
  event_plans$entries <- c(
    list(list(api = api, stream_shape = stream_shape, plan = plan)),
    kept[seq_len(min(length(kept), event_plans_kept - 1L))]
  )
  plan
}

event_plans <- new.env(parent = emptyenv())
event_plans_kept <- 4L

make_event_plan <- function(api, stream_shape) {
  plan <- list(types = character(), members = list(), sources = list())
  for (type in names(stream_shape$members)) {
    shape <- api$shapes[[stream_shape$members[[type]]$shape]]
    sources <- event_sources(api, shape)
    if (is.null(sources)) next
    plan$types <- c(plan$types, type)
    plan$members <- c(plan$members, list(names(shape$members)))
    plan$sources <- c(plan$sources, list(unname(sources)))
  }
  plan
}

event_sources <- function(api, shape) {
  payload_member <- NULL
  for (name in names(shape$members)) {
    if (isTRUE(shape$members[[name]]$event_payload)) payload_member <- name
  }
  if (is.null(payload_member)) {
    return(NULL) # a JSON payload to parse: R's path
  }
  sources <- character()
  for (name in names(shape$members)) {
    ref <- shape$members[[name]]
    if (isTRUE(ref$event_header)) {
      sources[[name]] <- ref$location_name %||% name
    } else if (identical(name, payload_member) && identical(api$shapes[[ref$shape]]$type, "blob")) {
      sources[[name]] <- NA_character_
    } else {
      return(NULL)
    }
  }
  sources
}

# Events for a batch of decoded messages: list(events, slow) where events[[i]]
# is the event of message i when C built it (else NULL) and `slow` lists the
# messages message_to_event() must handle (in order).
messages_to_events <- function(messages, plan) {
  .Call(pawscore_es_events, messages, plan)
}

# `:exception-type` names a member of the event-stream union (Bedrock's
# modelStreamErrorException) or an error shape (Lambda's ServiceException). The
# code stays as sent, as botocore reports it; the member's shape gives the extra
# class; fields are the payload's keys with the modeled members parsed (message
# left out), as in Python.
exception_from_message <- function(api, code, payload, stream_shape = NULL) {
  json <- tryCatch(parse_json_body(payload), error = function(e) NULL)
  if (!is_json_object(json)) json <- empty_object()
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

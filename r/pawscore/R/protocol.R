# The protocol seam: metadata$protocol picks the functions that speak it, as
# botocore's SERIALIZERS/PARSERS tables and paws' handlers_<protocol>.R do
# (mirrors python/pawscore/protocol.py). Each protocol has three functions:
#   build_request(api, operation, params, endpoint) -> list(method, url, headers, body)
#   parse_response(api, operation, status, headers, body) -> named list
#   parse_error(api, status, headers, body) -> paws_service_error condition

# One entry per protocol; a function, so the table is built after every file of
# the package has been loaded.
protocol_table <- function() {
  list(
    "rest-json" = list(
      build_request = restjson_build_request,
      parse_response = restjson_parse_response,
      parse_error = restjson_parse_error
    ),
    "json" = list(
      build_request = jsonprotocol_build_request,
      parse_response = jsonprotocol_parse_response,
      parse_error = jsonprotocol_parse_error
    ),
    "query" = list(
      build_request = query_build_request,
      parse_response = query_parse_response,
      parse_error = query_parse_error
    ),
    "ec2" = list(
      build_request = ec2_build_request,
      parse_response = ec2_parse_response,
      parse_error = ec2_parse_error
    )
  )
}

supported_protocols <- function() names(protocol_table())

protocol_state <- new.env(parent = emptyenv())

# Hand-built API data (tests) may leave the protocol out; generated data never does.
default_protocol <- "rest-json"

# The functions for `api`'s protocol; an unknown protocol is a usage error.
protocol_for <- function(api) {
  name <- api$metadata$protocol %||% default_protocol
  # The table is made once, at first use.
  if (is.null(protocol_state$table)) protocol_state$table <- protocol_table()
  handlers <- protocol_state$table[[name]]
  if (is.null(handlers)) {
    stop(paws_condition("paws_usage_error", sprintf(
      "protocol '%s' is not supported by pawscore (supported: %s)",
      name, paste(supported_protocols(), collapse = ", ")
    )))
  }
  handlers
}

build_request <- function(api, operation, params, endpoint) {
  protocol_for(api)$build_request(api, operation, params, endpoint)
}

parse_response <- function(api, operation, status, headers, body) {
  protocol_for(api)$parse_response(api, operation, status, headers, body)
}

parse_error <- function(api, status, headers, body) {
  protocol_for(api)$parse_error(api, status, headers, body)
}

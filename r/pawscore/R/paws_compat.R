# paws' way of configuring a client, accepted as paws documents it: the service
# constructor's `credentials`, `endpoint` and `region` arguments, paws.common's
# config()/credentials()/creds() helpers (whose "" and Inf mean "not set"), and
# paws' config keys with paws' meaning.

#' Build a client configuration the way paws does
#'
#' Helpers with paws.common's signatures and defaults, so code written for
#' paws runs unchanged: an empty string or an infinite expiration means "not
#' set", and `max_retries` counts retries (so `max_attempts = max_retries + 1`).
#'
#' @param credentials A [credentials()] list.
#' @param endpoint The complete URL of the service ("" for the default).
#' @param region The AWS Region ("" to look it up in the environment).
#' @param close_connection Close each HTTP connection after its call.
#' @param max_retries Retries after the first attempt (paws' default 3).
#' @param connect_timeout Seconds to wait for a connection.
#' @param s3_force_path_style,s3_virtual_address Amazon S3 addressing; other
#'   services warn that they do not apply when set to `TRUE`.
#' @param sts_regional_endpoint `"regional"` or `"legacy"` STS endpoints, for the
#'   STS calls made to get credentials.
#' @param signature_version `""`, `"v4"` or `"s3v4"`: pawsgen signs with SigV4.
#' @param creds A [creds()] list.
#' @param profile A profile name in the shared AWS files ("" for the default).
#' @param anonymous Send unsigned requests.
#' @param access_key_id,secret_access_key,session_token Static keys.
#' @param access_token An SSO access token (accepted, as in paws; unused).
#' @param expiration When the keys expire (POSIXct; `Inf` for never).
#' @returns A named list in paws' shape.
#' @examples
#' svc_config <- config(
#'   region = "us-east-1",
#'   credentials = credentials(creds = creds(access_key_id = "AK", secret_access_key = "SK")),
#'   max_retries = 2
#' )
#' str(svc_config$max_retries)
#' @export
config <- function(credentials = list(creds = list(
                     access_key_id = "", secret_access_key = "",
                     session_token = "", access_token = "", expiration = Inf
                   ), profile = "", anonymous = FALSE),
                   endpoint = "", region = "", close_connection = FALSE, max_retries = 3,
                   connect_timeout = 60, s3_force_path_style = FALSE,
                   s3_virtual_address = FALSE, sts_regional_endpoint = "",
                   signature_version = "") {
  list(
    credentials = credentials, endpoint = endpoint, region = region,
    close_connection = close_connection, max_retries = max_retries,
    connect_timeout = connect_timeout, s3_force_path_style = s3_force_path_style,
    s3_virtual_address = s3_virtual_address, sts_regional_endpoint = sts_regional_endpoint,
    signature_version = signature_version
  )
}

#' @rdname config
#' @export
credentials <- function(creds = list(
                          access_key_id = "", secret_access_key = "",
                          session_token = "", access_token = "", expiration = Inf
                        ), profile = "", anonymous = FALSE) {
  list(creds = creds, profile = profile, anonymous = anonymous)
}

#' @rdname config
#' @export
creds <- function(access_key_id = "", secret_access_key = "", session_token = "",
                  access_token = "", expiration = Inf) {
  list(
    access_key_id = access_key_id, secret_access_key = secret_access_key,
    session_token = session_token, access_token = access_token, expiration = expiration
  )
}

# Turn a paws-style constructor call into our config: the `credentials`,
# `endpoint` and `region` arguments win over the same keys of `config` (as in
# paws), "" and Inf are dropped, max_retries becomes max_attempts, and keys that
# cannot apply here say why.
paws_config <- function(config = list(), credentials = list(), endpoint = NULL, region = NULL,
                        service = "this service") {
  config <- config %||% list()
  if (!is.list(config) || (length(config) && is.null(names(config)))) {
    stop(paws_condition("paws_config_error", "config must be a named list"))
  }
  if (length(credentials)) config$credentials <- credentials
  if (!is.null(endpoint)) config$endpoint <- endpoint
  if (!is.null(region)) config$region <- region
  config <- drop_unset(config)
  if (!is.null(config$max_retries)) {
    retries <- config$max_retries
    if (!(is.numeric(retries) && length(retries) == 1 && !is.na(retries) && retries >= 0 &&
      retries == trunc(retries))) {
      stop(paws_condition("paws_config_error", "config$max_retries must be a whole number >= 0"))
    }
    attempts <- retries + 1
    if (!is.null(config$max_attempts) && !identical(as.numeric(config$max_attempts), attempts)) {
      stop(paws_condition("paws_config_error", sprintf(
        "config$max_retries (%s) and config$max_attempts (%s) disagree: give one of them",
        retries, config$max_attempts
      )))
    }
    config$max_attempts <- attempts
    config$max_retries <- NULL
  }
  signature <- config$signature_version
  if (!is.null(signature) && !(is_string(signature) && signature %in% c("v4", "s3v4"))) {
    stop(paws_condition("paws_config_error", sprintf(
      "config$signature_version %s: pawsgen signs every request with Signature Version 4 (\"v4\")",
      dQuote(format(signature), FALSE)
    )))
  }
  sts <- config$sts_regional_endpoint
  if (!is.null(sts) && !(is_string(sts) && sts %in% c("regional", "legacy"))) {
    stop(paws_condition(
      "paws_config_error", "config$sts_regional_endpoint must be \"regional\" or \"legacy\""
    ))
  }
  for (key in c("s3_force_path_style", "s3_virtual_address")) {
    value <- config[[key]]
    if (!is.null(value) && !(is.logical(value) && length(value) == 1 && !is.na(value))) {
      stop(paws_condition("paws_config_error", sprintf("config$%s must be TRUE or FALSE", key)))
    }
    if (isTRUE(value)) {
      warning(structure(
        class = c("paws_config_warning", "warning", "condition"),
        list(message = sprintf(
          "config$%s applies to Amazon S3 only; %s does not use it", key, service
        ), call = NULL)
      ))
    }
  }
  close <- config$close_connection
  if (!is.null(close) && !(is.logical(close) && length(close) == 1 && !is.na(close))) {
    stop(paws_condition("paws_config_error", "config$close_connection must be TRUE or FALSE"))
  }
  config
}

# paws' "not set" values: "" strings, Inf expirations, FALSE anonymous, and the
# defaults config() fills in for settings paws leaves to the SDK.
drop_unset <- function(config) {
  unset <- function(v) is.null(v) || identical(v, "") || (is.numeric(v) && length(v) == 1 && is.infinite(v))
  creds <- config$credentials$creds
  if (is.list(creds)) {
    creds <- creds[!vapply(creds, unset, TRUE)]
    config$credentials$creds <- if (length(creds)) creds else NULL
  }
  if (is.list(config$credentials)) {
    cred <- config$credentials
    if (identical(cred$profile, "")) cred$profile <- NULL
    if (identical(cred$anonymous, FALSE)) cred$anonymous <- NULL
    config$credentials <- if (length(cred)) cred else NULL
  }
  for (key in c("endpoint", "region", "sts_regional_endpoint", "signature_version")) {
    if (identical(config[[key]], "")) config[[key]] <- NULL
  }
  config
}

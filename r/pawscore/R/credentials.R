# The credential chain: config creds, environment, shared credentials/config
# files. Credentials objects never show their secret parts when printed.

new_credentials <- function(access_key_id, secret_access_key, session_token = NULL,
                            source = "config") {
  if (!is_string(access_key_id) || !is_string(secret_access_key)) {
    stop(paws_condition(
      "paws_no_credentials",
      sprintf("Incomplete credentials from %s: need access_key_id and secret_access_key", source)
    ))
  }
  if (!is.null(session_token) && !nzchar(session_token)) session_token <- NULL
  structure(
    list(
      access_key_id = access_key_id, secret_access_key = secret_access_key,
      session_token = session_token, source = source
    ),
    class = "paws_credentials"
  )
}

#' Format credentials without their secrets
#'
#' Shows the access key id and where the credentials came from; the secret key
#' and session token are always masked.
#'
#' @param x A `paws_credentials` object.
#' @param ... Unused.
#' @returns A character string.
#' @export
format.paws_credentials <- function(x, ...) {
  token <- if (is.null(x$session_token)) "" else ", session_token=****"
  sprintf(
    "<paws_credentials access_key_id=%s, secret_access_key=****%s, source=%s>",
    x$access_key_id, token, x$source
  )
}

#' @rdname format.paws_credentials
#' @export
print.paws_credentials <- function(x, ...) {
  cat(format(x), "\n", sep = "")
  invisible(x)
}

# S3 methods, registered in NAMESPACE.
as.character.paws_credentials <- function(x, ...) format(x)

str.paws_credentials <- function(object, ...) cat(format(object), "\n", sep = "")

# Resolve credentials from the `credentials` part of the config. Returns NULL
# for anonymous access.
resolve_credentials <- function(cred_config = list()) {
  if (isTRUE(cred_config$anonymous)) {
    return(NULL)
  }
  creds <- cred_config$creds
  # Either key given means the config meant to set credentials: a missing other
  # half is an error, never a silent fall-back to the environment.
  if (length(creds) && (is_string(creds[["access_key_id"]]) ||
    is_string(creds[["secret_access_key"]]))) {
    return(new_credentials(
      creds$access_key_id, creds$secret_access_key, creds$session_token,
      source = "config"
    ))
  }
  env_key <- Sys.getenv("AWS_ACCESS_KEY_ID")
  if (nzchar(env_key)) {
    return(new_credentials(
      env_key, Sys.getenv("AWS_SECRET_ACCESS_KEY"), Sys.getenv("AWS_SESSION_TOKEN"),
      source = "environment"
    ))
  }
  profile <- profile_name(cred_config$profile)
  from_file <- profile_credentials(profile)
  if (!is.null(from_file)) {
    return(from_file)
  }
  stop(paws_condition(
    "paws_no_credentials",
    sprintf(
      "No credentials found: checked config, AWS_ACCESS_KEY_ID and profile '%s'",
      profile
    )
  ))
}

profile_name <- function(profile = NULL) {
  if (is_string(profile)) {
    return(profile)
  }
  env <- Sys.getenv("AWS_PROFILE")
  if (nzchar(env)) env else "default"
}

profile_credentials <- function(profile) {
  cred_file <- shared_file("AWS_SHARED_CREDENTIALS_FILE", "credentials")
  section <- read_ini(cred_file)[[profile]]
  source <- sprintf("shared credentials file (profile %s)", profile)
  if (is.null(section[["aws_access_key_id"]])) {
    section <- profile_section(profile)
    source <- sprintf("shared config file (profile %s)", profile)
  }
  if (is.null(section[["aws_access_key_id"]])) {
    return(NULL)
  }
  new_credentials(
    section[["aws_access_key_id"]], section[["aws_secret_access_key"]],
    section[["aws_session_token"]],
    source = source
  )
}

# The named profile's section of the shared config file ("[profile x]", or
# "[default]").
profile_section <- function(profile) {
  ini <- read_ini(shared_file("AWS_CONFIG_FILE", "config"))
  if (profile == "default") {
    return(ini[["default"]] %||% ini[["profile default"]])
  }
  ini[[paste("profile", profile)]] %||% ini[[profile]]
}

shared_file <- function(env_var, name) {
  path <- Sys.getenv(env_var)
  if (nzchar(path)) path.expand(path) else file.path(path.expand("~"), ".aws", name)
}

# A minimal INI reader: sections of `key = value` lines; comments start with # or ;.
read_ini <- function(path) {
  if (!file.exists(path)) {
    return(list())
  }
  out <- list()
  section <- NULL
  for (line in readLines(path, warn = FALSE)) {
    line <- trimws(line)
    if (!nzchar(line) || startsWith(line, "#") || startsWith(line, ";")) next
    if (grepl("^\\[.*\\]$", line)) {
      section <- trimws(substr(line, 2, nchar(line) - 1))
      if (is.null(out[[section]])) out[[section]] <- list()
      next
    }
    eq <- regexpr("=", line, fixed = TRUE)
    if (is.null(section) || eq < 1) next
    key <- trimws(substr(line, 1, eq - 1))
    out[[section]][[key]] <- trimws(substr(line, eq + 1, nchar(line)))
  }
  out
}

is_string <- function(x) is.character(x) && length(x) == 1 && !is.na(x) && nzchar(x)

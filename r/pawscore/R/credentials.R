# The credential chain, in botocore's order: config creds, environment,
# assume-role profiles, web identity, SSO, the shared credentials file,
# credential_process, the config file, ECS container credentials and EC2
# instance metadata (IMDSv2). Temporary credentials are kept in a provider and
# refreshed before they expire, with botocore's advisory (15 min) and mandatory
# (10 min) windows. Credentials objects never show their secret parts.
#
# Sources live in credentials_sts.R (assume role, web identity),
# credentials_sso.R and credentials_container.R (ECS, IMDS).

advisory_refresh_seconds <- 15 * 60
mandatory_refresh_seconds <- 10 * 60

new_credentials <- function(access_key_id, secret_access_key, session_token = NULL,
                            source = "config", expiration = NULL) {
  if (!is_string(access_key_id) || !is_string(secret_access_key)) {
    stop(credentials_error(
      source, "incomplete credentials: need both an access key id and a secret access key"
    ))
  }
  if (!is.null(session_token) && !nzchar(session_token)) session_token <- NULL
  structure(
    list(
      access_key_id = access_key_id, secret_access_key = secret_access_key,
      session_token = session_token, source = source, expiration = expiration
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

# A source was configured but could not give credentials. Also a
# `paws_no_credentials`, so handlers written for that still catch it. `reason`
# must never carry a secret.
credentials_error <- function(source, reason, ...) {
  paws_condition(
    c("paws_credentials_error", "paws_no_credentials"),
    sprintf("Could not get credentials from %s: %s", source, reason), ...
  )
}

profile_not_found <- function(profile) {
  paws_condition(
    c("paws_profile_not_found", "paws_no_credentials", "paws_config_error"),
    sprintf("The config profile '%s' could not be found", profile),
    profile = profile
  )
}

# ---------------------------------------------------------------------------
# Providers: a fetch function and the credentials it gave last.

# `fetch()` returns a `paws_credentials` (with `expiration`, POSIXct, or NULL
# for credentials that never expire).
new_provider <- function(fetch, source) {
  state <- new.env(parent = emptyenv())
  state$fetch <- fetch
  state$source <- source
  state$creds <- NULL
  class(state) <- "paws_credential_provider"
  state
}

# S3 methods, registered in NAMESPACE: never the secrets.
format.paws_credential_provider <- function(x, ...) {
  key <- if (is.null(x$creds)) "" else sprintf(", access_key_id=%s", x$creds[["access_key_id"]])
  sprintf("<paws_credential_provider source=%s%s>", x$source, key)
}

print.paws_credential_provider <- function(x, ...) {
  cat(format(x), "\n", sep = "")
  invisible(x)
}

str.paws_credential_provider <- function(object, ...) cat(format(object), "\n", sep = "")

static_provider <- function(creds) {
  provider <- new_provider(function() creds, creds[["source"]])
  provider$creds <- creds
  provider
}

seconds_left <- function(creds) {
  if (is.null(creds[["expiration"]])) {
    return(Inf)
  }
  as.numeric(difftime(creds[["expiration"]], Sys.time(), units = "secs"))
}

# The provider's current credentials, refreshed as botocore does: nothing to do
# with more than 15 minutes left; between 15 and 10 minutes a failed refresh
# keeps the current set; under 10 minutes a refresh must succeed. Fresh
# credentials that are already expired are an error.
provider_credentials <- function(provider) {
  if (is.null(provider)) {
    return(NULL)
  }
  creds <- provider$creds
  left <- if (is.null(creds)) -Inf else seconds_left(creds)
  if (left >= advisory_refresh_seconds) {
    return(creds)
  }
  mandatory <- left < mandatory_refresh_seconds
  fresh <- if (mandatory) {
    provider$fetch()
  } else {
    tryCatch(provider$fetch(), paws_error = function(e) NULL)
  }
  if (is.null(fresh)) {
    return(creds)
  }
  if (seconds_left(fresh) <= 0) {
    stop(credentials_error(
      fresh[["source"]], "the refreshed credentials are already expired"
    ))
  }
  provider$creds <- fresh
  fresh
}

# A provider for temporary credentials whose first fetch happens now, so that a
# source that cannot give credentials fails where the chain looks at it
# (container, credential_process), as botocore. Assume role, web identity and
# SSO are deferred (`new_provider()`): their first fetch is at first use.
refreshing_provider <- function(fetch, source) {
  provider <- new_provider(fetch, source)
  provider$creds <- fetch()
  provider
}

# ---------------------------------------------------------------------------
# The chain.

# Providers are kept per client (the service object's cache) or, for the
# module-level functions, per setup: the key covers the credentials config and
# every environment variable the chain reads, so a changed setup starts afresh.
credential_cache <- new.env(parent = emptyenv())

chain_env_vars <- c(
  "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
  "AWS_DEFAULT_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "HOME",
  "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN", "AWS_ROLE_SESSION_NAME",
  "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
  "AWS_CONTAINER_AUTHORIZATION_TOKEN", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
  "AWS_EC2_METADATA_DISABLED", "AWS_EC2_METADATA_SERVICE_ENDPOINT",
  "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_STS",
  "AWS_ENDPOINT_URL_SSO", "AWS_ENDPOINT_URL_SSO_OIDC", "AWS_STS_REGIONAL_ENDPOINTS",
  "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"
)

# The provider for a client: from `cache` (an environment) when the setup is
# unchanged, else resolved anew. NULL for anonymous access.
cached_provider <- function(cred_config = list(), region = NULL, cache = credential_cache,
                            sts_mode = NULL) {
  key <- digest::digest(list(
    cred_config, region, sts_mode, Sys.getenv(chain_env_vars), chain_file_stamps()
  ))
  hit <- cache[[key]]
  if (!is.null(hit)) {
    return(hit$provider)
  }
  provider <- credential_provider(cred_config, region, sts_mode)
  # One setup per cache: an old provider is dropped when the setup changes.
  rm(list = ls(cache, all.names = TRUE), envir = cache)
  cache[[key]] <- list(provider = provider)
  provider
}

chain_file_stamps <- function() {
  files <- c(
    shared_file("AWS_SHARED_CREDENTIALS_FILE", "credentials"),
    shared_file("AWS_CONFIG_FILE", "config")
  )
  info <- file.info(files, extra_cols = FALSE)
  # The times as numbers, to the precision the file system keeps (formatting
  # them cost more than reading them).
  c(as.numeric(info$mtime), info$size)
}

# Resolve credentials from the `credentials` part of the config: the first set
# found, or NULL for anonymous access.
resolve_credentials <- function(cred_config = list(), region = NULL) {
  provider_credentials(credential_provider(cred_config, region))
}

# Walk the chain and return a provider for the first source that applies.
# `sts_mode` is the client config's `sts_regional_endpoint` ("regional" or
# "legacy"), for the STS calls of assume role and web identity.
credential_provider <- function(cred_config = list(), region = NULL, sts_mode = NULL) {
  if (isTRUE(cred_config[["anonymous"]])) {
    return(NULL)
  }
  creds <- cred_config[["creds"]]
  # Either key given means the config meant to set credentials: a missing other
  # half is an error, never a silent fall-back to the environment.
  if (length(creds) && (is_string(creds[["access_key_id"]]) ||
    is_string(creds[["secret_access_key"]]))) {
    return(static_provider(new_credentials(
      creds[["access_key_id"]], creds[["secret_access_key"]], creds[["session_token"]],
      source = "config"
    )))
  }
  explicit_profile <- is_string(cred_config[["profile"]])
  profile <- profile_name(cred_config[["profile"]])
  files <- shared_profiles()
  # As botocore: a profile named in the config or in AWS_PROFILE must exist,
  # even when the environment holds keys.
  if ((explicit_profile || profile_from_env()) && is.null(files$all[[profile]])) {
    stop(profile_not_found(profile))
  }
  ctx <- list(region = region, files = files, profile = profile, sts_mode = sts_mode)
  # An explicit profile skips the environment's keys (botocore does too).
  if (!explicit_profile) {
    env <- env_credentials()
    if (!is.null(env)) {
      return(static_provider(env))
    }
  }
  provider <- profile_provider(profile, ctx, use_env = !explicit_profile, visited = character())
  if (!is.null(provider)) {
    return(provider)
  }
  provider <- container_provider()
  if (!is.null(provider)) {
    return(provider)
  }
  provider <- imds_provider(ctx, profile)
  if (!is.null(provider)) {
    return(provider)
  }
  stop(paws_condition("paws_no_credentials", sprintf(
    paste0(
      "No credentials found: checked config, the environment, profile '%s' ",
      "(assume role, web identity, SSO, credentials file, credential_process, config file), ",
      "container credentials and instance metadata"
    ),
    profile
  )))
}

# The providers that read a profile, in botocore's order; NULL when the
# profile holds no source. `visited` guards source_profile loops.
profile_provider <- function(profile, ctx, use_env = TRUE, visited = character()) {
  section <- ctx$files$config[[profile]] %||% list()
  if (!is.null(section[["role_arn"]]) && is.null(section[["web_identity_token_file"]])) {
    return(assume_role_provider(profile, section, ctx, visited))
  }
  provider <- web_identity_provider(profile, section, ctx, use_env)
  if (!is.null(provider)) {
    return(provider)
  }
  if (has_sso_config(section)) {
    return(sso_provider(profile, section, ctx))
  }
  from_file <- file_credentials(
    ctx$files$credentials[[profile]],
    sprintf("the shared credentials file (profile %s)", profile)
  )
  if (!is.null(from_file)) {
    return(static_provider(from_file))
  }
  if (is_string(section[["credential_process"]])) {
    return(process_provider(profile, section[["credential_process"]]))
  }
  from_config <- file_credentials(section, sprintf("the config file (profile %s)", profile))
  if (!is.null(from_config)) {
    return(static_provider(from_config))
  }
  NULL
}

env_credentials <- function() {
  key <- Sys.getenv("AWS_ACCESS_KEY_ID")
  secret <- Sys.getenv("AWS_SECRET_ACCESS_KEY")
  if (!nzchar(key) && !nzchar(secret)) {
    return(NULL)
  }
  if (!nzchar(key) || !nzchar(secret)) {
    missing <- if (nzchar(key)) "AWS_SECRET_ACCESS_KEY" else "AWS_ACCESS_KEY_ID"
    stop(credentials_error("the environment", sprintf("%s is not set", missing)))
  }
  new_credentials(key, secret, Sys.getenv("AWS_SESSION_TOKEN"), source = "environment")
}

file_credentials <- function(section, source) {
  if (is.null(section) || is.null(section[["aws_access_key_id"]])) {
    return(NULL)
  }
  if (!is_string(section[["aws_secret_access_key"]])) {
    stop(credentials_error(source, "aws_secret_access_key is missing"))
  }
  new_credentials(
    section[["aws_access_key_id"]], section[["aws_secret_access_key"]],
    section[["aws_session_token"]],
    source = source
  )
}

profile_name <- function(profile = NULL) {
  if (is_string(profile)) {
    return(profile)
  }
  # botocore reads AWS_DEFAULT_PROFILE first.
  for (var in c("AWS_DEFAULT_PROFILE", "AWS_PROFILE")) {
    env <- Sys.getenv(var)
    if (nzchar(env)) {
      return(env)
    }
  }
  "default"
}

profile_from_env <- function() {
  nzchar(Sys.getenv("AWS_PROFILE")) || nzchar(Sys.getenv("AWS_DEFAULT_PROFILE"))
}

# Profiles from both shared files: `config` (keyed by profile name), `sso`
# (sso-session sections), `services`, `credentials`, and `all` (the union of
# profile names, as botocore's profile map).
shared_profiles <- function() {
  ini <- read_ini(shared_file("AWS_CONFIG_FILE", "config"))
  config <- list()
  sso <- list()
  services <- list()
  for (name in names(ini)) {
    words <- strsplit(trimws(name), "[[:space:]]+")[[1]]
    if (length(words) == 2 && words[1] == "profile") {
      config[[words[2]]] <- utils::modifyList(config[[words[2]]] %||% list(), ini[[name]])
    } else if (length(words) == 2 && words[1] == "sso-session") {
      sso[[words[2]]] <- ini[[name]]
    } else if (length(words) == 2 && words[1] == "services") {
      services[[words[2]]] <- ini[[name]]
    } else if (identical(name, "default") && is.null(config[["default"]])) {
      config[["default"]] <- ini[[name]]
    }
  }
  credentials <- read_ini(shared_file("AWS_SHARED_CREDENTIALS_FILE", "credentials"))
  all <- config
  for (name in names(credentials)) all[[name]] <- c(all[[name]], credentials[[name]])
  list(config = config, sso = sso, services = services, credentials = credentials, all = all)
}

# The named profile's section of the shared config file ("[profile x]", or
# "[default]").
profile_section <- function(profile) {
  shared_profiles()$config[[profile]]
}

shared_file <- function(env_var, name) {
  path <- Sys.getenv(env_var)
  if (nzchar(path)) path.expand(path) else file.path(path.expand("~"), ".aws", name)
}

# A minimal INI reader: sections of `key = value` lines; comments start with # or ;.
# Indented lines under a key with an empty value are a nested block
# (`s3 =\n  key = value`): they are kept as "parent.key".
read_ini <- function(path) {
  if (!file.exists(path)) {
    return(list())
  }
  out <- list()
  section <- NULL
  parent <- NULL
  for (raw_line in readLines(path, warn = FALSE)) {
    line <- trimws(raw_line)
    if (!nzchar(line) || startsWith(line, "#") || startsWith(line, ";")) next
    if (grepl("^\\[.*\\]$", line)) {
      section <- trimws(substr(line, 2, nchar(line) - 1))
      parent <- NULL
      if (is.null(out[[section]])) out[[section]] <- list()
      next
    }
    eq <- regexpr("=", line, fixed = TRUE)
    if (is.null(section) || eq < 1) next
    key <- trimws(substr(line, 1, eq - 1))
    value <- trimws(substr(line, eq + 1, nchar(line)))
    if (!is.null(parent) && grepl("^[[:space:]]", raw_line)) {
      out[[section]][[paste(parent, key, sep = ".")]] <- value
      next
    }
    parent <- if (nzchar(value)) NULL else key
    out[[section]][[key]] <- value
  }
  out
}

is_string <- function(x) is.character(x) && length(x) == 1 && !is.na(x) && nzchar(x)

# ISO 8601 time ("2026-01-01T00:00:00Z", fractions and offsets allowed) as POSIXct UTC.
parse_iso_time <- function(x, source) {
  m <- regmatches(x, regexec(
    "^([0-9]{4}-[0-9]{2}-[0-9]{2})[T ]([0-9]{2}:[0-9]{2}:[0-9]{2})(\\.[0-9]+)?(Z|[+-][0-9]{2}:?[0-9]{2})?$",
    x
  ))[[1]]
  if (!length(m)) {
    stop(credentials_error(source, sprintf("unreadable expiration time %s", dQuote(x, FALSE))))
  }
  time <- as.POSIXct(paste(m[2], m[3]), tz = "UTC", format = "%Y-%m-%d %H:%M:%S")
  offset <- m[5]
  if (nzchar(offset) && offset != "Z") {
    digits <- gsub(":", "", substring(offset, 2))
    secs <- as.numeric(substr(digits, 1, 2)) * 3600 + as.numeric(substr(digits, 3, 4)) * 60
    time <- time - (if (startsWith(offset, "-")) -secs else secs)
  }
  time
}

# ---------------------------------------------------------------------------
# credential_process: a command that prints Version 1 JSON.

process_provider <- function(profile, command) {
  source <- sprintf("credential_process (profile %s)", profile)
  refreshing_provider(function() run_credential_process(command, source), source)
}

run_credential_process <- function(command, source) {
  words <- shell_split(command)
  if (!length(words)) stop(credentials_error(source, "the command is empty"))
  out_file <- tempfile()
  err_file <- tempfile()
  on.exit(unlink(c(out_file, err_file)), add = TRUE)
  status <- suppressWarnings(system2(
    words[1], shQuote(words[-1]),
    stdout = out_file, stderr = err_file
  ))
  stderr <- paste(readLines(err_file, warn = FALSE), collapse = "\n")
  if (!identical(as.integer(status), 0L)) {
    reason <- sprintf("the command exited with status %s", status)
    if (nzchar(stderr)) reason <- paste0(reason, ": ", stderr)
    stop(credentials_error(source, reason))
  }
  text <- paste(readLines(out_file, warn = FALSE), collapse = "\n")
  parsed <- tryCatch(jsonlite::fromJSON(text, simplifyVector = FALSE), error = function(e) NULL)
  if (!is.list(parsed)) stop(credentials_error(source, "the command did not print a JSON object"))
  if (!identical(as.character(parsed[["Version"]] %||% ""), "1")) {
    stop(credentials_error(source, sprintf(
      "unsupported Version %s (only 1 is supported)", dQuote(format(parsed[["Version"]] %||% "none"), FALSE)
    )))
  }
  for (key in c("AccessKeyId", "SecretAccessKey")) {
    if (!is_string(parsed[[key]])) stop(credentials_error(source, sprintf("%s is missing", key)))
  }
  expiration <- if (is_string(parsed[["Expiration"]])) parse_iso_time(parsed[["Expiration"]], source)
  new_credentials(
    parsed[["AccessKeyId"]], parsed[["SecretAccessKey"]], parsed[["SessionToken"]],
    source = source, expiration = expiration
  )
}

# Split a command line as a POSIX shell would (quotes and backslashes), without
# running a shell, as botocore does.
shell_split <- function(text) {
  chars <- strsplit(text, "")[[1]]
  words <- character()
  word <- NULL
  quote <- ""
  i <- 1L
  while (i <= length(chars)) {
    ch <- chars[i]
    if (quote == "'") {
      if (ch == "'") quote <- "" else word <- paste0(word, ch)
    } else if (quote == "\"") {
      if (ch == "\"") {
        quote <- ""
      } else if (ch == "\\" && i < length(chars) && chars[i + 1] %in% c("\"", "\\", "$", "`")) {
        i <- i + 1L
        word <- paste0(word, chars[i])
      } else {
        word <- paste0(word, ch)
      }
    } else if (ch %in% c("'", "\"")) {
      quote <- ch
      word <- paste0(word %||% "", "")
    } else if (ch == "\\" && i < length(chars)) {
      i <- i + 1L
      word <- paste0(word, chars[i])
    } else if (grepl("[[:space:]]", ch)) {
      if (!is.null(word)) words <- c(words, word)
      word <- NULL
    } else {
      word <- paste0(word, ch)
    }
    i <- i + 1L
  }
  if (!is.null(word)) words <- c(words, word)
  words
}

# ---------------------------------------------------------------------------
# Small HTTP exchanges for credential sources (STS, SSO, ECS, IMDS): the whole
# answer in memory. Returns list(status, headers, body) or list(failure).
credential_http <- function(method, url, headers = character(), body = NULL, timeout = 5) {
  handle <- curl::new_handle()
  curl::handle_setopt(handle,
    customrequest = method, followlocation = FALSE,
    connecttimeout_ms = as.integer(timeout * 1000), timeout_ms = as.integer(timeout * 2000),
    useragent = user_agent()
  )
  if (!is.null(body)) {
    if (is.character(body)) body <- charToRaw(enc2utf8(body))
    curl::handle_setopt(handle, post = TRUE, postfieldsize = length(body), postfields = body)
  }
  defaults <- c(`Content-Type` = "", Expect = "")
  defaults <- defaults[!tolower(names(defaults)) %in% tolower(names(headers))]
  curl::handle_setheaders(handle, .list = as.list(c(headers, defaults)))
  res <- tryCatch(curl::curl_fetch_memory(url, handle = handle), error = function(e) e)
  if (inherits(res, "error")) {
    return(list(failure = conditionMessage(res)))
  }
  list(
    status = res[["status_code"]], headers = parse_header_block(res[["headers"]]),
    body = rawToChar(res[["content"]])
  )
}
